import Foundation
import TestSupport
import XCTest

/// Collectives other than a ring all-reduce (issue 25, item 5): ring all-gathers and
/// reduce-scatters (n−1 steps) are named and modelled as what they are, NCCL's tree
/// all-reduce is named and never read as rings, and a ring whose steps fit nothing
/// is unrecognised. The captures come from `generate --collective`, which follows
/// NCCL's ring loops and its double binary tree (src/graph/trees.cc).
final class CollectiveKindTests: XCTestCase {
    private func analyze(_ arguments: [String], name: String) throws -> [String: Any] {
        let capture = try Run.scratchDirectory().appendingPathComponent(name + ".pcap").path
        let generated = try Run.fabricscope(["generate", capture] + arguments)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let json = try Run.fabricscope(["analyze", "-T", "json", capture])
        XCTAssertEqual(json.status, 0, json.stderr)
        return try json.json()
    }

    private func ring(_ document: [String: Any]) throws -> [String: Any] {
        try XCTUnwrap((document["collectives"] as? [[String: Any]])?.first, "no ring")
    }

    func testAllGatherAndReduceScatterAreNamedWithTheirSize() throws {
        for (collective, iterations) in [("allgather", 1), ("reducescatter", 3), ("allgather", 5)] {
            let what = "\(collective) × \(iterations)"
            let ring = try ring(try analyze(
                ["--ranks", "6", "--collective", collective, "--size", "768KiB", "--iterations", String(iterations),
                 "--iteration-gap", "100us", "--seed", String(7 + iterations)], name: "\(collective)-\(iterations)"))
            XCTAssertEqual(ring["kind"] as? String, "ring_allgather_or_reducescatter", what)
            XCTAssertEqual(ring["iterations"] as? Int, iterations, what)
            XCTAssertEqual(ring["iterations_certain"] as? Bool, true, what)
            // nccl-tests' size (the whole buffer), from (n−1)/n · S a rank and iteration.
            XCTAssertEqual(ring["inferred_size_bytes"] as? Double ?? 0, 786_432, accuracy: 0.5, what)
            XCTAssertNil(ring["inferred_allreduce_bytes"], what)
            XCTAssertEqual(ring["messages_per_period"] as? [Int], Array(repeating: 5, count: iterations), what)
            let efficiency = try XCTUnwrap(ring["efficiency"] as? Double, what)
            XCTAssertTrue(efficiency > 0.7 && efficiency <= 1, "\(what): \(efficiency)")
        }
    }

    func testAllReduceKeepsItsName() throws {
        let ring = try ring(try analyze(["--ranks", "6", "--size", "768KiB", "--iterations", "3", "--iteration-gap", "100us"],
                                        name: "allreduce-3"))
        XCTAssertEqual(ring["kind"] as? String, "ring_allreduce")
        XCTAssertEqual(ring["iterations"] as? Int, 3)
        XCTAssertEqual(ring["inferred_allreduce_bytes"] as? Double ?? 0, 786_432, accuracy: 0.5)
        XCTAssertEqual(ring["messages_per_period"] as? [Int], [10, 10, 10])
    }

    /// nccl-tests' all_gather_perf: 1 warm-up and 4 timed iterations per size back to
    /// back, each step one slice per channel: 5 × 3 messages a QP per size, an odd
    /// multiple of n−1, so no all-reduce; algbw is busbw · n/(n−1).
    func testAllGatherSweepFromTheWire() throws {
        let document = try analyze(["--ranks", "4", "--nccl-tests", "128KiB:1MiB", "--collective", "allgather",
                                    "--warmup", "1", "--iterations", "4", "--qps", "2", "--seed", "5"], name: "allgather-sweep")
        let ring = try ring(document)
        XCTAssertEqual(ring["kind"] as? String, "ring_allgather_or_reducescatter")
        XCTAssertEqual(ring["iterations_certain"] as? Bool, false, "back to back")
        XCTAssertNil(ring["efficiency"])
        let phases = try XCTUnwrap(ring["phases"] as? [[String: Any]])
        XCTAssertEqual(phases.count, 4)
        for (index, phase) in phases.enumerated() {
            let size = Double(1 << 17) * Double(1 << index)
            XCTAssertEqual(phase["bytes_per_rank"] as? Int, Int(5 * size * 3 / 4), "size \(Int(size))")
            let busbw = try XCTUnwrap(phase["busbw_bps"] as? Double)
            XCTAssertEqual(phase["algbw_bps"] as? Double ?? 0, busbw * 4 / 3, accuracy: 1e-6 * busbw)
        }
        XCTAssertEqual(ring["messages_per_period"] as? [Int], [15, 15, 15, 15])
        // The same table as CSV: one row a period, the JSON's numbers.
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("sweep.pcap").path, csv = directory.appendingPathComponent("p.csv").path
        XCTAssertEqual(try Run.fabricscope(["generate", capture, "--ranks", "4", "--nccl-tests", "128KiB:1MiB", "--collective",
                                            "allgather", "--warmup", "1", "--iterations", "4", "--qps", "2", "--seed", "5"]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["analyze", capture, "-T", "json", "--periods-csv", csv]).status, 0)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.first?.joined(separator: ","), "ring,kind,ranks,period,start_ns,duration_ns,bytes_per_rank,algbw_bps,busbw_bps,slowest_link,slowest_link_bps,links_even")
        XCTAssertEqual(rows.count, 5)
        for (row, phase) in zip(rows.dropFirst(), phases) {
            XCTAssertEqual(String(row[1]), "ring_allgather_or_reducescatter")
            XCTAssertEqual(Int(row[6]), phase["bytes_per_rank"] as? Int)
            XCTAssertEqual(Double(row[8]) ?? 0, phase["busbw_bps"] as? Double ?? -1, accuracy: 1)
        }
    }

    func testTreeAllReduceIsNamedNotReadAsRings() throws {
        for ranks in [7, 8] {
            let document = try analyze(["--ranks", String(ranks), "--collective", "tree-allreduce", "--size", "512KiB",
                                        "--iterations", "2", "--iteration-gap", "200us"], name: "tree-\(ranks)")
            XCTAssertEqual((document["collectives"] as? [Any])?.count, 0, "\(ranks) ranks: a tree read as rings")
            let groups = try XCTUnwrap(document["other_collectives"] as? [[String: Any]])
            XCTAssertEqual(groups.count, 1)
            XCTAssertEqual(groups[0]["kind"] as? String, "tree_allreduce")
            XCTAssertEqual((groups[0]["hosts"] as? [String])?.count, ranks)
            XCTAssertEqual(groups[0]["directed_links"] as? Int, 2 * (groups[0]["links"] as? Int ?? 0), "every link both ways")
            XCTAssertFalse((document["health"] as? [String: Any] ?? [:]).description.contains("collective_efficiency"))
        }
    }

    /// A mirror that does not see one rank's link: the ring does not close, and the
    /// rest is named as part of a ring, never as a ring or an unrecognised group.
    func testRingWithALinkMissingIsPartOfARing() throws {
        let capture = try Run.scratchDirectory().appendingPathComponent("ring-missing-link.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", capture, "--ranks", "6", "--size", "768KiB"]).status, 0)
        let json = try Run.fabricscope(["analyze", "-T", "json", capture, "--filter", "not (src host 10.0.0.3 and dst host 10.0.0.4)"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try json.json()
        XCTAssertEqual((document["collectives"] as? [Any])?.count, 0)
        let groups = try XCTUnwrap(document["other_collectives"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["kind"] as? String }, ["partial_ring"])
        XCTAssertEqual(groups[0]["hosts"] as? [String], ["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.1", "10.0.0.2", "10.0.0.3"])
        XCTAssertEqual(groups[0]["median_link_bytes"] as? Int, 2 * 5 * 786_432 / 6, "2(n−1)/n · S a link")
    }

    /// The HTML report says what the table says: the tree by name, an nccl-tests
    /// sweep's sizes with their busbw, an uncertain count as uncertain.
    func testReportNamesTreesAndListsPeriods() throws {
        let directory = try Run.scratchDirectory()
        let tree = directory.appendingPathComponent("tree.pcap").path, sweep = directory.appendingPathComponent("sweep.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", tree, "--ranks", "8", "--collective", "tree-allreduce", "--size", "256KiB", "--iterations", "2"]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["generate", sweep, "--ranks", "4", "--nccl-tests", "128KiB:256KiB", "--warmup", "1",
                                            "--iterations", "2"]).status, 0)
        for (capture, expected) in [(tree, ["tree all-reduce: 8 hosts", "No ring collective found"]),
                                    (sweep, ["Busy periods (nccl-tests' sizes)", "<td>uncertain: iterations back to back"])] {
            let html = directory.appendingPathComponent("r.html").path
            let result = try Run.fabricscope(["report", capture, "-o", html, "--force"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let page = try String(contentsOfFile: html, encoding: .utf8)
            for text in expected { XCTAssertTrue(page.contains(text), "\(capture): \(text)") }
        }
    }

    func testOptionChecks() throws {
        let directory = try Run.scratchDirectory()
        let refused = try Run.fabricscope(["generate", directory.appendingPathComponent("t.pcap").path,
                                           "--collective", "tree-allreduce", "--nccl-tests", "1MiB:2MiB"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("tree-allreduce needs 3 or more ranks and is generated without --nccl-tests"),
                      refused.stderr)
    }
}
