import Foundation
import TestSupport
import XCTest

/// Collectives as NCCL runs them (issue 25): nccl-tests' back-to-back iterations and
/// size sweeps, channels, several QPs and the receivers' clear-to-send writes, from
/// `generate --nccl-tests` (NCCL's IB transport as docs/models.md reads it). A count
/// that cannot be established is uncertain, and nothing is judged on it.
final class NCCLTrafficTests: XCTestCase {
    private func analyze(_ arguments: [String], name: String) throws -> (ring: [String: Any], document: [String: Any], table: String) {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent(name + ".pcap").path
        let generated = try Run.fabricscope(["generate", capture] + arguments)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let json = try Run.fabricscope(["analyze", "-T", "json", capture])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try json.json()
        let ring = try XCTUnwrap((document["collectives"] as? [[String: Any]])?.first, "\(arguments): no ring")
        let table = try Run.fabricscope(["analyze", capture]).stdout
        return (ring, document, table)
    }

    private func healthCheckNames(_ document: [String: Any]) -> [String] {
        ((document["health"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    /// The issue's table: 3, 10 and 30 iterations back to back were "1 iteration,
    /// certain", with an efficiency that failed health. One iteration stays certain.
    func testBackToBackIterationsAreUncertainAndJudgeNothing() throws {
        for iterations in [1, 3, 10, 30] {
            let (ring, document, table) = try analyze(
                ["--ranks", "8", "--size", "64KiB", "--mtu", "1024", "--iterations", String(iterations),
                 "--iteration-gap", "0ns", "--seed", String(40 + iterations)], name: "b2b-\(iterations)")
            let what = "\(iterations) iterations back to back"
            XCTAssertEqual(ring["ranks"] as? Int, 8, what)
            if iterations == 1 {
                XCTAssertEqual(ring["iterations"] as? Int, 1, what)
                XCTAssertEqual(ring["iterations_certain"] as? Bool, true, what)
                XCTAssertNotNil(ring["efficiency"], what)
                XCTAssertNil(ring["iterations_uncertain"], what)
            } else {
                XCTAssertEqual(ring["iterations_certain"] as? Bool, false, what)
                XCTAssertEqual(ring["iterations_uncertain"] as? String, "back_to_back", what)
                XCTAssertNil(ring["efficiency"], what)
                XCTAssertNil(ring["predicted_ns"], what)
                XCTAssertTrue(table.contains("iteration count uncertain (iterations back to back"), table)
                XCTAssertFalse(table.contains("efficiency"), table)
                XCTAssertTrue((ring["notes"] as? [String] ?? []).contains { $0.contains("carried \(14 * iterations) messages") },
                              "\(ring["notes"] ?? "")")
            }
            XCTAssertFalse(healthCheckNames(document).contains { $0.contains("collective_efficiency") }, what)
        }
    }

    /// A sweep of four sizes pauses between sizes only: four busy periods, each of many
    /// iterations. Four "iterations" would be a wrong count marked certain (efficiency
    /// 112 %); the ring is still found through the clear-to-send writes, and a slow
    /// node is still named.
    func testNCCLTestsSweepWithChannelsQueuePairsAndClearToSend() throws {
        let base = ["--nccl-tests", "64KiB:512KiB", "--ranks", "6", "--iterations", "3", "--warmup", "1",
                    "--channels", "2", "--qps", "2", "--mtu", "1024", "--seed", "3"]
        let (ring, document, _) = try analyze(base, name: "sweep")
        XCTAssertEqual(ring["ranks"] as? Int, 6)
        XCTAssertEqual(ring["hosts"] as? [String], (1...6).map { "10.0.0.\($0)" })
        XCTAssertEqual(ring["iteration_boundary"] as? String, "traffic")
        XCTAssertEqual(ring["iterations_certain"] as? Bool, false)
        XCTAssertEqual(ring["iterations_uncertain"] as? String, "back_to_back")
        XCTAssertNil(ring["efficiency"])
        XCTAssertEqual(ring["links_even"] as? Bool, true)
        XCTAssertEqual((document["health"] as? [String: Any])?["status"] as? String, "ok")
        // Per rank pair: 2 channels × 2 QPs of data, and the clear-to-send writes back
        // on each channel's first QP (64 bytes each): one per slice.
        let flows = try XCTUnwrap(document["flows"] as? [[String: Any]])
        let forward = flows.filter { $0["src"] as? String == "10.0.0.1" && $0["dst"] as? String == "10.0.0.2" }
        let backward = flows.filter { $0["src"] as? String == "10.0.0.2" && $0["dst"] as? String == "10.0.0.1" }
        XCTAssertEqual(forward.count, 4)
        let ctsFlows = backward.filter { ($0["opcodes"] as? [String: Int])?["RC_RDMA_WRITE_ONLY"] != nil }
        XCTAssertEqual(ctsFlows.count, 2, "one clear-to-send flow per channel")
        // Slices per channel and step: every buffer fits one 1 MiB slice per channel
        // (size / 6 ranks / 2 channels): one clear-to-send per step.
        let steps = 10, iterations = (1 + 3) * 4
        for cts in ctsFlows {
            XCTAssertEqual((cts["opcodes"] as? [String: Int])?["RC_RDMA_WRITE_ONLY"], steps * iterations)
            XCTAssertEqual(cts["payload_bytes"] as? Int, 64 * steps * iterations)
        }

        let (slow, _, _) = try analyze(base + ["--slow-link", "3:2"], name: "sweep-slow")
        let straggler = try XCTUnwrap(slow["straggler"] as? [String: Any])
        XCTAssertEqual(straggler["src"] as? String, "10.0.0.4")
        XCTAssertEqual(straggler["dst"] as? String, "10.0.0.5")
    }

    /// A healthy nightly history of nccl-tests captures no longer fails every night on
    /// an efficiency computed from a wrong count.
    func testHealthyNCCLTestsNightsPass() throws {
        let directory = try Run.scratchDirectory()
        let nights = directory.appendingPathComponent("nights").path
        let generated = try Run.fabricscope(["generate", nights, "--nights", "3", "--nccl-tests", "64KiB:128KiB", "--ranks", "4",
                                             "--iterations", "10", "--warmup", "1", "--mtu", "1024", "--seed", "7"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let database = directory.appendingPathComponent("h.db").path
        for night in 1...3 {
            let capture = nights + String(format: "/night-%02d.pcap", night)
            let result = try Run.fabricscope(["nightly", "--db", database, "--label", "n\(night)", capture])
            XCTAssertEqual(result.status, 0, "night \(night): \(result.stdout)\(result.stderr)")
            XCTAssertFalse(result.stdout.contains("collective_efficiency"), result.stdout)
        }
    }
}
