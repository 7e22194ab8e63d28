import Foundation
import TestSupport
import XCTest

/// The alerting rules shipped in deploy/prometheus (issue 28): Prometheus's own
/// checker accepts them, their unit tests pass (a failing night fires, the nights
/// before it do not, a stalled job goes stale), and every series they read is one a
/// real `--prometheus` export writes.
final class AlertRuleTests: XCTestCase {
    let rules = Run.repository.appendingPathComponent("deploy/prometheus/fabricscope-alerts.yml").path
    let unitTests = Run.repository.appendingPathComponent("deploy/prometheus/fabricscope-alerts.test.yml").path

    func testRulesPassPromtool() throws {
        let promtool = try Nights.require("promtool", probe: ["--version"])
        let check = try Run.program(promtool, ["check", "rules", rules])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("SUCCESS: 7 rules found"), check.stdout)
        let test = try Run.program(promtool, ["test", "rules", unitTests])
        XCTAssertEqual(test.status, 0, test.stdout + test.stderr)
    }

    func testRulesReadSeriesTheExportWrites() throws {
        let directory = try Run.scratchDirectory()
        let database = directory.appendingPathComponent("h.db").path, metrics = directory.appendingPathComponent("n.prom").path
        let night = try Run.fabricscope(["nightly", "--db", database, "--label", "n1", Run.fixture("generated/ring4-faults.pcap"),
                                         "--prometheus", metrics])
        XCTAssertEqual(night.status, 1, night.stderr)
        let exported = Set(try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.compactMap { $0.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init) })
        let text = try String(contentsOfFile: rules, encoding: .utf8)
        let used = Set(text.matches(of: /fabricscope_[a-z_]+/).map { String($0.output) })
        XCTAssertFalse(used.isEmpty)
        for name in used { XCTAssertTrue(exported.contains(name), "\(name) is not in a real export") }
    }
}
