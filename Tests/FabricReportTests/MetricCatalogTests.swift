import FabricReport
import TestSupport
import FabricIngest
import FabricMetrics
import FabricCompare
@testable import FabricReport
import FabricStats
import Foundation
import XCTest

/// The catalog is the one list of metrics: every stored counter of the summary is
/// in it (or declared not to be a metric, with the reason), names are unique, and
/// docs/metrics.md holds exactly its table.
final class MetricCatalogTests: XCTestCase {
    /// Stored fields that are not metrics themselves, and why.
    static let notMetrics: [String: String] = [
        "FlowCounters.encapsulation": "an attribute of the flow (JSON `encapsulation`)",
        "FlowCounters.vlan": "an attribute of the flow (JSON `vlan`)",
        "FlowCounters.dscp": "an attribute of the flow (JSON `dscp`)",
        "RequesterStatistics.episodes": "the list behind `retransmission_episodes` (JSON `retransmission_episodes`)",
        "RequesterStatistics.bursts": "busy periods for ring detection (collectives)",
        "RequesterStatistics.longPauses": "the longest pauses with their times and bytes: busy periods of collectives (their bus bandwidth)",
        "RequesterStatistics.pauses": "pauses for ring detection (collectives)",
        "RequesterStatistics.announcedStartingPSN": "a sequence number, not a quantity (JSON `cm_starting_psn`)",
        "RequesterStatistics.firstRequestPSN": "a sequence number, not a quantity (JSON `first_psn`)",
        "RequesterStatistics.restartCount": "reported as a capture warning (two runs read as one)",
        "RequesterStatistics.requestWireBytes": "the mean request size behind the run's `message_rate_bps` (requests' bytes ÷ request packets; a flow's `wire_bytes` also holds the ACKs it carries)",
        "NotificationCounters.firstNs": "the span behind `cnp_per_s`",
        "NotificationCounters.lastNs": "the span behind `cnp_per_s`",
    ]

    private func storedFields(_ value: Any, prefix: String) -> [String] {
        Mirror(reflecting: value).children.compactMap { $0.label.map { prefix + "." + $0 } }
    }

    func testEverySummaryFieldIsAMetricOrSaysWhyNot() {
        let fields = storedFields(FlowCounters(encapsulation: .rocev2, windowNs: 1000), prefix: "FlowCounters")
            + storedFields(RequesterStatistics(), prefix: "RequesterStatistics")
            + storedFields(NotificationCounters(), prefix: "NotificationCounters")
        let covered = Set(MetricCatalog.flow.map(\.summaryField))
        for field in fields {
            XCTAssertTrue(covered.contains(field) || MetricCatalogTests.notMetrics[field] != nil,
                          "\(field) is stored in summaries but no metric shows it: add it to MetricCatalog")
        }
        for field in covered { XCTAssertTrue(fields.contains(field), "\(field) names no stored field") }
    }

    func testNamesAreUniqueAndTableColumnsExist() {
        let names = Metrics.all.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        let families = Metrics.all.flatMap(\.prometheusNames)
        XCTAssertEqual(Set(families).count, families.count)
        for metric in Metrics.tableOrder { XCTAssertNotNil(metric.flow?.tableColumn, metric.name) }
        XCTAssertEqual(MetricCatalog.flow.map(\.name), Metrics.flow.map(\.name))
        for metric in Metrics.run {
            XCTAssertNotNil(metric.prometheus, "\(metric.name) is judged by health but not exported")
            XCTAssertNotNil(metric.advice, "\(metric.name) is judged by health but has no advice")
            XCTAssertFalse(metric.scopes.isDisjoint(with: [.link, .fabric]), metric.name)
        }
        XCTAssertEqual(CompareMetric.allCases.map(\.rawValue), Metrics.run.map(\.name))
        for metric in Metrics.all {
            if let ratio = metric.ratio {
                XCTAssertNotNil(Metrics.named(ratio.numerator), metric.name)
                XCTAssertNotNil(Metrics.named(ratio.denominator), metric.name)
            }
            guard let series = metric.prometheus else { continue }
            XCTAssertTrue(series.name.range(of: "^[a-z0-9_]+$", options: .regularExpression) != nil, series.name)
            // Prometheus's conventions: counters end in _total, base units (seconds,
            // bytes), shares as _ratio.
            XCTAssertEqual(series.kind == .counter, series.name.hasSuffix("_total"), series.name)
            if metric.unit == .nanoseconds { XCTAssertTrue(series.name.hasSuffix("_seconds"), series.name) }
            if metric.unit == .fraction { XCTAssertTrue(series.name.hasSuffix("_ratio"), series.name) }
            if metric.unit == .bitsPerSecond { XCTAssertTrue(series.name.hasSuffix("_bytes_per_second"), series.name) }
        }
    }

    /// Every metric an output names is in the catalog: read from the golden outputs,
    /// which `GoldenOutputTests` holds equal to what the commands print and write
    /// (the Prometheus text and JUnit XML of a health run, compare's and health's
    /// JSON, analyze's CSV header).
    func testEverySurfaceNamesOnlyCatalogMetrics() throws {
        let golden = TestPaths.repository.appendingPathComponent("Fixtures/golden")
        func read(_ name: String) throws -> String {
            try String(contentsOf: golden.appendingPathComponent(name), encoding: .utf8)
        }
        func matches(_ pattern: String, in text: String) -> [String] {
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range(at: 1), in: text)!])
            }
        }
        let names = Set(Metrics.all.map(\.name))
        let exported = Set(Metrics.all.flatMap(\.prometheusNames))
        let health = try read("health-ring4.table")
        let families = Set(matches(#"(?m)^# TYPE (fabricscope_(?:link|fabric)_[a-z0-9_]+) "#, in: health))
        XCTAssertGreaterThan(families.count, 20)
        XCTAssertEqual(families.subtracting(exported), [], "exported but not in the catalog")
        // The catalog's Prometheus column is what the exporter writes: each exported
        // run metric and counter appears in an export of a capture that has them all.
        // (Latency quantiles are written only where a scope has the samples to read them,
        // the rate within messages only where the timestamps resolve its gaps.)
        let expected = Set((Metrics.run + Metrics.runCounters).filter { $0.quantile == nil && $0 != Metrics.messageRate }
            .flatMap(\.prometheusNames))
        XCTAssertTrue(families.contains("fabricscope_fabric_" + Metrics.ackLatencyP50.prometheus!.name))
        XCTAssertEqual(expected.subtracting(families), [], "in the catalog but never written")
        let checked = matches(#"(?:threshold|baseline)/([a-z0-9_]+)"#, in: health + (try read("health-ring4.json")))
        XCTAssertFalse(checked.isEmpty)
        XCTAssertEqual(Set(checked).subtracting(names), [])
        let compared = matches(#""metric" : "([a-z0-9_]+)""#, in: try read("compare-ring4-usec.json"))
        XCTAssertGreaterThan(compared.count, 10)
        XCTAssertEqual(Set(compared).subtracting(names), [])
        let csv = try read("ring4-faults.csv").split(separator: "\n")[2].split(separator: ",").map(String.init)
        XCTAssertEqual(Array(csv.dropFirst(AnalysisDocument.csvIdentity.count).dropLast()), Metrics.flow.map(\.name))
    }

    /// Keys of stored formats that happen to equal a metric's name, and why they are
    /// spelt where they are.
    static let storedFormats: [String: String] = [
        "FlowTimeSeries+Codable.swift": "the summary file's window keys (docs/schema/summary), written byte by byte",
        "FlowTimeSeries+TapeDecoding.swift": "the summary file's window keys, read back",
        "FlowTimeSeries+Columns.swift": "the summary file's window columns (version 2), written and read back",
        "AnalysisSummary+TapeDecoding.swift": "the summary file's flow keys (retransmission episodes), read back off the tape",
        "RunHistory+Runs.swift": "the history database's column names (its migrations)",
    ]

    /// A metric's name (and Prometheus family) is spelt in FabricMetrics only; every
    /// other module reads it from the catalog. Coding keys are the exception: they are
    /// the JSON contract (docs/schema), whose paths the catalog records.
    func testMetricNamesAreSpeltInOneModule() throws {
        let sources = TestPaths.repository.appendingPathComponent("Sources")
        let spelt = Set(Metrics.all.map(\.name) + Metrics.all.compactMap(\.prometheus?.name)
            + Metrics.all.flatMap(\.prometheusNames)).filter { $0.contains("_") }
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" && !$0.path.contains("/FabricMetrics/") }
            .filter { MetricCatalogTests.storedFormats[$0.lastPathComponent] == nil }
        XCTAssertGreaterThan(files.count, 100)
        let literal = try NSRegularExpression(pattern: #""([a-z0-9_]+)""#)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.contains("case ") || !line.contains(" = \"") {
                let line = String(line)
                for match in literal.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
                    let word = String(line[Range(match.range(at: 1), in: line)!])
                    XCTAssertFalse(spelt.contains(word), "\(file.lastPathComponent) spells the metric name \(word): read it from Metrics")
                }
            }
        }
    }

    /// docs/metrics.md holds the generated table. FABRICSCOPE_UPDATE_DOCS=1 rewrites it.
    func testDocsHoldTheCatalog() throws {
        let url = TestPaths.repository.appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let table = Metrics.markdownTable()
        if ProcessInfo.processInfo.environment["FABRICSCOPE_UPDATE_DOCS"] == "1" {
            let begin = text.range(of: Metrics.docsBegin) ?? text.range(of: "<!-- metric catalog: generated from MetricCatalog, checked by MetricCatalogTests -->")
            if let begin, let end = text.range(of: Metrics.docsEnd) {
                try (text[..<begin.lowerBound] + table + text[end.upperBound...]).write(to: url, atomically: true, encoding: .utf8)
                return
            }
        }
        XCTAssertTrue(text.contains(table),
                      "docs/metrics.md is out of date with Metrics: run FABRICSCOPE_UPDATE_DOCS=1 swift test --filter MetricCatalogTests")
    }
}
