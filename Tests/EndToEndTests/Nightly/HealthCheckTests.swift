import TestSupport
import Foundation
import XCTest

/// Absolute limits per link, config overrides, `--fail-on`, and the JSON contract.
final class HealthCheckTests: XCTestCase {
    /// 30 % CE marks on one link: over the 20 % fail limit there, and only there;
    /// a per-link override in the config turns it into a pass; --fail-on warn
    /// makes a warning fail the job.
    func testAbsoluteLimitsPerLinkAndOverrides() throws {
        let directory = try Run.scratchDirectory()
        let night = try Nights.generate(directory, count: 1, seed: 900, ["--ce-link", "2:0.3", "--ce", "0.06"])[0]
        let database = directory.appendingPathComponent("h.db").path
        XCTAssertEqual(try Run.fabricscope(["history", "add", "--db", database, "--label", "n1", night]).status, 0)
        let result = try Run.fabricscope(["health", "--db", database, "-T", "json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let checks = try XCTUnwrap(try result.json()["checks"] as? [[String: Any]])
        let ce = checks.filter { $0["name"] as? String == "threshold/ce_fraction" }
        XCTAssertEqual(ce.filter { $0["status"] as? String == "fail" }.map { "\($0["src"]!)→\($0["dst"]!)" }, ["10.0.0.3→10.0.0.4"])
        // 6 % elsewhere is over the 5 % warn limit, and so is the fabric's pooled 12 %.
        XCTAssertEqual(ce.filter { $0["status"] as? String == "warn" }.map { $0["src"] as? String ?? "fabric" }.sorted(),
                       ["10.0.0.1", "10.0.0.2", "10.0.0.4", "fabric"])
        XCTAssertEqual(checks.first?["status"] as? String, "fail", "worst first")
        let message = try XCTUnwrap(ce.first { $0["status"] as? String == "fail" }?["message"] as? String)
        XCTAssertTrue(message.contains("ECN thresholds"), message)
        // The table's headline says it in words.
        let table = try Run.fabricscope(["health", "--db", database])
        XCTAssertTrue(table.stdout.hasPrefix("n1: fabric FAIL: 1 link"), table.stdout)

        let config = directory.appendingPathComponent("health.json")
        try Data(#"{"links": {"10.0.0.3→10.0.0.4": {"ce_fraction": {"warn": 0.4, "fail": 0.5}}}, "thresholds": {"ce_fraction": {"warn": 0.1, "fail": 0.2}}}"#.utf8)
            .write(to: config)
        XCTAssertEqual(try Run.fabricscope(["health", "--db", database, "--config", config.path, "-o", "/dev/null"]).status, 0)
        let strict = directory.appendingPathComponent("strict.json")
        try Data(#"{"thresholds": {"ce_fraction": {"warn": 0.01, "fail": 0.9}}}"#.utf8).write(to: strict)
        XCTAssertEqual(try Run.fabricscope(["health", "--db", database, "--config", strict.path, "-o", "/dev/null"]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["health", "--db", database, "--config", strict.path, "--fail-on", "warn",
                                            "-o", "/dev/null"]).status, 1)
        // A typo in the config is named, never silently ignored.
        let typo = directory.appendingPathComponent("typo.json")
        try Data(#"{"thresholds": {"ce_fracton": {"warn": 0.1}}}"#.utf8).write(to: typo)
        let refused = try Run.fabricscope(["health", "--db", database, "--config", typo.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("typo.json") && refused.stderr.contains("ce_fracton"), refused.stderr)
        // No such run, no such database content.
        XCTAssertEqual(try Run.fabricscope(["health", "--db", database, "--label", "nope"]).status, 2)
    }

    /// `health -T json` validates against docs/schema/health-v1.schema.json.
    func testJSONValidatesAgainstSchema() throws {
        let directory = try Run.scratchDirectory()
        let nights = try Nights.generate(directory, count: 3, seed: 950, ["--degrade-from", "3", "--slow-link", "0:1.5", "--pfc", "2"])
        let database = directory.appendingPathComponent("h.db").path
        var documents: [String] = []
        for (index, night) in nights.enumerated() {
            let result = try Run.fabricscope(["nightly", "--db", database, "--label", "n\(index)", night, "-T", "json"])
            let path = directory.appendingPathComponent("n\(index).json").path
            try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
            documents.append(path)
        }
        try SchemaValidator.validate(documents, schema: "health-v1.schema.json")
        let names = Set(try documents.flatMap { path in
            (try SchemaValidator.object(at: path)["checks"] as? [[String: Any]] ?? []).compactMap {
                ($0["name"] as? String)?.split(separator: "/").first.map(String.init)
            }
        })
        XCTAssertEqual(names.sorted(), ["baseline", "ecmp_spread", "pfc_storms", "qos_classes", "threshold"])
    }
}
