import TestSupport
import Foundation
import XCTest

/// The whole cron path (scripts/nightly.sh, as cron or a systemd timer runs it): from
/// an empty database through eight nights, seven normal and an eighth with a heavier
/// tail on one link, with every export.
final class NightlyPathTests: XCTestCase {
    func testEightNightsFromAnEmptyDatabase() throws {
        let directory = try Run.scratchDirectory()
        let nights = try Nights.generate(directory.appendingPathComponent("captures"), count: 8, seed: 500,
                                         ["--degrade-from", "8", "--tail-link", "1:3"])
        let database = directory.appendingPathComponent("fabric.db").path
        let reports = directory.appendingPathComponent("reports")
        let textfile = directory.appendingPathComponent("textfile")
        try FileManager.default.createDirectory(at: textfile, withIntermediateDirectories: true)
        let prometheus = textfile.appendingPathComponent("fabricscope.prom").path
        let script = Run.repository.appendingPathComponent("scripts/nightly.sh")
        var documents: [[String: Any]] = []
        for (index, night) in nights.enumerated() {
            let label = "night-\(index + 1)"
            let result = try Run.program(script, ["--db", database, "--out", reports.path, "--label", label,
                                                  "--textfile-dir", textfile.path, "--bin", Run.fabricscope.path, night,
                                                  "--", "-T", "json", "--tag", "switch=ecn-a"])
            XCTAssertEqual(result.status, index < 7 ? 0 : 1, "\(label): \(result.stderr)")
            let report = try RunResult(status: 0, stdout: try String(contentsOf: reports.appendingPathComponent("\(label).txt"),
                                                                      encoding: .utf8), stderr: "").json()
            XCTAssertEqual(report["label"] as? String, label)
            XCTAssertEqual((report["baseline"] as? [String])?.count, index, "all earlier nights (up to 7) form the baseline")
            documents.append(report)
        }
        // Nights 1–7 pass; night 8 fails on the link whose tail grew, and only there.
        for report in documents.prefix(7) {
            XCTAssertEqual(report["status"] as? String, "ok", "\(report["label"]!): \(failing(report))")
        }
        let last = documents[7]
        XCTAssertEqual(last["status"] as? String, "fail")
        let failures = failing(last)
        XCTAssertTrue(failures.contains("10.0.0.2→10.0.0.3 baseline/ack_latency_p99_ns"), "\(failures)")
        XCTAssertEqual(failures.filter { $0.hasPrefix("10.0.0.") && !$0.hasPrefix("10.0.0.2→10.0.0.3") }, [],
                       "other links are named")
        // The history holds all eight, readable by the sqlite3 shell.
        XCTAssertEqual(try Nights.sqlite(database, "SELECT count(*) FROM run"), "8")
        XCTAssertEqual(try Nights.sqlite(database, "SELECT value FROM run_tag WHERE key = 'switch' LIMIT 1"), "ecn-a")
        XCTAssertEqual(try Nights.sqlite(database, "PRAGMA integrity_check"), "ok")
        // Prometheus's own checker accepts the textfile, which holds the last night.
        let promtool = try Nights.require("promtool", probe: ["--version"])
        let check = try Run.program(promtool, ["check", "metrics"], stdin: URL(fileURLWithPath: prometheus))
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let text = try String(contentsOfFile: prometheus, encoding: .utf8)
        XCTAssertTrue(text.contains("fabricscope_health_status{run=\"night-8\"} 2"), "night 8 failed")
        XCTAssertTrue(text.contains(#"fabricscope_health_check_status{check="baseline/ack_latency_p99_ns",src="10.0.0.2",dst="10.0.0.3"} 2"#))
        XCTAssertTrue(text.contains("fabricscope_health_last_success_timestamp_seconds"))
        XCTAssertTrue(text.contains(#"fabricscope_link_wire_bytes_total{src="10.0.0.1",dst="10.0.0.2"}"#))
        // JUnit: one test case per check, a failure per failing check.
        let junit = reports.appendingPathComponent("night-8.junit.xml").path
        let page = try String(contentsOf: reports.appendingPathComponent("night-8.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("fabric FAIL: 1 link"), "the page's headline says it in words")
        XCTAssertTrue(page.contains("<svg"), "trend plots")
        // Issue 28, row 11: the failing link has its own trend, the nights are named on
        // the axis, and the fabric trends follow.
        XCTAssertTrue(page.contains("p99 request→ACK latency, 10.0.0.2→10.0.0.3, by night"), "the failing link's trend")
        XCTAssertTrue(page.contains(">night-1</text>") && page.contains(">night-8</text>"), "nights by label")
        XCTAssertFalse(page.contains("run (1 = oldest shown)"))
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let parsed = try Run.program(python, ["python3", "-c", """
            import sys, xml.etree.ElementTree as E
            suite = E.parse(sys.argv[1]).getroot().find("testsuite")
            cases = suite.findall("testcase")
            print(len(cases), suite.get("failures"), sum(1 for c in cases if c.find("failure") is not None))
            """, junit])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        let checks = (last["checks"] as? [[String: Any]]) ?? []
        XCTAssertEqual(parsed.stdout, "\(checks.count) \(failures.count) \(failures.count)\n")
    }

    private func failing(_ report: [String: Any]) -> [String] {
        ((report["checks"] as? [[String: Any]]) ?? []).filter { $0["status"] as? String == "fail" }.map {
            "\($0["src"] as? String ?? "fabric")\(($0["dst"] as? String).map { "→" + $0 } ?? "") \($0["name"]!)"
        }
    }
}
