import TestSupport
import XCTest

/// The real ConnectX-class capture (Fixtures/real): counts from its provenance note,
/// which were read with tshark, TFTP disabled.
final class RealCaptureTests: XCTestCase {
    func testPerFlowCountsAndOpcodes() throws {
        let result = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("real/roce-rc-send-real.pcap")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try result.json()
        let capture = try XCTUnwrap(json["capture"] as? [String: Any])
        XCTAssertEqual(capture["packets"] as? Int, 123)
        XCTAssertEqual(capture["roce_packets"] as? Int, 105)
        XCTAssertEqual(capture["other_packets"] as? Int, 18)
        XCTAssertEqual(capture["timestamp_resolution_ns"] as? Double, 1000)
        XCTAssertEqual(capture["link_types"] as? [String], ["EN10MB"])
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.count, 2)
        let requests = flows[0], acks = flows[1]
        XCTAssertEqual(requests["src"] as? String, "192.168.70.6")
        XCTAssertEqual(requests["dst"] as? String, "192.168.70.4")
        XCTAssertEqual(requests["dest_qp"] as? Int, 0x45)
        XCTAssertEqual(requests["packets"] as? Int, 68)
        XCTAssertEqual(requests["opcodes"] as? [String: Int],
                       ["RC_SEND_FIRST": 33, "RC_SEND_LAST_IMM": 33, "RC_SEND_ONLY_IMM": 1, "RC_ACKNOWLEDGE": 1])
        XCTAssertEqual(acks["src"] as? String, "192.168.70.4")
        XCTAssertEqual(acks["dest_qp"] as? Int, 0x48)
        XCTAssertEqual(acks["packets"] as? Int, 37)
        XCTAssertEqual(acks["opcodes"] as? [String: Int], ["RC_ACKNOWLEDGE": 36, "RC_SEND_ONLY_IMM": 1])
        // The ACKs leave UDP source port 69: classified by destination port, all counted.
        XCTAssertEqual(acks["acks"] as? Int, 36)
        let ecn = try XCTUnwrap(acks["ecn"] as? [String: Any])
        XCTAssertEqual(ecn["ect_packets"] as? Int, 37)
        XCTAssertEqual(ecn["ce_packets"] as? Int, 0)
        XCTAssertEqual(ecn["ce_fraction"] as? Double, 0)
        // Notes say what µs timestamps cannot resolve.
        let notes = try XCTUnwrap(json["notes"] as? [String])
        XCTAssertTrue(notes.contains { $0.contains("Timestamps resolve 1 µs") }, "\(notes)")
    }

    func testTableShowsFlowsLargestFirstWithTotals() throws {
        let result = try Run.fabricscope(["analyze", Run.fixture("real/roce-rc-send-real.pcap")])
        XCTAssertEqual(result.status, 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("123 packets (105 RoCE/IB, 18 other)"), lines[0])
        let first = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("192.168.70.6") })
        let second = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("192.168.70.4") })
        XCTAssertLessThan(first, second)
        XCTAssertTrue(lines.contains { $0.hasPrefix("TOTAL") && $0.contains(" 105 ") }, result.stdout)
    }
}
