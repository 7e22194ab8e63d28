import TestSupport
import Foundation
import XCTest

/// Two taps of the same traffic: every packet matched, and the one-way delays are
/// exactly the ones the generator put between the taps.
final class TapTests: XCTestCase {
    func testOneWayDelayBetweenTwoTaps() throws {
        let directory = try Run.scratchDirectory()
        let first = directory.appendingPathComponent("tap1.pcap").path
        let second = directory.appendingPathComponent("tap2.pcap").path
        let truthPath = directory.appendingPathComponent("truth.json").path
        let generated = try Run.fabricscope([
            "generate", first, "--second-tap", second, "--truth", truthPath, "--ranks", "4", "--size", "1MiB",
            "--loss", "0.002", "--ce", "0.05", "--tap-delay", "2us", "--tap-jitter", "400ns", "--seed", "31",
        ])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let truth = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath))) as? [String: Any])
        let delays = try XCTUnwrap(truth["tap_delays_ns"] as? [Int]).sorted()

        let result = try Run.fabricscope(["analyze", "-T", "json", "--tap", first, "--tap", second])
        XCTAssertEqual(result.status, 0, result.stderr)
        let taps = try XCTUnwrap(try result.json()["taps"] as? [String: Any])
        XCTAssertEqual(taps["matched_packets"] as? Int, delays.count)
        XCTAssertEqual(taps["unmatched_packets"] as? [Int], [0, 0])
        let flows = try XCTUnwrap(taps["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.count, 8)
        var count = 0, minimum = Int.max, maximum = Int.min, sum = 0.0
        for flow in flows {
            XCTAssertEqual(flow["from_tap"] as? String, first)
            let delay = try XCTUnwrap(flow["one_way_delay_ns"] as? [String: Any])
            let n = delay["count"] as! Int
            count += n
            minimum = min(minimum, delay["min"] as! Int)
            maximum = max(maximum, delay["max"] as! Int)
            sum += (delay["mean"] as! Double) * Double(n)
            XCTAssertNotNil(flow["ipdv_ns"] as? [String: Any])
        }
        XCTAssertEqual(count, delays.count)
        XCTAssertEqual(minimum, delays.first)
        XCTAssertEqual(maximum, delays.last)
        XCTAssertEqual(sum, Double(delays.reduce(0, +)), accuracy: 1e-6 * sum)
        XCTAssertGreaterThanOrEqual(minimum, 2000)

        let usage = try Run.fabricscope(["analyze", "--tap", first])
        XCTAssertEqual(usage.status, 2, "one tap is not enough")
    }
}
