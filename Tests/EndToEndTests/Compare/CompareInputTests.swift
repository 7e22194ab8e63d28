import TestSupport
import Foundation
import XCTest

/// How `compare` reads its sides: several runs a side, summaries instead of
/// captures, different workloads, and its exit status, schema and formats.
final class CompareInputTests: XCTestCase {
    /// Three runs a side: the runs are the units; a 1.5× slower link is found by
    /// its rate within messages, and the ring's iteration time is tested too.
    func testSeveralRunsASide() throws {
        let directory = try Run.scratchDirectory()
        let baseline = try (0..<3).map { try CompareRuns.generate(directory, "a\($0)", seed: 31 + $0) }
        let candidate = try (0..<3).map { try CompareRuns.generate(directory, "b\($0)", seed: 41 + $0, ["--slow-link", "3:1.5"]) }
        let arguments = baseline.flatMap { ["--baseline", $0] } + candidate.flatMap { ["--candidate", $0] }
        let (status, document, stderr) = try CompareRuns.compare(arguments)
        XCTAssertEqual(status, 0, stderr)
        let side = try XCTUnwrap(document["baseline"] as? [String: Any])
        XCTAssertEqual(side["units"] as? String, "runs")
        XCTAssertEqual(side["unit_count"] as? Int, 3)
        XCTAssertEqual(side["files"] as? [String], baseline)
        let rate = try XCTUnwrap(CompareRuns.row(document, "10.0.0.4", "10.0.0.1", "message_rate_bps"))
        XCTAssertEqual(rate["assessment"] as? String, "worse")
        let iteration = try XCTUnwrap(CompareRuns.row(document, nil, nil, "iteration_time_ns"))
        XCTAssertNotNil(iteration["p_value"] as? Double, "three runs a side test the iteration time")
        XCTAssertGreaterThan(try XCTUnwrap(iteration["candidate"] as? Double), try XCTUnwrap(iteration["baseline"] as? Double))
    }

    /// Summaries written by `analyze --summary-out` give the same comparison as the
    /// captures they came from.
    func testSummariesCompareLikeTheirCaptures() throws {
        let directory = try Run.scratchDirectory()
        let a = try CompareRuns.generate(directory, "a", seed: 51)
        let b = try CompareRuns.generate(directory, "b", seed: 52, ["--tail-link", "0:3"])
        var summaries: [String] = []
        for capture in [a, b] {
            let summary = capture + ".summary.json"
            let result = try Run.fabricscope(["analyze", capture, "--summary-out", summary, "-o", "/dev/null"])
            XCTAssertEqual(result.status, 0, result.stderr)
            summaries.append(summary)
        }
        var (_, fromCaptures, _) = try CompareRuns.compare([a, b])
        var (status, fromSummaries, stderr) = try CompareRuns.compare(summaries)
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(fromCaptures["verdict"] as? String, "regression")
        for key in ["baseline", "candidate"] {
            fromCaptures[key] = nil
            fromSummaries[key] = nil
        }
        XCTAssertEqual(fromCaptures as NSDictionary, fromSummaries as NSDictionary)
    }

    /// Different jobs (other hosts, twice the bytes): still compared, but the
    /// workload check says so first, in every format.
    func testDifferentWorkloadsAreCalledOut() throws {
        let directory = try Run.scratchDirectory()
        let a = try CompareRuns.generate(directory, "a", seed: 61)
        let b = try CompareRuns.generate(directory, "b", seed: 62, ["--size", "128KiB", "--host-offset", "1"])
        let (status, document, _) = try CompareRuns.compare([a, b])
        XCTAssertEqual(status, 0)
        let workload = try XCTUnwrap(document["workload"] as? [String: Any])
        XCTAssertEqual(workload["comparable"] as? Bool, false)
        let notes = try XCTUnwrap(workload["notes"] as? [String])
        XCTAssertTrue(notes.contains { $0.contains("only in the baseline") && $0.contains("10.0.0.4→10.0.0.1") }, "\(notes)")
        XCTAssertTrue(notes.contains { $0.contains("only in the candidate") && $0.contains("10.0.0.5→10.0.0.2") }, "\(notes)")
        XCTAssertTrue(notes.contains { $0.contains("differ by more than 10 %") && $0.contains("+100 %") }, "\(notes)")
        let table = try Run.fabricscope(["compare", a, b])
        XCTAssertTrue(table.stdout.contains("workload:  NOT THE SAME"), table.stdout)
        let markdown = try Run.fabricscope(["compare", "-T", "markdown", a, b])
        XCTAssertTrue(markdown.stdout.contains("**Workload: not the same.**"), markdown.stdout)
        let html = directory.appendingPathComponent("c.html").path
        XCTAssertEqual(try Run.fabricscope(["compare", a, b, "--html", html, "-o", "/dev/null"]).status, 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("Workloads differ:"))
    }

    /// 0 normally; 1 with --fail-on-regression on a regression; 2 for bad input.
    func testExitStatusAndErrors() throws {
        let directory = try Run.scratchDirectory()
        let a = try CompareRuns.generate(directory, "a", seed: 71)
        let b = try CompareRuns.generate(directory, "b", seed: 72, ["--ce-link", "1:0.05"])
        XCTAssertEqual(try Run.fabricscope(["compare", a, b, "-o", "/dev/null"]).status, 0)
        let gated = try Run.fabricscope(["compare", a, b, "--fail-on-regression", "-o", "/dev/null"])
        XCTAssertEqual(gated.status, 1, gated.stderr)
        XCTAssertEqual(try Run.fabricscope(["compare", b, a, "--fail-on-regression", "-o", "/dev/null"]).status, 0,
                       "an improvement passes the gate")
        let missing = try Run.fabricscope(["compare", a, directory.appendingPathComponent("nope.pcap").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.pcap"), missing.stderr)
        let one = try Run.fabricscope(["compare", a])
        XCTAssertEqual(one.status, 2)
        XCTAssertTrue(one.stderr.contains("two inputs"), one.stderr)
        let effect = try Run.fabricscope(["compare", a, b, "--min-effect", "lots"])
        XCTAssertEqual(effect.status, 2)
        XCTAssertTrue(effect.stderr.contains("--min-effect"), effect.stderr)
        let html = directory.appendingPathComponent("exists.html")
        try Data("keep".utf8).write(to: html)
        let refused = try Run.fabricscope(["compare", a, b, "--html", html.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(try String(contentsOf: html, encoding: .utf8), "keep", "an existing file is not replaced without --force")
    }

    /// `compare -T json` validates against docs/schema/compare-v1.schema.json
    /// (Python's jsonschema, an independent validator).
    func testJSONValidatesAgainstSchema() throws {
        let directory = try Run.scratchDirectory()
        let a = try CompareRuns.generate(directory, "a", seed: 81)
        let b = try CompareRuns.generate(directory, "b", seed: 82, ["--tail-link", "2:3", "--pfc", "3"])
        var documents: [String] = []
        for (i, arguments) in [[a, b], [b, a], ["--baseline", a, "--baseline", b, "--candidate", b, "--candidate", a]].enumerated() {
            let result = try Run.fabricscope(["compare", "-T", "json"] + arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            let path = directory.appendingPathComponent("\(i).json").path
            try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
            documents.append(path)
        }
        try SchemaValidator.validate(documents, schema: "compare-v1.schema.json")
        let metrics = Set(try documents.flatMap { path in
            (try SchemaValidator.object(at: path)["changes"] as? [[String: Any]] ?? []).compactMap { $0["metric"] as? String }
        })
        XCTAssertTrue(metrics.contains("pfc_paused_fraction"), "\(metrics)")
        XCTAssertTrue(metrics.contains("iteration_time_ns"), "\(metrics)")
    }

    /// A summary written before per-window latencies were kept still compares, but
    /// says that latency is not compared instead of showing it unchanged.
    func testOlderSummaryLeavesLatencyOut() throws {
        let old = Run.fixture("summaries/v1-ring4-faults.json")
        let (status, document, stderr) = try CompareRuns.compare([old, old])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(document["verdict"] as? String, "no_change")
        let notes = try XCTUnwrap(document["notes"] as? [String])
        XCTAssertTrue(notes.contains { $0.contains("before per-window latencies were kept") }, "\(notes)")
        XCTAssertFalse(CompareRuns.changes(document).contains { ($0["metric"] as? String)?.hasPrefix("ack_latency") == true })
        XCTAssertNotNil(CompareRuns.row(document, nil, nil, "throughput_bps"))
    }
}
