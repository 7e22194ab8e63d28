import FabricReport
import TestSupport
import FabricCompare
import FabricHealth
import FabricModels
@testable import FabricReport
import FabricStats
import XCTest

/// The textfile export: the exposition format's escaping and special values, each
/// family once with its samples together, and the same numbers as the run's metrics.
/// (`promtool check metrics` validates a whole night's file in NightlyPathTests.)
final class PrometheusTextTests: XCTestCase {
    func testEscapingAndSpecialValues() {
        var text = PrometheusText()
        text.gauge("g", [("path", "a\\b \"c\"\nd")], help: "back\\slash\nnewline", .infinity)
        text.gauge("g", [("path", "x")], help: "back\\slash\nnewline", -.infinity)
        text.gauge("g", [("path", "y")], help: "back\\slash\nnewline", .nan)
        text.gauge("g", [("path", "crlf\r\n")], help: "back\\slash\nnewline", 1)
        text.counter("c_total", help: "A counter.", 12)
        XCTAssertEqual(text.text, """
            # HELP c_total A counter.
            # TYPE c_total counter
            c_total 12
            # HELP g back\\\\slash\\nnewline
            # TYPE g gauge
            g{path="a\\\\b \\"c\\"\\nd"} +Inf
            g{path="x"} -Inf
            g{path="y"} NaN
            g{path="crlf\r\\n"} 1.0

            """)
    }

    func testFamiliesSortedOnceWithSamplesInOrderSet() {
        var text = PrometheusText()
        text.gauge("b", help: "B.", 1)
        text.gauge("a", [("x", "1"), ("y", "2")], help: "A.", 0.5)
        text.gauge("a", [("x", "2"), ("y", "2")], help: "A.", 2)
        text.gauge("a", [("x", "1"), ("y", "2")], help: "A.", 3)  // the same label set again: replaced
        XCTAssertEqual(text.text, """
            # HELP a A.
            # TYPE a gauge
            a{x="1",y="2"} 3.0
            a{x="2",y="2"} 2.0
            # HELP b B.
            # TYPE b gauge
            b 1.0

            """)
    }

    /// A fabric's export: one HELP and TYPE per family, families sorted, every check's
    /// status, and counters for the fabric and for each link that carries requests.
    func testHealthExportOfACapture() throws {
        let summary = try Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")])
        let metrics = try RunMetrics(summary: summary, ring: RingFinding.find(in: summary).first)
        let report = HealthReport(label: "night", run: metrics, linkBitsPerSecond: summary.linkBitsPerSecond,
                                  baseline: [], config: HealthConfig())
        let lines = report.prometheusText(run: metrics, finishedAtSeconds: 1_700_000_000).split(separator: "\n")
        let types = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        XCTAssertEqual(types, types.sorted())
        XCTAssertEqual(Set(types).count, types.count, "each family once")
        // Samples follow their own family's TYPE line.
        var family = ""
        for line in lines {
            if line.hasPrefix("# TYPE ") { family = String(line.split(separator: " ")[2]) }
            if !line.hasPrefix("#") { XCTAssertTrue(line.hasPrefix(family + "{") || line.hasPrefix(family + " "), String(line)) }
        }
        XCTAssertEqual(lines.filter { $0.hasPrefix("fabricscope_health_check_status{") }.count, report.checks.count)
        XCTAssertTrue(lines.contains("fabricscope_health_status{run=\"night\"} \(Double(report.status.rank))"))
        XCTAssertEqual(report.status, .fail, "the fixture's faults fail two links")
        let value = { (line: Substring) in Int(line.split(separator: " ").last!)! }
        let links = lines.filter { $0.hasPrefix("fabricscope_link_wire_bytes_total{") }.map(value)
        let fabric = lines.filter { $0.hasPrefix("fabricscope_fabric_wire_bytes_total ") }.map(value)
        XCTAssertEqual(links.count, metrics.totals.count - 1, "one per link with requests")
        XCTAssertEqual(fabric, [metrics.totals[.fabric]!.wireBytes])
        XCTAssertGreaterThan(fabric[0], 0)
    }
}
