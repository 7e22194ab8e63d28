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
}
