import TestSupport
import Foundation
import XCTest

/// `compare` on generated runs with known differences: no false alarms between
/// runs of one configuration, the injected change found on its link and in its
/// direction with an interval that covers it, and mirrored when the sides swap.
/// (scripts/sweeps/compare.sh runs the same checks over more seeds.)
final class CompareVerdictTests: XCTestCase {
    /// 20 pairs of runs of the same configuration (different seeds and QPs): at
    /// most one may read anything but no_change (the issue's bar; docs/compare.md
    /// has the sweep's rate).
    func testSameConfigurationGivesNoChange() throws {
        let directory = try Run.scratchDirectory()
        let runs = try (0...20).map { try CompareRuns.generate(directory, "run\($0)", seed: 100 + $0) }
        let verdicts = Verdicts()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            for pair in stride(from: half, to: 20, by: 2) {
                let result = try? CompareRuns.compare([runs[pair], runs[pair + 1]])
                verdicts.set(pair, result.map { "\($0.status) \($0.document["verdict"] ?? "?") \(CompareRuns.significant($0.document))" } ?? "failed")
            }
        }
        let all = verdicts.values
        XCTAssertEqual(all.count, 20)
        let alarms = all.filter { !$0.value.hasPrefix("0 no_change") }
        XCTAssertLessThanOrEqual(alarms.count, 1, "false alarms: \(alarms)")
    }

    final class Verdicts: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Int: String] = [:]
        func set(_ key: Int, _ value: String) { lock.withLock { storage[key] = value } }
        var values: [Int: String] { lock.withLock { storage } }
    }

    /// A heavier tail on rank 1's link (ACK delay 3 µs + Exp(1.5 µs) instead of
    /// Exp(0.5 µs)): p50 +20.7 % and p99 +86.8 % on 10.0.0.2→10.0.0.3 only.
    func testHeavierTailIsFoundOnItsLink() throws {
        let directory = try Run.scratchDirectory()
        let baseline = try CompareRuns.generate(directory, "base", seed: 11)
        let candidate = try CompareRuns.generate(directory, "tail", seed: 12, ["--tail-link", "1:3"])
        let (status, document, stderr) = try CompareRuns.compare([baseline, candidate])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(document["verdict"] as? String, "regression")
        for (metric, truth) in [("ack_latency_p50_ns", (3000 + 1500 * log(2.0)) / (3000 + 500 * log(2.0)) - 1),
                                ("ack_latency_p99_ns", (3000 + 1500 * log(100.0)) / (3000 + 500 * log(100.0)) - 1)] {
            let row = try XCTUnwrap(CompareRuns.row(document, "10.0.0.2", "10.0.0.3", metric))
            XCTAssertEqual(row["assessment"] as? String, "worse", metric)
            let low = try XCTUnwrap(row["ci_low"] as? Double), high = try XCTUnwrap(row["ci_high"] as? Double)
            XCTAssertTrue(low <= truth && truth <= high, "\(metric): true change \(truth) outside [\(low), \(high)]")
        }
        let elsewhere = CompareRuns.significant(document).filter { $0.contains("→") && !$0.hasPrefix("10.0.0.2→10.0.0.3") && !$0.hasPrefix("fabric") }
        XCTAssertEqual(elsewhere, [], "changes claimed on links that did not change")
        // The other way round it is an improvement, on the same rows.
        let (_, swapped, _) = try CompareRuns.compare([candidate, baseline])
        XCTAssertEqual(swapped["verdict"] as? String, "improvement")
        XCTAssertEqual(CompareRuns.significant(swapped).map { $0.replacingOccurrences(of: "better", with: "worse") },
                       CompareRuns.significant(document))
    }

    /// 5 % CE marks on rank 2's link (none before) and a 1.5× slower link for rank 3:
    /// each on its own link, in its direction.
    func testCongestionAndSlowLinkAreFoundOnTheirLinks() throws {
        let directory = try Run.scratchDirectory()
        let baseline = try CompareRuns.generate(directory, "base", seed: 21)
        let congested = try CompareRuns.generate(directory, "ce", seed: 22, ["--ce-link", "2:0.05"])
        let slow = try CompareRuns.generate(directory, "slow", seed: 23, ["--slow-link", "3:1.5"])

        let (_, ce, _) = try CompareRuns.compare([baseline, congested])
        XCTAssertEqual(ce["verdict"] as? String, "regression")
        let marks = try XCTUnwrap(CompareRuns.row(ce, "10.0.0.3", "10.0.0.4", "ce_fraction"))
        XCTAssertEqual(marks["assessment"] as? String, "worse")
        XCTAssertEqual(marks["baseline"] as? Double, 0)
        XCTAssertEqual(try XCTUnwrap(marks["candidate"] as? Double), 0.05, accuracy: 0.015)
        XCTAssertTrue(marks["relative_change"] is NSNull, "a change from 0 has no relative size")
        XCTAssertEqual(CompareRuns.row(ce, "10.0.0.1", "10.0.0.2", "ce_fraction")?["assessment"] as? String, "unchanged")

        let (_, slower, _) = try CompareRuns.compare([baseline, slow])
        let rate = try XCTUnwrap(CompareRuns.row(slower, "10.0.0.4", "10.0.0.1", "message_rate_bps"))
        XCTAssertEqual(rate["assessment"] as? String, "worse")
        let low = try XCTUnwrap(rate["ci_low"] as? Double), high = try XCTUnwrap(rate["ci_high"] as? Double)
        XCTAssertTrue(low <= 1 / 1.5 - 1 && 1 / 1.5 - 1 <= high, "[\(low), \(high)] misses −33.3 %")
        for link in [("10.0.0.1", "10.0.0.2"), ("10.0.0.2", "10.0.0.3"), ("10.0.0.3", "10.0.0.4")] {
            XCTAssertEqual(CompareRuns.row(slower, link.0, link.1, "message_rate_bps")?["assessment"] as? String, "unchanged")
        }
    }
}
