import TestSupport
import Foundation
import XCTest

/// Latency, retransmission, gap, PFC and CNP statistics against what the generator
/// injected (its truth file), computed independently here from the raw truth.
final class GeneratedStatisticsTests: XCTestCase {
    /// Nearest-rank percentile: the smallest sample with at least p % of samples at or below it.
    func nearestRank(_ sorted: [Int64], _ percentile: Double) -> Int64 {
        let rank = max(1, Int((percentile / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    func load(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func flow(_ flows: [[String: Any]], _ truth: [String: Any]) -> [String: Any]? {
        flows.first {
            $0["src"] as? String == truth["src"] as? String && $0["dst"] as? String == truth["dst"] as? String
                && $0["dest_qp"] as? Int == truth["dest_qp"] as? Int
        }
    }

    func assertStatistics(capture: String, truth truthPath: String, line: UInt = #line) throws {
        let result = try Run.fabricscope(["analyze", "-T", "json", capture])
        XCTAssertEqual(result.status, 0, result.stderr, line: line)
        let json = try result.json()
        let truth = try load(truthPath)
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        let truthFlows = try XCTUnwrap(truth["flows"] as? [[String: Any]])
        var checkedLatencies = 0
        for expected in truthFlows where (expected["opcodes"] as? [String: Int])?["RC_RDMA_WRITE_FIRST"] != nil {
            let name = "\(expected["src"]!)→\(expected["dst"]!)"
            let actual = try XCTUnwrap(flow(flows, expected), name, line: line)
            let requester = actual  // requester fields sit in the flow object
            XCTAssertEqual(requester["retransmitted_packets"] as? Int, expected["retransmitted_packets"] as? Int,
                           "\(name) retransmitted", line: line)
            XCTAssertEqual(requester["ambiguous_samples"] as? Int, expected["ambiguous_ack_samples"] as? Int,
                           "\(name) ambiguous", line: line)
            // Episodes: one per NAK the responder sent, plus one per timeout.
            let response = try XCTUnwrap(truthFlows.first {
                $0["src"] as? String == expected["dst"] as? String && $0["dst"] as? String == expected["src"] as? String
            })
            let naks = response["naks"] as! Int, timeouts = expected["timeout_retransmissions"] as! Int
            let episodes = requester["retransmission_episodes"] as? [[String: Any]] ?? []
            XCTAssertEqual(requester["retransmission_episode_count"] as? Int, naks + timeouts, "\(name) episodes", line: line)
            XCTAssertEqual(episodes.filter { $0["cause"] as? String == "nak" }.count, naks, "\(name) NAK episodes", line: line)
            XCTAssertEqual(episodes.filter { $0["cause"] as? String == "timeout" }.count, timeouts, name, line: line)
            XCTAssertEqual(requester["requester_qp"] as? Int, response["dest_qp"] as? Int, name, line: line)
            let answering = try XCTUnwrap(flow(flows, response))
            XCTAssertEqual(answering["answers_qp"] as? Int, expected["dest_qp"] as? Int, name, line: line)

            let samples = (expected["ack_latencies_ns"] as? [Int] ?? []).map(Int64.init).sorted()
            if samples.isEmpty {
                XCTAssertNil(actual["ack_latency_ns"], name, line: line)
            } else {
                let latency = try XCTUnwrap(actual["ack_latency_ns"] as? [String: Any], name, line: line)
                XCTAssertEqual(latency["count"] as? Int, samples.count, "\(name) samples", line: line)
                XCTAssertEqual(latency["min"] as? Int, Int(samples.first!), "\(name) min", line: line)
                XCTAssertEqual(latency["max"] as? Int, Int(samples.last!), "\(name) max", line: line)
                let mean = Double(samples.reduce(0, +)) / Double(samples.count)
                XCTAssertEqual(latency["mean"] as? Double ?? -1, mean, accuracy: mean * 1e-9, "\(name) mean", line: line)
                for (key, p) in [("p50", 50.0), ("p90", 90.0), ("p99", 99.0)] {
                    let exact = Double(nearestRank(samples, p))
                    let reported = Double(latency[key] as? Int ?? -1)
                    XCTAssertEqual(reported, exact, accuracy: exact * 0.001 + 1, "\(name) \(key)", line: line)
                }
                checkedLatencies += samples.count
            }
            if let gap = expected["packet_gap_ns"] as? Int {
                let gaps = try XCTUnwrap(actual["gap_ns"] as? [String: Any], name, line: line)
                XCTAssertEqual(gaps["min"] as? Int, gap, "\(name) gap", line: line)
                XCTAssertEqual(gaps["max"] as? Int, gap, "\(name) gap", line: line)
            }
        }
        XCTAssertGreaterThan(checkedLatencies, 10, line: line)

        for expected in truthFlows where (expected["cnp_packets"] as? Int ?? 0) > 0 {
            let actual = try XCTUnwrap(flow(flows, expected))
            let cnp = try XCTUnwrap(actual["cnp"] as? [String: Any])
            XCTAssertEqual(cnp["count"] as? Int, expected["cnp_packets"] as? Int, line: line)
            let delay = try XCTUnwrap(cnp["ecn_to_cnp_ns"] as? [String: Any])
            XCTAssertEqual(delay["count"] as? Int, expected["cnp_packets"] as? Int, "every CNP answers a CE mark", line: line)
            XCTAssertGreaterThanOrEqual(delay["min"] as? Int ?? 0, 1500, "the generator's CNP delay is ≥ 1.5 µs", line: line)
            if let gap = cnp["min_gap_ns"] as? Int { XCTAssertGreaterThanOrEqual(gap, 4000, "CNPs ≥ 4 µs apart", line: line) }
        }

        let captureEnd = try XCTUnwrap((json["capture"] as? [String: Any])?["end_ns"] as? Int)
        for expected in truth["pfc"] as? [[String: Any]] ?? [] {
            let entry = try XCTUnwrap((json["pfc"] as? [[String: Any]])?.first {
                $0["source_mac"] as? String == expected["source_mac"] as? String
            })
            // Union of the injected pause intervals, clipped to the end of the capture.
            let intervals = (expected["episodes"] as! [[Int]]).map { ($0[0], min($0[1], captureEnd)) }.sorted { $0.0 < $1.0 }
            var merged: [(Int, Int)] = []
            for interval in intervals {
                if let lastEnd = merged.last?.1, interval.0 <= lastEnd {
                    merged[merged.count - 1].1 = max(lastEnd, interval.1)
                } else {
                    merged.append(interval)
                }
            }
            XCTAssertEqual(entry["paused_ns"] as? Int, merged.reduce(0) { $0 + $1.1 - $1.0 }, "paused", line: line)
            XCTAssertEqual(entry["longest_pause_ns"] as? Int, merged.map { $0.1 - $0.0 }.max(), "longest", line: line)
        }
    }

    func testCommittedFixtures() throws {
        try assertStatistics(capture: Run.fixture("generated/ring4-faults.pcap"),
                             truth: Run.fixture("generated/ring4-faults.truth.json"))
        // PSNs wrap past 2^24 in this one, on IPv6 with a VLAN and a 128-byte snaplen.
        try assertStatistics(capture: Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap"),
                             truth: Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.truth.json"))
    }

    func testJitteryLossyRun() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("run.pcap").path
        let truth = directory.appendingPathComponent("run.json").path
        let generated = try Run.fabricscope([
            "generate", capture, "--truth", truth, "--ranks", "5", "--size", "5MiB", "--iterations", "3",
            "--loss", "0.001", "--ce", "0.05", "--pfc", "4", "--jitter", "5us", "--seed", "23", "--snaplen", "128",
        ])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        try assertStatistics(capture: capture, truth: truth)
    }
}
