import FabricCompare
import FabricHealth
import FabricModels
import FabricReport
import FabricStats
import XCTest

/// The analyze document lists the checks that warn or fail and counts the rest:
/// the same checks, in the same order, as the full report that `health` prints.
final class HealthSectionTests: XCTestCase {
    func testProblemsListedAndPassesCounted() throws {
        for capture in ["generated/ring4-faults.pcap", "real/roce-rc-send-real.pcap"] {
            let summary = try Analysis().run([TestPaths.fixture(capture)])
            let document = AnalysisDocument(summary: summary)
            let section = try XCTUnwrap(document.health, capture)
            let full = HealthReport(label: "", run: try RunMetrics(summary: summary, ring: RingFinding.find(in: summary).first),
                                    linkBitsPerSecond: summary.linkBitsPerSecond, baseline: [], config: HealthConfig())
            XCTAssertEqual(section.checks, full.checks.filter { $0.status != .ok }, capture)
            XCTAssertEqual(section.passed, full.checks.filter { $0.status == .ok }.count, capture)
            XCTAssertEqual(section.headline, full.headline, capture)
            XCTAssertGreaterThan(section.passed, 0, capture)
        }
        // The generated ring has its faults: two failing links.
        let faults = AnalysisDocument(summary: try Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")]))
        XCTAssertEqual(faults.health?.status, .fail)
        XCTAssertFalse(faults.health?.checks.isEmpty ?? true)
    }
}
