import FabricWire
import TestSupport
import FabricIngest
import FabricStats
import Foundation
import XCTest

/// Folding a capture on several threads, each owning a share of host pairs, gives
/// exactly what one accumulator gives: the same flows in the same order, the same
/// pairings, CM announcements, PFC pauses and totals.
final class ShardedAccumulationTests: XCTestCase {
    func summary(_ paths: [String], threads: Int, configure: (inout AnalysisOptions) -> Void = { _ in })
        throws -> AnalysisSummary {
        var options = AnalysisOptions()
        options.statisticsThreads = threads
        configure(&options)
        return try Analysis(options).run(paths)
    }

    /// Every thread count gives the single accumulator's summary; returns it.
    @discardableResult
    func assertShardsAgree(_ paths: [String], file: StaticString = #filePath, line: UInt = #line,
                           configure: (inout AnalysisOptions) -> Void = { _ in }) throws -> AnalysisSummary {
        let single = try summary(paths, threads: 1, configure: configure)
        for threads in [2, 3, 5, 7] {
            let sharded = try summary(paths, threads: threads, configure: configure)
            XCTAssertEqual(sharded.flows.map(\.key), single.flows.map(\.key), "flow order, \(threads) threads",
                           file: file, line: line)
            XCTAssertEqual(sharded, single, "\(threads) threads", file: file, line: line)
        }
        return single
    }

    func testGeneratedFaultsWithPFCAndRetransmissions() throws {
        let single = try assertShardsAgree([TestPaths.fixture("generated/ring4-faults.pcap")])
        // The comparison covers what a shard could lose: PFC frames (first shard
        // only, closed at the end of the whole capture) and paired responses.
        XCTAssertGreaterThan(single.totals.pfcFrames, 0)
        XCTAssertFalse(single.pauses.isEmpty)
        XCTAssertGreaterThan(single.flows.filter { $0.answers != nil }.count, 0)
        XCTAssertGreaterThan(single.flows.compactMap(\.requester).map(\.retransmittedPackets).reduce(0, +), 0)
    }

    func testTimeSeriesAndSeveralFilesReadAsOne() throws {
        try assertShardsAgree([
            TestPaths.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap"), TestPaths.fixture("generated/ring4-faults.pcap"),
        ]) { $0.timeSeries = true }
    }

    func testInfiniBandAndHostSelection() throws {
        try assertShardsAgree([TestPaths.fixture("derived/ring4-faults.erf-ib.pcap")])
        let selected = try assertShardsAgree([TestPaths.fixture("generated/ring4-faults.pcap")]) {
            $0.hosts = [NodeAddress(text: "10.0.0.1")!]
        }
        XCTAssertGreaterThan(selected.flows.count, 0)
        XCTAssertLessThan(selected.flows.count, try summary([TestPaths.fixture("generated/ring4-faults.pcap")], threads: 1).flows.count)
    }

    /// Real connections set up by the CM: the REQ/REP exchange and the traffic it
    /// names must land in the same shard for the announced PSNs and pairings to hold.
    func testRealCapturesWithConnectionManagement() throws {
        let shared = TestPaths.repository.deletingLastPathComponent().appendingPathComponent("shared/captures")
        for name in ["softroce-send-cm.pcap", "ib2-erf-cm.pcap"] {
            let path = shared.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else {
                if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("\(path) is missing; CI lays shared/ beside the clone") }
                continue
            }
            let single = try assertShardsAgree([path])
            XCTAssertGreaterThan(single.connectionsFromCM, 0, name)
        }
        try assertShardsAgree([TestPaths.fixture("real/roce-rc-send-real.pcap")])
    }
}
