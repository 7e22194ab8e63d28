import TestSupport
import Foundation
import XCTest

/// A queue pair set up again by a new CM exchange (rping and rdma_cm applications
/// reuse QP numbers) is a new stream: its PSNs start elsewhere, and neither a
/// retransmission nor a gap may be read across the two connections.
final class ConnectionLifecycleTests: XCTestCase {
    /// Two runs of the same job (same QP numbers, each with its CM exchange), the second
    /// starting 1,000 s after the first with PSNs that step back, in one capture file.
    func testSecondConnectionOnTheSameQPsIsANewStream() throws {
        let directory = try Run.scratchDirectory()
        var files: [Data] = []
        for (name, psn) in [("first", "5000000"), ("second", "100")] {
            let path = directory.appendingPathComponent(name + ".pcap").path
            let generated = try Run.fabricscope(["generate", path, "--cm", "--size", "64KiB", "--start-psn", psn])
            XCTAssertEqual(generated.status, 0, generated.stderr)
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let joined = directory.appendingPathComponent("joined.pcap")
        try (files[0] + ConnectionLifecycleTests.records(of: files[1], laterBySeconds: 1000)).write(to: joined)

        let result = try Run.fabricscope(["analyze", "-T", "json", joined.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try result.json()
        XCTAssertEqual((json["capture"] as? [String: Any])?["cm_connections"] as? Int, 8)
        let requestFlows = try XCTUnwrap(json["flows"] as? [[String: Any]]).filter { $0["psn_gaps"] != nil }
        XCTAssertEqual(requestFlows.count, 4)
        for flow in requestFlows {
            XCTAssertEqual(flow["retransmitted_packets"] as? Int, 0, "\(flow["src"]!)")
            XCTAssertEqual((flow["psn_gaps"] as? [String: Any])?["events"] as? Int, 0, "\(flow["src"]!)")
            XCTAssertEqual(flow["cm_reconnections"] as? Int, 1, "\(flow["src"]!)")
            XCTAssertEqual(flow["cm_starting_psn"] as? Int, 100, "the second connection's announcement")
        }
    }

    /// The records of a classic pcap (after its 24-byte header), each stamped `seconds` later.
    static func records(of file: Data, laterBySeconds seconds: UInt32) -> Data {
        var bytes = [UInt8](file.dropFirst(24))
        var offset = 0
        while offset + 16 <= bytes.count {
            let read = { (at: Int) in (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
            let stamp = read(offset) + seconds
            for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: stamp >> (8 * UInt32(byte))) }
            offset += 16 + Int(read(offset + 8))
        }
        return Data(bytes)
    }
}
