import TestSupport
import XCTest

/// Real connections set up by the Communication Manager (shared/captures): a native
/// InfiniBand ibdump ERF capture from a ConnectX adapter and a SoftRoCE RoCEv2 one.
/// tshark shows each stream's PSNs strictly increasing and every request answered,
/// so FabricScope must report no retransmission, no PSN gap and one latency sample
/// per request→response pair that tshark's fields give.
final class SharedRealCaptureTests: XCTestCase {
    func testInfiniBandERFWithCM() throws {
        try check("ib2-erf-cm.pcap", expectedStreams: 2, cmConnections: 1)
    }

    func testSoftRoCEWithCM() throws {
        try check("softroce-send-cm.pcap", expectedStreams: 2, cmConnections: 1)
    }

    /// The capture without CM (ACKs from UDP port 69) holds to the same reference.
    func testConnectXWithoutCM() throws {
        let path = Run.fixture("real/roce-rc-send-real.pcap")
        try check(path: path, expectedStreams: 2, cmConnections: 0)
    }

    private func check(_ name: String, expectedStreams: Int, cmConnections: Int) throws {
        try check(path: SharedCaptures.path(name), expectedStreams: expectedStreams, cmConnections: cmConnections)
    }

    private func check(path: String, expectedStreams: Int, cmConnections: Int) throws {
        let reference = try TSharkTransport(file: path, microseconds: false).requestStreams()
        XCTAssertEqual(reference.count, expectedStreams, "\(reference.keys)")
        let result = try Run.fabricscope(["analyze", "-T", "json", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try result.json()
        let capture = try XCTUnwrap(json["capture"] as? [String: Any])
        XCTAssertEqual(capture["cm_connections"] as? Int, cmConnections)
        let warnings = try XCTUnwrap(capture["warnings"] as? [String])
        // (roce-rc-send-real.pcap really has one record stamped before its predecessor.)
        XCTAssertEqual(warnings.filter { !$0.contains("earlier than the record before") }, [], "no false warning")
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        // Two hosts trading a few messages are no collective.
        XCTAssertEqual((json["collectives"] as? [Any])?.count, 0)
        for (key, stream) in reference {
            // tshark's own view: strictly increasing PSNs, so nothing may be retransmitted.
            XCTAssertEqual(stream.psns, stream.psns.sorted(), key)
            XCTAssertEqual(Set(stream.psns).count, stream.psns.count, key)
            let flow = try XCTUnwrap(flows.first { "\($0["src"]!) \($0["dst"]!) \($0["dest_qp"]!)" == key }, key)
            XCTAssertEqual(flow["retransmitted_packets"] as? Int, 0, key)
            XCTAssertEqual(flow["retransmission_episode_count"] as? Int, 0, key)
            let gaps = try XCTUnwrap(flow["psn_gaps"] as? [String: Any])
            XCTAssertEqual(gaps["events"] as? Int, 0, key)
            XCTAssertEqual(gaps["missing_psns"] as? Int, 0, key)
            XCTAssertEqual(flow["first_psn"] as? Int, stream.psns.first, key)
            if cmConnections > 0 { XCTAssertEqual(flow["cm_starting_psn"] as? Int, stream.psns.first, key) }
            try compare(flow["ack_latency_ns"], stream.ackSamples, "\(key) ACK")
            try compare(flow["read_latency_ns"], stream.readSamples, "\(key) READ")
        }
    }

    /// Same number of samples, same extremes and the same mean as tshark's pairs.
    private func compare(_ entry: Any?, _ samples: [Int64], _ what: String) throws {
        guard !samples.isEmpty else {
            XCTAssertNil(entry, "\(what): no pair in tshark, so no distribution")
            return
        }
        let distribution = try XCTUnwrap(entry as? [String: Any], what)
        XCTAssertEqual(distribution["count"] as? Int, samples.count, what)
        XCTAssertEqual(distribution["min"] as? Int, Int(samples.min()!), what)
        XCTAssertEqual(distribution["max"] as? Int, Int(samples.max()!), what)
        let mean = Double(samples.reduce(0, +)) / Double(samples.count)
        XCTAssertEqual(try XCTUnwrap(distribution["mean"] as? Double), mean, accuracy: mean * 1e-9, what)
    }
}
