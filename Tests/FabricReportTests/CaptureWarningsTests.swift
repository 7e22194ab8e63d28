import FabricIngest
import FabricReport
import FabricStats
import TestSupport
import XCTest

/// The capture section's warnings about flows, and the requester questions behind them
/// (`AnalysisSummary+RequesterQueries`), against the flows one by one: the counts, the
/// lines and their order.
final class CaptureWarningsTests: XCTestCase {
    func testFlowWarningsCountWhatTheFlowsSay() throws {
        var summary = try Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")])
        let before = AnalysisDocument(summary: summary).capture.warnings
        let requesters = summary.flows.indices.filter { summary.flows[$0].requester != nil }
        XCTAssertGreaterThanOrEqual(requesters.count, 3)
        let others = summary.flows.indices.filter { summary.flows[$0].requester == nil }
        XCTAssertGreaterThanOrEqual(others.count, 1)

        summary.flows[requesters[0]].counters.truncatedHeaders = 2
        summary.flows[others[0]].counters.truncatedHeaders = 1
        summary.flows[requesters[0]].requester!.restarts = 2
        summary.flows[requesters[1]].requester!.restarts = 1
        summary.flows[requesters[2]].requester!.announcedStartingPSN = 1_000
        summary.flows[requesters[2]].requester!.firstRequestPSN = 900_000

        XCTAssertEqual(summary.restartedFlows.flows, 2)
        XCTAssertEqual(summary.restartedFlows.restarts, 3)
        XCTAssertEqual(summary.startingPSNMismatches.map(\.flow), [requesters[2]])
        XCTAssertEqual(summary.startingPSNMismatches.first?.announced, 1_000)
        XCTAssertEqual(summary.startingPSNMismatches.first?.first, 900_000)
        for index in summary.flows.indices {
            let traffic = summary.requestTraffic(ofFlow: index)
            XCTAssertEqual(traffic?.goodputBytes, summary.flows[index].requester?.goodputBytes, "flow \(index)")
            XCTAssertEqual(traffic?.messages, summary.flows[index].requester?.messages, "flow \(index)")
        }

        let key = summary.flows[requesters[2]].key
        let added = AnalysisDocument(summary: summary).capture.warnings.filter { !before.contains($0) }
        XCTAssertEqual(added, [
            "2 flows have packets whose extension headers were cut by the snaplen; ACK/NAK kinds of those packets are unknown",
            "2 flow(s) start over in another input file (3 time(s)): the same queue pairs' PSNs begin again instead of "
                + "going on, so the files are several runs of the same traffic, not one capture split in parts. Read "
                + "together, their rates and totals add up the runs; analyze each run on its own and compare them "
                + "(repeated PSNs were not counted as retransmissions)",
            "\(key.source) → \(key.destination) QP 0x\(String(key.destQP, radix: 16)): the CM exchange announced "
                + "starting PSN 1000 but the first request carried 900000; the traffic is believed (no gap or "
                + "retransmission counted for the difference)",
        ])
    }
}
