import TestSupport
import XCTest

/// The table a person reads: worst tails first with --sort p99, and honest
/// about what µs timestamps cannot resolve.
final class TableTests: XCTestCase {
    func testSortByP99PutsTheWorstTailFirst() throws {
        let json = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap")]).json()
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        let worst = try XCTUnwrap(flows.compactMap { flow -> (String, Int)? in
            guard let latency = flow["ack_latency_ns"] as? [String: Any] else { return nil }
            return ("\(flow["src"]!)", latency["p99"] as! Int)
        }.max { $0.1 < $1.1 })
        let table = try Run.fabricscope(["analyze", "--sort", "p99", "--top", "1",
                                         Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap")])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        let headerIndex = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("SRC") })
        XCTAssertTrue(lines[headerIndex + 1].hasPrefix(worst.0 + " "), "\(lines[headerIndex + 1]) vs \(worst)")
        XCTAssertTrue(table.stdout.contains("more flows not shown"))
    }

    func testMicrosecondCaptureSaysWhatItCannotResolve() throws {
        let table = try Run.fabricscope(["analyze", Run.fixture("derived/ring4-faults-usec.pcap")])
        XCTAssertTrue(table.stdout.contains("Timestamps resolve 1 µs"), table.stdout)
        // 23 ns gaps between packets of a message cannot be seen with µs timestamps:
        // the JSON says which figures are below the resolution.
        let json = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("derived/ring4-faults-usec.pcap")]).json()
        let flow = try XCTUnwrap((json["flows"] as? [[String: Any]])?.first)
        let gaps = try XCTUnwrap(flow["gap_ns"] as? [String: Any])
        XCTAssertEqual(gaps["p50"] as? Int, 0)
        XCTAssertTrue((gaps["below_resolution"] as? [String])?.contains("p50") == true)
        let latency = try XCTUnwrap(flow["ack_latency_ns"] as? [String: Any])
        XCTAssertEqual((latency["p50"] as! Int) % 1000, 0, "µs timestamps give whole-µs latencies")
    }
}
