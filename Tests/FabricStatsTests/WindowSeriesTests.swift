import TestSupport
import FabricStats
import XCTest

/// The per-window series add up to the flow's own totals: every ACK sample, gap,
/// retransmission and NAK lands in exactly one window, and the pause series holds
/// the time PFC really paused. `compare` relies on it (its pooled units must give
/// the numbers `analyze` reports).
final class WindowSeriesTests: XCTestCase {
    func testWindowsAddUpToTheFlows() throws {
        var options = AnalysisOptions()
        options.timeSeries = true
        let summary = try Analysis(options).run([TestPaths.fixture("generated/ring4-faults.pcap")])
        var latencySamples = 0, gapSamples = 0, retransmitted = 0, naks = 0
        for flow in summary.flows {
            let windows = try XCTUnwrap(flow.timeSeries).windows
            XCTAssertEqual(windows.reduce(0) { $0 + $1.packets }, flow.counters.packets)
            XCTAssertEqual(windows.reduce(0) { $0 + $1.naks }, flow.counters.naks.total)
            if let requester = flow.requester {
                XCTAssertEqual(windows.reduce(0) { $0 + $1.ackLatency.count }, requester.ackLatency.count)
                XCTAssertEqual(windows.reduce(0) { $0 + $1.gaps.count }, requester.gaps.count)
                XCTAssertEqual(windows.reduce(0) { $0 + $1.retransmittedPackets }, requester.retransmittedPackets)
                latencySamples += requester.ackLatency.count
                gapSamples += requester.gaps.count
                retransmitted += requester.retransmittedPackets
            }
            naks += flow.counters.naks.total
        }
        // The fixture has all of them, so the checks above are not vacuous.
        XCTAssertEqual(latencySamples, 22)
        XCTAssertGreaterThan(gapSamples, 100)
        XCTAssertEqual(retransmitted, 13)
        XCTAssertEqual(naks, 2)
        let paused = summary.pauses.reduce(Int64(0)) { $0 + $1.counters.timeline.pausedNs }
        XCTAssertGreaterThan(paused, 0)
        XCTAssertEqual(try XCTUnwrap(summary.pauseTimeSeries).windows.reduce(Int64(0)) { $0 + $1.pausedNs }, paused)
    }

    /// A pause is spread over the windows it covers; time in a window without
    /// frames goes to the closest earlier window (memory bounded by the frames).
    func testPauseSpreadsOverWindows() {
        var series = FlowTimeSeries(windowNs: 100)
        series.add({ $0.packets += 1 }, at: 150)
        series.add({ $0.packets += 1 }, at: 250)
        series.add({ $0.packets += 1 }, at: 650)
        series.addPause(from: 180, to: 470)
        XCTAssertEqual(series.windows.map(\.startNs), [100, 200, 600])
        XCTAssertEqual(series.windows.map(\.pausedNs), [20, 270, 0])
        series.addPause(from: 640, to: 900)
        XCTAssertEqual(series.windows.map(\.pausedNs), [20, 270, 260])
    }
}
