import FabricWire
import TestSupport
import FabricCompare
import FabricIngest
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

    /// The summary's loss verdict uses the health checks' limits on the same per-link
    /// share: its level is the worst retransmitted_fraction check's status, on each side
    /// of the limits (0.05 % was "warn" in the summary while the health check passed).
    func testLossVerdictAgreesWithTheHealthCheck() throws {
        let faults = try Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")])
        for (retransmitted, level) in [(0, Verdict.Level.ok), (50, .ok), (500, .warn), (2_000, .bad)] {
            // Every request flow: 10⁵ request packets, `retransmitted` of them sent again.
            var summary = faults
            for index in summary.flows.indices where summary.flows[index].requester != nil {
                summary.flows[index].counters.packets = 100_000
                summary.flows[index].opcodes = [Opcode(.rc, .rdmaWriteOnly).name: 100_000]
                summary.flows[index].requester!.retransmittedPackets = retransmitted
            }
            let loss = try XCTUnwrap(Verdict.verdicts(for: AnalysisDocument(summary: summary)).first { $0.topic == "Loss" })
            let report = HealthReport(label: "", run: try RunMetrics(summary: summary, ring: nil),
                                      linkBitsPerSecond: summary.linkBitsPerSecond, baseline: [], config: HealthConfig())
            let worst = try XCTUnwrap(report.checks.filter { $0.name == "threshold/retransmitted_fraction" }.map(\.status).max())
            XCTAssertEqual(worst, level == .bad ? .fail : level == .warn ? .warn : .ok, "\(retransmitted) of 10⁵")
            // The line is never milder than any check of its topic: this capture's NAK
            // rate warns on two links whatever the retransmissions.
            let naks = report.checks.filter { $0.name == "threshold/nak_per_s" }.map(\.status).max() ?? .ok
            XCTAssertEqual(naks, .warn)
            XCTAssertEqual(loss.level, max(level, .warn), "\(retransmitted) of 10⁵")
        }
        // Request flows that also carry the ACKs of the other direction's requests, as
        // on any RC connection with requests both ways (shared/captures/ib2-erf-cm.pcap:
        // 40 requests and 20 ACKs in one flow): 120 of 10⁵ requests sent again is
        // 0.12 %, a warning, however many ACKs ride along. Counting the ACKs too
        // (0.08 %) passed it.
        var mixed = faults
        for index in mixed.flows.indices where mixed.flows[index].requester != nil {
            mixed.flows[index].counters.packets = 150_000
            mixed.flows[index].opcodes = [Opcode(.rc, .rdmaWriteOnly).name: 100_000, Opcode(.rc, .acknowledge).name: 50_000]
            mixed.flows[index].requester!.retransmittedPackets = 120
        }
        let mixedLoss = try XCTUnwrap(Verdict.verdicts(for: AnalysisDocument(summary: mixed)).first { $0.topic == "Loss" })
        let mixedRun = try RunMetrics(summary: mixed, ring: nil)
        let mixedReport = HealthReport(label: "", run: mixedRun, linkBitsPerSecond: mixed.linkBitsPerSecond,
                                       baseline: [], config: HealthConfig())
        XCTAssertEqual(mixedLoss.level, .warn, mixedLoss.text)
        XCTAssertEqual(mixedReport.checks.filter { $0.name == "threshold/retransmitted_fraction" }.map(\.status).max(), .warn)
        XCTAssertEqual(try XCTUnwrap(mixedRun.value(.retransmittedFraction, .fabric)), 0.0012, accuracy: 1e-12)
        // The real capture as it is: no request was sent again, and both say so.
        let real = try Analysis().run([TestPaths.fixture("real/roce-rc-send-real.pcap")])
        let loss = try XCTUnwrap(Verdict.verdicts(for: AnalysisDocument(summary: real)).first { $0.topic == "Loss" })
        let report = HealthReport(label: "", run: try RunMetrics(summary: real, ring: nil),
                                  linkBitsPerSecond: real.linkBitsPerSecond, baseline: [], config: HealthConfig())
        XCTAssertEqual(loss.level, .ok, loss.text)
        // Its two links and the fabric.
        XCTAssertEqual(report.checks.filter { $0.name == "threshold/retransmitted_fraction" }.map(\.status), [.ok, .ok, .ok])
    }
}
