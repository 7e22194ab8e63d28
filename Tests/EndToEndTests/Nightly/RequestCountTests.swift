import TestSupport
import Foundation
import XCTest

/// What a night counts as requests, on real traffic. When both hosts send requests
/// over one RC connection, the flow to a host's QP carries the other host's requests
/// and also its ACKs (and READ responses) for this host's requests. In
/// shared/captures/ib2-erf-cm.pcap (InfiniBand) lid:12's flow holds 40 requests and 20
/// ACKs; in Fixtures/real/roce-rc-send-real.pcap (RoCEv2, ConnectX) 192.168.70.6's
/// holds 67 requests and 1 ACK. The health check's retransmitted share and the
/// `requests_total` counters divide by requests alone; before, they counted every
/// packet of a request-carrying flow (120 "requests" in the IB capture where tshark
/// finds 60), which diluted the share against its limits. The requests' own bytes,
/// kept in summaries for the mean request size, must equal tshark's frame lengths.
final class RequestCountTests: XCTestCase {
    func testInfiniBandRequestsAgreeWithTShark() throws {
        try check(try SharedCaptures.path("ib2-erf-cm.pcap"),
                  requests: ["lid:12 lid:18": 40, "lid:18 lid:12": 20], fabric: 60,
                  bytes: ["lid:12": 2320, "lid:18": 840], carrierPackets: [60, 60])
    }

    func testRoCERequestsAgreeWithTShark() throws {
        try check(Run.fixture("real/roce-rc-send-real.pcap"),
                  requests: ["192.168.70.6 192.168.70.4": 67, "192.168.70.4 192.168.70.6": 1], fabric: 68,
                  bytes: ["192.168.70.6": 71_062, "192.168.70.4": 206], carrierPackets: [68, 37])
    }

    /// `requests` per "src dst" link and `bytes` per source, as tshark counts the RC
    /// request opcodes (asserted first, so the expectations are tshark's); then the same
    /// from `nightly --prometheus` and from the summary. `carrierPackets`: the packets of
    /// the request-carrying flows, more than their requests.
    private func check(_ capture: String, requests: [String: Int], fabric: Int, bytes: [String: Int],
                       carrierPackets: [Int]) throws {
        let fields = try Run.program(TShark.path(), [
            "-n", "--disable-protocol", "tftp", "-r", capture, "-Y", "infiniband.bth", "-T", "fields", "-E", "separator=|",
            "-e", "ip.src", "-e", "ip.dst", "-e", "infiniband.lrh.slid", "-e", "infiniband.lrh.dlid",
            "-e", "infiniband.bth.opcode", "-e", "frame.len"])
        XCTAssertEqual(fields.status, 0, fields.stderr)
        var tsharkRequests: [String: Int] = [:], tsharkBytes: [String: Int] = [:]
        for line in fields.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, let opcode = Int(f[4]), let length = Int(f[5]), TSharkTransport.isRCRequest(opcode) else { continue }
            let (src, dst) = f[0].isEmpty ? ("lid:" + f[2], "lid:" + f[3]) : (f[0], f[1])
            tsharkRequests["\(src) \(dst)", default: 0] += 1
            tsharkBytes[src, default: 0] += length
        }
        XCTAssertEqual(tsharkRequests, requests)
        XCTAssertEqual(tsharkBytes, bytes)

        let directory = try Run.scratchDirectory()
        let prometheus = directory.appendingPathComponent("fabricscope.prom").path
        let result = try Run.fabricscope(["nightly", "--db", directory.appendingPathComponent("fabric.db").path,
                                          "--label", "real", "--prometheus", prometheus, "-T", "json", capture])
        XCTAssertEqual(result.status, 0, result.stderr)
        var counted: [String: Int] = [:]
        var fabricCount: Int?
        for line in try String(contentsOfFile: prometheus, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "fabricscope_fabric_requests_total" { fabricCount = value }
            guard parts[0].hasPrefix("fabricscope_link_requests_total{") else { continue }
            let labels = parts[0].split(separator: "\"")
            counted["\(labels[1]) \(labels[3])"] = value
        }
        XCTAssertEqual(counted, requests, "link requests as tshark counts them")
        XCTAssertEqual(fabricCount, fabric)

        let analysis = try Run.fabricscope(["analyze", "-T", "json", capture]).json()
        let flows = try XCTUnwrap(analysis["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.filter { $0["requester_qp"] != nil }.map { $0["packets"] as? Int }, carrierPackets)

        let summaryPath = directory.appendingPathComponent("real.summary.json").path
        let written = try Run.fabricscope(["analyze", capture, "--summary-out", summaryPath, "-o", "/dev/null"])
        XCTAssertEqual(written.status, 0, written.stderr)
        let summary = try RunResult(status: 0, stdout: String(contentsOfFile: summaryPath, encoding: .utf8), stderr: "").json()
        var keptBytes: [String: Int] = [:]
        for flow in try XCTUnwrap(summary["flows"] as? [[String: Any]]) {
            guard let requester = flow["requester"] as? [String: Any], let key = flow["key"] as? [String: Any],
                  let source = key["source"] as? [String: Any], let kind = source["kind"] as? Int,
                  let low = source["low"] as? Int else { continue }
            // Summaries store addresses as (kind, high, low): kind 0 is IPv4, 3 a LID.
            let name = kind == 3 ? "lid:\(low)" : (0..<4).map { String(low >> (24 - 8 * $0) & 0xff) }.joined(separator: ".")
            keptBytes[name] = requester["requestWireBytes"] as? Int
        }
        XCTAssertEqual(keptBytes, bytes)
    }
}
