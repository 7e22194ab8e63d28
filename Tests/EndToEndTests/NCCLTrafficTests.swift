import Foundation
import TestSupport
import XCTest

/// Collectives as NCCL runs them (issue 25): nccl-tests' back-to-back iterations and
/// size sweeps, channels, several QPs and the receivers' clear-to-send writes, from
/// `generate --nccl-tests` (NCCL's IB transport as docs/models.md reads it). A count
/// that cannot be established is uncertain, and nothing is judged on it.
final class NCCLTrafficTests: XCTestCase {
    private var scratchCapture = ""

    private func analyze(_ arguments: [String], name: String) throws -> (ring: [String: Any], document: [String: Any], table: String) {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent(name + ".pcap").path
        scratchCapture = capture
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

        // Per size, a busy period with the bytes each rank sent (exactly: 4 iterations of
        // 10 steps, 2 channels each sending size/6/2), and nccl-tests' busbw as an
        // independent reading of the pcap gives it (below), within 5 %.
        let phases = try XCTUnwrap(ring["phases"] as? [[String: Any]])
        XCTAssertEqual(phases.count, 4)
        let independent = try NCCLTrafficTests.busbwFromThePcap(scratchCapture)
        for (k, size) in [65_536, 131_072, 262_144, 524_288].enumerated() {
            XCTAssertEqual(phases[k]["bytes_per_rank"] as? Int, size / 6 / 2 * 2 * 10 * 4, "period \(k + 1)")
            let busbw = try XCTUnwrap(phases[k]["busbw_bps"] as? Double)
            XCTAssertEqual(busbw, independent[k], accuracy: independent[k] * 0.05, "period \(k + 1)")
            XCTAssertLessThan(busbw, 400e9)
            XCTAssertEqual(try XCTUnwrap(phases[k]["algbw_bps"] as? Double), busbw * 6 / 10, accuracy: 1)
        }

        let (slow, _, _) = try analyze(base + ["--slow-link", "3:2"], name: "sweep-slow")
        let straggler = try XCTUnwrap(slow["straggler"] as? [String: Any])
        XCTAssertEqual(straggler["src"] as? String, "10.0.0.4")
        XCTAssertEqual(straggler["dst"] as? String, "10.0.0.5")
    }

    /// Two switch configurations under the same nccl-tests sweep: compare puts each
    /// size's busbw side by side (untested: one value a side) and names the candidate's
    /// slow link; its JSON holds to the schema.
    func testCompareSetsEachSizesBusbwSideBySide() throws {
        let directory = try Run.scratchDirectory()
        let sweep = ["--nccl-tests", "64KiB:512KiB", "--ranks", "6", "--iterations", "3", "--warmup", "1", "--mtu", "1024"]
        let a = directory.appendingPathComponent("a.pcap").path, b = directory.appendingPathComponent("b.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", a] + sweep + ["--seed", "3"]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["generate", b] + sweep + ["--seed", "4", "--slow-link", "2:2"]).status, 0)
        let result = try Run.fabricscope(["compare", "-T", "json", a, b])
        XCTAssertEqual(result.status, 0, result.stderr)
        let path = directory.appendingPathComponent("compare.json").path
        try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
        try SchemaValidator.validate([path], schema: "compare-v1.schema.json")
        let periods = try XCTUnwrap(try result.json()["periods"] as? [[String: Any]])
        XCTAssertEqual(periods.count, 4)
        for (k, size) in [65_536, 131_072, 262_144, 524_288].enumerated() {
            let bytes = try XCTUnwrap(periods[k]["bytes_per_rank"] as? [Int])
            XCTAssertEqual(bytes, [size / 6 / 2 * 2 * 10 * 4, size / 6 / 2 * 2 * 10 * 4])
            // A ring goes at its slowest link's pace: within a period the links' rates are
            // even, or the slow one stands apart; never another.
            XCTAssertTrue(["even", "10.0.0.3→10.0.0.4"].contains((periods[k]["slowest_link"] as? [String])?.last ?? ""),
                          "period \(k + 1)")
            XCTAssertEqual((periods[k]["slowest_link"] as? [String])?.first, "even", "baseline period \(k + 1)")
        }
        // The link behind the fall, by its rate within messages over the whole run.
        let stragglers = try XCTUnwrap(try result.json()["ring_straggler"] as? [Any])
        XCTAssertTrue(stragglers[0] is NSNull, "healthy baseline: \(stragglers)")
        XCTAssertEqual(stragglers[1] as? String, "10.0.0.3→10.0.0.4")
        // At the largest size the link at half speed shows: busbw falls (by 12 % here:
        // at these sizes the steps' latency still counts as much as the link's rate).
        XCTAssertLessThan(try XCTUnwrap(periods[3]["relative_change"] as? Double), -0.05)
        let table = try Run.fabricscope(["compare", a, b]).stdout
        XCTAssertTrue(table.contains("busy periods (nccl-tests' busbw per period"), table)
        XCTAssertTrue(table.contains("largest fall: busbw of period 4"), table)
        XCTAssertTrue(table.contains("candidate 10.0.0.3→10.0.0.4"), table)
    }

    /// A healthy nightly history of nccl-tests captures no longer fails every night on
    /// an efficiency computed from a wrong count.
    /// Each size's busbw is judged against the baseline nights, known by the bytes a
    /// rank sent: a night with one link at half speed warns on the sizes it slowed, in
    /// the table, the JSON (schema) and Prometheus (promtool).
    func testASizeThatSlowsIsCaughtAgainstTheBaseline() throws {
        let directory = try Run.scratchDirectory()
        let nights = directory.appendingPathComponent("nights").path
        let generated = try Run.fabricscope(["generate", nights, "--nights", "5", "--degrade-from", "5", "--slow-link", "1:2",
                                             "--nccl-tests", "256KiB:512KiB", "--ranks", "4", "--iterations", "4",
                                             "--warmup", "1", "--seed", "7"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let database = directory.appendingPathComponent("h.db").path
        let metrics = directory.appendingPathComponent("night.prom").path
        for night in 1...4 {
            let result = try Run.fabricscope(["nightly", "--db", database, "--label", "n\(night)",
                                              nights + String(format: "/night-%02d.pcap", night)])
            XCTAssertEqual(result.status, 0, "night \(night): \(result.stdout)")
            XCTAssertFalse(result.stdout.contains("baseline/period_busbw_bps") && result.stdout.contains("WARN  "), result.stdout)
        }
        let tonight = try Run.fabricscope(["nightly", "--db", database, "--label", "n5", nights + "/night-05.pcap",
                                           "--prometheus", metrics])
        XCTAssertEqual(tonight.status, 1, tonight.stdout)
        let bytes = [262_144, 524_288].map { 5 * $0 * 3 / 2 }
        XCTAssertTrue(tonight.stdout.contains("period of 3.93 MB a rank: bus bandwidth of a busy period"), tonight.stdout)
        let json = try Run.fabricscope(["health", "--db", database, "--label", "n5", "-T", "json"])
        let path = directory.appendingPathComponent("health.json").path
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: path))
        try SchemaValidator.validate([path], schema: "health-v1.schema.json")
        let checks = try XCTUnwrap(try json.json()["checks"] as? [[String: Any]])
        let periods = checks.filter { $0["name"] as? String == "baseline/period_busbw_bps" }
        XCTAssertEqual(periods.compactMap { $0["bytes_per_rank"] as? Int }.sorted(), bytes)
        let largest = try XCTUnwrap(periods.first { $0["bytes_per_rank"] as? Int == bytes[1] })
        XCTAssertNotEqual(largest["status"] as? String, "ok")
        XCTAssertLessThan(try XCTUnwrap(largest["value"] as? Double), try XCTUnwrap(largest["reference"] as? Double) * 0.9)
        let promtool = try Nights.require("promtool", probe: ["--version"])
        let check = try Run.program(promtool, ["check", "metrics"], stdin: URL(fileURLWithPath: metrics))
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        XCTAssertTrue(text.contains("check=\"baseline/period_busbw_bps\",src=\"\",dst=\"\",bytes_per_rank=\"\(bytes[1])\""), text)
    }

    func testHealthyNCCLTestsNightsPass() throws {
        let directory = try Run.scratchDirectory()
        let nights = directory.appendingPathComponent("nights").path
        let generated = try Run.fabricscope(["generate", nights, "--nights", "3", "--nccl-tests", "64KiB:128KiB", "--ranks", "4",
                                             "--iterations", "10", "--warmup", "1", "--mtu", "1024", "--seed", "7"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let database = directory.appendingPathComponent("h.db").path
        let metrics = directory.appendingPathComponent("night.prom").path
        for night in 1...3 {
            let capture = nights + String(format: "/night-%02d.pcap", night)
            let result = try Run.fabricscope(["nightly", "--db", database, "--label", "n\(night)", capture,
                                              "--prometheus", metrics])
            XCTAssertEqual(result.status, 0, "night \(night): \(result.stdout)\(result.stderr)")
            XCTAssertFalse(result.stdout.contains("collective_efficiency"), result.stdout)
        }
        // Each size's busbw reaches Prometheus, labelled by period and by the bytes each
        // rank sent in it (11 iterations of 2(n−1)/n = 3/2 of the size: the same every night).
        let exported = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("fabricscope_fabric_period_busbw_bytes_per_second{") }
        XCTAssertEqual(exported.count, 2, "\(exported)")
        for (index, size) in [65_536, 131_072].enumerated() {
            let line = try XCTUnwrap(exported.first { $0.contains("period=\"\(index + 1)\"") })
            XCTAssertTrue(line.contains("bytes_per_rank=\"\(11 * size * 3 / 2)\""), String(line))
            let value = try XCTUnwrap(Double(line.split(separator: " ").last!))
            XCTAssertGreaterThan(value, 1e8)
            XCTAssertLessThan(value, 400e9 / 8)
        }
    }

    /// nccl-tests' busbw per size, read from the pcap by a separate Python reading of
    /// the frames: periods split where no data packet passed for 100 µs; per ring link,
    /// its data payload ÷ its first-to-last span; the median over links.
    static func busbwFromThePcap(_ path: String) throws -> [Double] {
        let script = """
            import struct, sys, statistics
            data = open(sys.argv[1], 'rb').read()
            off, packets = 24, []
            extra = {6: 16, 9: 4, 10: 16, 11: 20}
            while off + 16 <= len(data):
                sec, frac, incl, orig = struct.unpack_from('<IIII', data, off)
                frame = data[off + 16: off + 16 + incl]
                off += 16 + incl
                if len(frame) < 54 or frame[12:14] != b'\\x08\\x00' or frame[23] != 17: continue
                if struct.unpack_from('>H', frame, 36)[0] != 4791: continue
                opcode = frame[42]
                if opcode not in (6, 7, 8, 9, 10, 11): continue
                src, dst = frame[26:30], frame[30:34]
                if (dst[3] - src[3]) % 6 != 1: continue
                payload = struct.unpack_from('>H', frame, 38)[0] - 8 - 12 - extra.get(opcode, 0) - 4
                packets.append((sec * 10**9 + frac, src[3], payload))
            packets.sort()
            periods, current = [], [packets[0]]
            for p in packets[1:]:
                if p[0] - current[-1][0] > 100_000: periods.append(current); current = []
                current.append(p)
            periods.append(current)
            for period in periods:
                rates = []
                for rank in set(p[1] for p in period):
                    mine = [p for p in period if p[1] == rank]
                    rates.append(sum(p[2] for p in mine) * 8e9 / (mine[-1][0] - mine[0][0]))
                print(statistics.median_low(sorted(rates)))
            """
        let result = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").compactMap { Double($0) }
    }
}
