import TestSupport
import Foundation
import XCTest

/// Request→ACK latency on the real capture, computed here from tshark's decoding
/// (an independent dissector) with the definition in docs/metrics.md — the first
/// ACK whose PSN covers an AckReq request — and compared with `analyze`.
final class TSharkLatencyTests: XCTestCase {
    func testRealCaptureAckLatencyMatchesTSharkDerivedSamples() throws {
        let path = Run.fixture("real/roce-rc-send-real.pcap")
        let fields = ["frame.time_epoch", "ip.src", "ip.dst", "infiniband.bth.opcode", "infiniband.bth.destqp",
                      "infiniband.bth.a", "infiniband.bth.psn", "infiniband.aeth.syndrome"]
        let decoded = try Run.program(
            TShark.path(), ["-n", "--disable-protocol", "tftp", "-r", path, "-Y", "infiniband.bth.destqp",
                            "-T", "fields", "-E", "separator=|"] + fields.flatMap { ["-e", $0] })
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        // Requests 192.168.70.6 → .4 (QP 0x45) with AckReq; ACKs .4 → .6 (QP 0x48).
        var pending: [(psn: Int, time: Decimal)] = []
        var samples: [Int64] = []
        for line in decoded.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let time = Decimal(string: f[0])!
            let opcode = Int(f[3])!, qp = Int(f[4].dropFirst(2), radix: 16)!, psn = Int(f[6])!
            if f[1] == "192.168.70.6", qp == 0x45, opcode != 0x11, f[5] == "1" || f[5] == "True" {
                pending.append((psn, time))
            } else if f[1] == "192.168.70.4", qp == 0x48, opcode == 0x11, Int(f[7]).map({ $0 >> 5 == 0 }) == true {
                while let first = pending.first, first.psn <= psn {
                    pending.removeFirst()
                    let nanoseconds = NSDecimalNumber(decimal: (time - first.time) * 1_000_000_000).int64Value
                    samples.append(nanoseconds)
                }
            }
        }
        samples.sort()
        XCTAssertGreaterThan(samples.count, 30)
        let fastest = try XCTUnwrap(samples.first), slowest = try XCTUnwrap(samples.last)

        let result = try Run.fabricscope(["analyze", "-T", "json", path])
        let flows = try XCTUnwrap(try result.json()["flows"] as? [[String: Any]])
        let requests = try XCTUnwrap(flows.first { $0["dest_qp"] as? Int == 0x45 })
        let latency = try XCTUnwrap(requests["ack_latency_ns"] as? [String: Any])
        XCTAssertEqual(latency["count"] as? Int, samples.count)
        XCTAssertEqual(latency["min"] as? Int, Int(fastest))
        XCTAssertEqual(latency["max"] as? Int, Int(slowest))
        let median = samples[(samples.count + 1) / 2 - 1]  // nearest rank
        XCTAssertEqual(Double(latency["p50"] as? Int ?? 0), Double(median), accuracy: Double(median) * 0.001)
        // µs timestamps: every sample is a whole number of µs, and the output says so.
        XCTAssertTrue(samples.allSatisfy { $0 % 1000 == 0 })
    }
}
