import Foundation
import TestSupport
import XCTest

/// The nightly job inside a real monitoring stack (issue 28): Debian's node_exporter
/// serves the textfile `scripts/nightly.sh` writes, Debian's Prometheus scrapes it and
/// evaluates deploy/prometheus's rules, and every panel of deploy/grafana's dashboard
/// is queried through Prometheus's HTTP API. Both servers listen on loopback ports of
/// their own and are stopped on every path (a teardown block, whatever fails).
final class MonitoringStackTests: XCTestCase {
    /// A started server, stopped at teardown.
    private func start(_ program: URL, _ arguments: [String], log: URL) throws {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        addTeardownBlock {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? handle.close()
        }
    }

    /// A free loopback port (bound, read and released).
    private func freePort() throws -> Int {
        let result = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c",
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return try XCTUnwrap(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// GET `url` as JSON (Python's urllib: no HTTP client is assumed installed).
    private func get(_ url: String) throws -> [String: Any]? {
        let result = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import sys, urllib.request
            try:
                print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
            except Exception as error:
                print('{}')
            """, url])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    }

    /// The instant query's result vector.
    private func query(_ base: String, _ expression: String) throws -> [[String: Any]] {
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        let answer = try get(base + "/api/v1/query?query=" + encoded)
        return ((answer?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
    }

    /// Polls until `condition` holds or `seconds` pass.
    private func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return try condition()
    }

    private func firing(_ base: String, _ name: String) throws -> [[String: Any]] {
        let alerts = ((try get(base + "/api/v1/alerts"))?["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
        return alerts.filter { ($0["labels"] as? [String: String])?["alertname"] == name && $0["state"] as? String == "firing" }
    }

    func testNightsScrapedAlertedAndCharted() throws {
        let prometheus = try Nights.require("prometheus", probe: ["--version"])
        let nodeExporter = try Nights.require("prometheus-node-exporter", probe: ["--version"])
        let directory = try Run.scratchDirectory()
        let textfile = directory.appendingPathComponent("textfile")
        try FileManager.default.createDirectory(at: textfile, withIntermediateDirectories: true)
        // Two healthy nights, then one whose rank-1 link runs at 40 % speed (under the
        // absolute limit on the rate within messages, whatever the baseline).
        // On a leaf/spine fabric, written as the topology the nights are judged with
        // (the per-switch panel reads its series).
        let topology = directory.appendingPathComponent("topology.json").path
        let nights = try Nights.generate(directory.appendingPathComponent("captures"), count: 3, seed: 900,
                                         ["--degrade-from", "3", "--slow-link", "1:2.5", "--ce", "0.01", "--pfc", "1",
                                          "--leaves", "2", "--topology-out", topology])
        let exporterPort = try freePort(), prometheusPort = try freePort()
        try start(nodeExporter, ["--web.listen-address=127.0.0.1:\(exporterPort)", "--collector.disable-defaults",
                                 "--collector.textfile", "--collector.textfile.directory=\(textfile.path)"],
                  log: directory.appendingPathComponent("node-exporter.log"))
        let rules = Run.repository.appendingPathComponent("deploy/prometheus/fabricscope-alerts.yml").path
        let config = directory.appendingPathComponent("prometheus.yml")
        try """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: ["\(rules)"]
            scrape_configs:
              - job_name: node
                static_configs: [{targets: ["127.0.0.1:\(exporterPort)"]}]
            """.write(to: config, atomically: true, encoding: .utf8)
        try start(prometheus, ["--config.file=\(config.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("tsdb").path)",
                               "--web.listen-address=127.0.0.1:\(prometheusPort)"],
                  log: directory.appendingPathComponent("prometheus.log"))
        let base = "http://127.0.0.1:\(prometheusPort)"
        let up = try eventually(30) { try query(base, "up").contains { ($0["value"] as? [Any])?.last as? String == "1" } }
        let log = (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
        XCTAssertTrue(up, "Prometheus scrapes node_exporter: \(log.suffix(2000))")

        let script = Run.repository.appendingPathComponent("scripts/nightly.sh")
        let database = directory.appendingPathComponent("fabric.db").path
        for (index, night) in nights.enumerated() {
            let label = "night-\(index + 1)"
            let result = try Run.program(script, ["--db", database, "--out", directory.appendingPathComponent("reports").path,
                                                  "--label", label, "--textfile-dir", textfile.path,
                                                  "--bin", Run.fabricscope.path, night, "--", "--topology", topology])
            XCTAssertEqual(result.status, index < 2 ? 0 : 1, "\(label): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(try eventually(20) { !(try query(base, "fabricscope_health_status{run=\"\(label)\"}")).isEmpty },
                          "\(label) reaches Prometheus")
            if index < 2 {
                // Rules run every second: a healthy night fires nothing.
                Thread.sleep(forTimeInterval: 2)
                XCTAssertEqual(try firing(base, "FabricScopeNightFailed").count, 0, "\(label) is healthy")
                XCTAssertEqual(try firing(base, "FabricScopeCheckFailing").count, 0, "\(label) is healthy")
            }
        }
        // The degraded night fires, naming the slow link.
        XCTAssertTrue(try eventually(20) { try firing(base, "FabricScopeNightFailed").contains {
            ($0["labels"] as? [String: String])?["run"] == "night-3" } }, "the failing night fires")
        let checks = try firing(base, "FabricScopeCheckFailing").compactMap { $0["labels"] as? [String: String] }
        XCTAssertTrue(checks.contains { $0["src"] == "10.0.0.2" && $0["dst"] == "10.0.0.3" }, "\(checks)")

        // Every panel of the dashboard returns series.
        let dashboard = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: Run.repository
            .appendingPathComponent("deploy/grafana/fabricscope-nightly.json"))) as? [String: Any])
        let panels = try XCTUnwrap(dashboard["panels"] as? [[String: Any]])
        XCTAssertEqual(panels.count, 11)
        for panel in panels {
            let expression = try XCTUnwrap(((panel["targets"] as? [[String: Any]])?.first)?["expr"] as? String)
            XCTAssertFalse(try query(base, expression).isEmpty, "panel '\(panel["title"] ?? "")': \(expression) returns nothing")
        }
    }
}
