import TestSupport
import Foundation
import XCTest

/// Connections set up with CM REQ/REP in the capture are paired from the exchange
/// (which tshark decodes to the same QPNs), and the starting PSN it announces makes
/// the loss of a connection's very first packets visible.
final class ConnectionManagementTests: XCTestCase {
    func testPairingAndStartingPSNFromCM() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("cm.pcap").path
        let generated = try Run.fabricscope([
            "generate", capture, "--cm", "--qps", "2", "--ranks", "3", "--size", "256KiB", "--seed", "4",
        ])
        XCTAssertEqual(generated.status, 0, generated.stderr)

        // tshark's CM dissector reads the QPNs we put in the REQs and REPs.
        let fields = try Run.program(TShark.path(), [
            "-r", capture, "-Y", "infiniband.cm.req.localqpn || infiniband.cm.rep.localqpn", "-T", "fields",
            "-E", "separator=|", "-e", "infiniband.cm.req.localqpn", "-e", "infiniband.cm.rep.localqpn",
        ])
        let lines = fields.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        XCTAssertEqual(lines.count, 12, "6 connections: a REQ and a REP each")
        let requesterQPs = Set(lines.compactMap { $0.first.flatMap { Int($0.dropFirst(2), radix: 16) } })
        let responderQPs = Set(lines.compactMap { $0.count > 1 ? Int($0[1].dropFirst(2), radix: 16) : nil })
        XCTAssertEqual(requesterQPs, [0x1000, 0x1001, 0x1002, 0x1100, 0x1101, 0x1102])
        XCTAssertEqual(responderQPs, [0x2000, 0x2001, 0x2002, 0x2100, 0x2101, 0x2102])

        let result = try Run.fabricscope(["analyze", "-T", "json", capture])
        let json = try result.json()
        XCTAssertEqual((json["capture"] as? [String: Any])?["cm_connections"] as? Int, 6)
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        for flow in flows where (flow["dest_qp"] as! Int) >= 0x2000 {
            let qp = flow["dest_qp"] as! Int
            XCTAssertEqual(flow["requester_qp"] as? Int, qp - 0x1000)
        }

        // Drop the first data packet of one connection before "the tap": only the
        // starting PSN from the REQ reveals it.
        let first = try Run.program(TShark.path(), [
            "-r", capture, "-Y", "infiniband.bth.opcode == 6 && infiniband.bth.destqp == 0x2000", "-T", "fields",
            "-e", "frame.number",
        ])
        let frame = String(first.stdout.split(separator: "\n").first ?? "")
        XCTAssertFalse(frame.isEmpty)
        let cut = directory.appendingPathComponent("cut.pcap").path
        let editcap = TShark.candidates[0].replacingOccurrences(of: "tshark", with: "editcap")
        let edited = try Run.program(URL(fileURLWithPath: editcap), [capture, cut, frame])
        XCTAssertEqual(edited.status, 0, edited.stderr)
        let after = try Run.fabricscope(["analyze", "-T", "json", cut])
        let victim = try XCTUnwrap((try after.json()["flows"] as? [[String: Any]])?.first { $0["dest_qp"] as? Int == 0x2000 })
        let gaps = try XCTUnwrap(victim["psn_gaps"] as? [String: Any])
        XCTAssertEqual(gaps["missing_psns"] as? Int, 1)
        XCTAssertEqual(gaps["events"] as? Int, 1)
    }

    /// Requests sent as RoCEv1 (GRH with IPv4-mapped GIDs) and answered over RoCEv2:
    /// one host, one name, so the two directions pair exactly as in the all-RoCEv2 file.
    func testRoCEv1RequestsAnsweredOverRoCEv2Pair() throws {
        func flows(_ fixture: String) throws -> [String: [String: Any]] {
            let result = try Run.fabricscope(["analyze", "-T", "json", Run.fixture(fixture)])
            XCTAssertEqual(result.status, 0, result.stderr)
            let list = try XCTUnwrap(try result.json()["flows"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: list.map { ("\($0["src"]!) \($0["dst"]!) \($0["dest_qp"]!)", $0) })
        }
        let mixed = try flows("derived/ring4-faults.rocev1-requests.pcap")
        let plain = try flows("generated/ring4-faults-snap256.pcap")
        XCTAssertEqual(Set(mixed.keys), Set(plain.keys))
        XCTAssertTrue(mixed.keys.allSatisfy { !$0.contains("::ffff:") }, "\(mixed.keys)")
        var requestFlows = 0
        for (key, flow) in plain where flow["retransmitted_packets"] != nil {
            requestFlows += 1
            let other = try XCTUnwrap(mixed[key])
            XCTAssertEqual(other["encapsulation"] as? String, "rocev1", key)
            XCTAssertEqual(other["requester_qp"] as? Int, flow["requester_qp"] as? Int, key)
            XCTAssertNotNil(other["requester_qp"] as? Int, key)
            for field in ["retransmitted_packets", "retransmission_episode_count"] {
                XCTAssertEqual(other[field] as? Int, flow[field] as? Int, "\(key) \(field)")
            }
            let ours = try XCTUnwrap(other["ack_latency_ns"] as? [String: Any]), theirs = try XCTUnwrap(flow["ack_latency_ns"] as? [String: Any])
            XCTAssertEqual(ours["count"] as? Int, theirs["count"] as? Int, key)
            XCTAssertEqual(ours["p99"] as? Int, theirs["p99"] as? Int, key)
        }
        XCTAssertEqual(requestFlows, 4)
    }
}
