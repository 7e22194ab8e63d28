import FabricIngest
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
        let names = MetricCatalog.flow.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertEqual(Set(MetricCatalog.flow.map(\.prometheusName)).count, names.count)
        for name in MetricCatalog.tableOrder {
            XCTAssertNotNil(MetricCatalog.named(name)?.tableColumn, name)
        }
        for metric in MetricCatalog.flow {
            XCTAssertTrue(metric.prometheusName.range(of: "^fabricscope_[a-z0-9_]+$", options: .regularExpression) != nil)
            if metric.linkAggregation == .sum { XCTAssertTrue(metric.prometheusName.hasSuffix("_total"), metric.name) }
            if metric.unit == .nanoseconds, metric.linkAggregation == .mergedHistogram {
                XCTAssertTrue(metric.prometheusName.hasSuffix("_seconds"), metric.name)
            }
        }
    }

    /// docs/metrics.md holds the generated table. FABRICSCOPE_UPDATE_DOCS=1 rewrites it.
    func testDocsHoldTheCatalog() throws {
        let url = TestPaths.repository.appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let table = MetricCatalog.markdownTable()
        if ProcessInfo.processInfo.environment["FABRICSCOPE_UPDATE_DOCS"] == "1",
           let begin = text.range(of: MetricCatalog.docsBegin), let end = text.range(of: MetricCatalog.docsEnd) {
            try (text[..<begin.lowerBound] + table + text[end.upperBound...]).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertTrue(text.contains(table),
                      "docs/metrics.md is out of date with MetricCatalog: run FABRICSCOPE_UPDATE_DOCS=1 swift test --filter MetricCatalogTests")
    }
}
