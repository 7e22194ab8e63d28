import TestSupport
import Foundation
import XCTest

/// `analyze` against what `generate` says it emitted (the ground truth file), for
/// every counter the truth knows: packets, wire and payload bytes (payload from
/// length fields even when the snaplen kept 128 bytes), opcodes, ACKs, NAKs, CNPs,
/// ECN marks and PFC.
final class GeneratedTruthTests: XCTestCase {
    func assertMatchesTruth(capture: String, truth: String, line: UInt = #line) throws {
        let result = try Run.fabricscope(["analyze", "-T", "json", capture])
        XCTAssertEqual(result.status, 0, result.stderr, line: line)
        let json = try result.json()
        let truthJSON = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [String: Any])
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        let expectedFlows = try XCTUnwrap(truthJSON["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.count, expectedFlows.count, line: line)
        for expected in expectedFlows {
            let name = "\(expected["src"]!) → \(expected["dst"]!) qp \(expected["dest_qp"]!)"
            guard let flow = flows.first(where: {
                $0["src"] as? String == expected["src"] as? String && $0["dst"] as? String == expected["dst"] as? String
                    && $0["dest_qp"] as? Int == expected["dest_qp"] as? Int
            }) else {
                XCTFail("missing flow \(name)", line: line)
                continue
            }
            for key in ["packets", "wire_bytes", "payload_bytes", "acks", "cnp_packets"] {
                XCTAssertEqual(flow[key] as? Int, expected[key] as? Int, "\(name) \(key)", line: line)
            }
            let naks = (flow["naks"] as? [String: Int] ?? [:]).values.reduce(0, +)
            XCTAssertEqual(naks, expected["naks"] as? Int, "\(name) naks", line: line)
            let ecn = try XCTUnwrap(flow["ecn"] as? [String: Any])
            XCTAssertEqual(ecn["ce_packets"] as? Int, expected["ce_packets"] as? Int, "\(name) CE", line: line)
            XCTAssertEqual(ecn["ect_packets"] as? Int, expected["ect_packets"] as? Int, "\(name) ECT", line: line)
            XCTAssertEqual(flow["opcodes"] as? [String: Int], expected["opcodes"] as? [String: Int], name, line: line)
        }
        let pfc = try XCTUnwrap(json["pfc"] as? [[String: Any]])
        let expectedPFC = try XCTUnwrap(truthJSON["pfc"] as? [[String: Any]])
        XCTAssertEqual(pfc.count, expectedPFC.count, line: line)
        for expected in expectedPFC {
            let entry = try XCTUnwrap(pfc.first { $0["source_mac"] as? String == expected["source_mac"] as? String })
            for key in ["priority", "xoff_frames", "xon_frames", "pause_quanta"] {
                XCTAssertEqual(entry[key] as? Int, expected[key] as? Int, key, line: line)
            }
            // At the default 400 Gb/s one quantum is 1.28 ns.
            XCTAssertEqual(entry["pause_ns"] as? Double ?? -1, Double(expected["pause_quanta"] as! Int) * 1.28,
                           accuracy: 1e-6, line: line)
        }
    }

    func testCommittedFixturesMatchTheirTruth() throws {
        try assertMatchesTruth(capture: Run.fixture("generated/ring4-faults.pcap"),
                               truth: Run.fixture("generated/ring4-faults.truth.json"))
        try assertMatchesTruth(capture: Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap"),
                               truth: Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.truth.json"))
    }

    func testFreshlyGeneratedHeavyFaults() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("heavy.pcap").path
        let truth = directory.appendingPathComponent("heavy.json").path
        let generated = try Run.fabricscope([
            "generate", capture, "--truth", truth, "--ranks", "6", "--size", "3MiB", "--loss", "0.002",
            "--ce", "0.2", "--pfc", "5", "--vlan", "7", "--seed", "11", "--snaplen", "96",
        ])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        try assertMatchesTruth(capture: capture, truth: truth)
    }
}
