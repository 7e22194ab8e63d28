import TestSupport
import FabricReport
import FabricStats
import XCTest

/// A document whose flow entries are made as its JSON is written gives the text of
/// one that made them first: for every `--top` bound, with and without the windows,
/// on fixtures of a few flows and on one of 1,500 (whose entries are made on all
/// cores, in slices).
final class DeferredEntriesTests: XCTestCase {
    func assertSameText(_ summary: AnalysisSummary, _ name: String, limits: [Int?]) throws {
        let made = AnalysisDocument(summary: summary)
        let deferred = AnalysisDocument(summary: summary, entriesWhenWritten: true)
        XCTAssertTrue(deferred.flows.isEmpty, name)
        XCTAssertEqual(deferred.deferredEntries?.entries, made.flows, name)
        for limit in limits {
            XCTAssertEqual(try deferred.keepingFirst(limit, flowsOrderedBy: .bytes).jsonText(),
                           try made.keepingFirst(limit, flowsOrderedBy: .bytes).jsonText(), "\(name), top \(String(describing: limit))")
            let bounded = AnalysisDocument(summary: summary, listingFirst: limit, entriesWhenWritten: true)
            XCTAssertEqual(try bounded.keepingFirst(limit, flowsOrderedBy: .bytes).jsonText(),
                           try made.keepingFirst(limit, flowsOrderedBy: .bytes).jsonText(), "\(name), built for top \(String(describing: limit))")
        }
        var withoutMade = made, withoutDeferred = deferred
        withoutMade.removeTimeSeries()
        withoutDeferred.removeTimeSeries()
        XCTAssertEqual(try withoutDeferred.jsonText(), try withoutMade.jsonText(), "\(name) without windows")
    }

    func testFixtures() throws {
        var options = AnalysisOptions()
        options.timeSeries = true
        for capture in ["generated/ring4-faults.pcap", "generated/ring8-ipv6-vlan-wrap-snap128.pcap", "real/roce-rc-send-real.pcap"] {
            let summary = try Analysis(options).run([TestPaths.fixture(capture)])
            XCTAssertTrue(summary.flows.contains { $0.timeSeries != nil }, capture)
            try assertSameText(summary, capture, limits: [nil, 1, 3, 1_000])
        }
    }

    /// 1,500 flows: above `LazyConcurrentJSONArray`'s threshold, so the entries are
    /// made on all cores as their slices are written.
    func testManyFlowsMadeInSlices() throws {
        let (_, pcap) = try Run.flowsCapture(connections: 750, packets: 6_000)
        let summary = try Analysis().run([pcap])
        XCTAssertEqual(summary.flows.count, 1_500)
        try assertSameText(summary, "1,500 flows", limits: [nil, 10, 1_499])
    }
}
