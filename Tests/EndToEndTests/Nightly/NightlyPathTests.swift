import Foundation
import XCTest

/// The whole cron path: from an empty database through eight nights, seven normal
/// and an eighth with a heavier tail on one link, with every export.
final class NightlyPathTests: XCTestCase {
    func testEightNightsFromAnEmptyDatabase() throws {
        let directory = try Run.scratchDirectory()
        let nights = try Nights.generate(directory.appendingPathComponent("captures"), count: 8, seed: 500,
                                         ["--degrade-from", "8", "--tail-link", "1:3"])
        let database = directory.appendingPathComponent("fabric.db").path
        let prometheus = directory.appendingPathComponent("fabricscope.prom").path
        var reports: [[String: Any]] = []
        for (index, night) in nights.enumerated() {
            let label = "night-\(index + 1)"
            let junit = directory.appendingPathComponent("\(label).xml").path
            let result = try Run.fabricscope(["nightly", "--db", database, "--label", label, "--tag", "switch=ecn-a", night,
                                              "-T", "json", "--prometheus", prometheus, "--junit", junit])
            XCTAssertEqual(result.status, index < 7 ? 0 : 1, "\(label): \(result.stderr)")
            let report = try result.json()
            XCTAssertEqual(report["label"] as? String, label)
            XCTAssertEqual((report["baseline"] as? [String])?.count, index, "all earlier nights (up to 7) form the baseline")
            reports.append(report)
        }
        // Nights 1–7 pass; night 8 fails on the link whose tail grew, and only there.
        for report in reports.prefix(7) {
            XCTAssertEqual(report["status"] as? String, "ok", "\(report["label"]!): \(failing(report))")
        }
        let last = reports[7]
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
        let junit = directory.appendingPathComponent("night-8.xml").path
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
