import Foundation
import XCTest

/// What a night counts as requests, on real InfiniBand traffic. In
/// shared/captures/ib2-erf-cm.pcap both hosts send requests over one RC connection,
/// so the flow to lid:18's QP carries lid:12's requests and also its ACKs of
/// lid:18's SENDs (and the other way round). The health
/// check's retransmitted share and the `requests_total` counters divide by requests
/// alone; before, they counted every packet of a request-carrying flow (120 "requests"
/// where tshark finds 60), which diluted the share against its limits.
final class RequestCountTests: XCTestCase {
    func testRequestsPerLinkAgreeWithTShark() throws {
        let capture = try SharedCaptures.path("ib2-erf-cm.pcap")
        // tshark's RC request opcodes per (source LID, destination LID).
        var expected: [String: Int] = [:]
        for packet in try TSharkTransport(file: capture, microseconds: true).packets
        where TSharkTransport.isRCRequest(packet.opcode) {
            expected["\(packet.src) \(packet.dst)", default: 0] += 1
        }
        XCTAssertEqual(expected, ["lid:12 lid:18": 40, "lid:18 lid:12": 20])

        let directory = try Run.scratchDirectory()
        let prometheus = directory.appendingPathComponent("fabricscope.prom").path
        let result = try Run.fabricscope(["nightly", "--db", directory.appendingPathComponent("fabric.db").path,
                                          "--label", "ib", "--prometheus", prometheus, "-T", "json", capture])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: prometheus, encoding: .utf8)
        var counted: [String: Int] = [:]
        var fabric: Int?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "fabricscope_fabric_requests_total" { fabric = value }
            let name = String(parts[0])
            guard name.hasPrefix("fabricscope_link_requests_total{") else { continue }
            let labels = name.split(separator: "\"")
            counted["\(labels[1]) \(labels[3])"] = value
        }
        XCTAssertEqual(counted, expected, "link requests as tshark counts them")
        XCTAssertEqual(fabric, 60)

        // The request-carrying flows themselves hold more than their requests: lid:12's
        // 40 requests ride with 20 ACKs, lid:18's 20 SENDs with 30 ACKs and 10 READ
        // responses.
        let analysis = try Run.fabricscope(["analyze", "-T", "json", capture]).json()
        let flows = try XCTUnwrap(analysis["flows"] as? [[String: Any]])
        let carriers = flows.filter { $0["requester_qp"] != nil }
        XCTAssertEqual(carriers.map { "\($0["src"]!) \($0["dst"]!)" }.sorted(), ["lid:12 lid:18", "lid:18 lid:12"])
        XCTAssertEqual(carriers.map { $0["packets"] as? Int }, [60, 60])

        // The requests' own bytes, kept in the summary for the mean request size,
        // against tshark's frame lengths of the request opcodes.
        let fields = try Run.program(TShark.path(), ["-n", "-r", capture, "-Y", "infiniband.bth", "-T", "fields",
                                                     "-e", "infiniband.lrh.slid", "-e", "infiniband.bth.opcode", "-e", "frame.len"])
        XCTAssertEqual(fields.status, 0, fields.stderr)
        var tsharkBytes: [String: Int] = [:]
        for line in fields.stdout.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 3, let opcode = Int(f[1]), let length = Int(f[2]), TSharkTransport.isRCRequest(opcode) else { continue }
            tsharkBytes["lid:" + f[0], default: 0] += length
        }
        XCTAssertEqual(tsharkBytes, ["lid:12": 2320, "lid:18": 840])
        let summaryPath = directory.appendingPathComponent("ib.summary.json").path
        let written = try Run.fabricscope(["analyze", capture, "--summary-out", summaryPath, "-o", "/dev/null"])
        XCTAssertEqual(written.status, 0, written.stderr)
        let summary = try RunResult(status: 0, stdout: String(contentsOfFile: summaryPath, encoding: .utf8), stderr: "").json()
        var keptBytes: [String: Int] = [:]
        for flow in try XCTUnwrap(summary["flows"] as? [[String: Any]]) {
            // Summaries store addresses as (kind, high, low); kind 3 is a LID.
            guard let requester = flow["requester"] as? [String: Any], let key = flow["key"] as? [String: Any],
                  let source = key["source"] as? [String: Any], source["kind"] as? Int == 3,
                  let lid = source["low"] as? Int else { continue }
            keptBytes["lid:\(lid)"] = requester["requestWireBytes"] as? Int
        }
        XCTAssertEqual(keptBytes, tsharkBytes)
    }
}
