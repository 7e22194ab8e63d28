import TestSupport
import FabricReport
import FabricStats
import XCTest

/// A report that lists only the largest flows (`--top` with JSON or CSV) builds
/// entries for those alone, and writes exactly what the whole document would.
final class ListedFlowsTests: XCTestCase {
    func testOnlyListedEntriesAreBuiltAndTheReportIsTheSame() throws {
        let summary = try Analysis().run([TestPaths.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap")])
        let whole = AnalysisDocument(summary: summary)
        let count = whole.flows.count
        XCTAssertGreaterThan(count, 4)
        for limit in [1, 3, count - 1, count, count + 5] {
            let listed = AnalysisDocument(summary: summary, listingFirst: limit)
            XCTAssertEqual(listed.flows.count, min(limit, count), "limit \(limit)")
            XCTAssertEqual(listed.flowsWithoutEntries, max(0, count - limit), "limit \(limit)")
            let expected = whole.keepingFirst(limit, flowsOrderedBy: .bytes)
            let actual = listed.keepingFirst(limit, flowsOrderedBy: .bytes)
            XCTAssertEqual(try actual.jsonText(), try expected.jsonText(), "limit \(limit)")
            XCTAssertEqual(actual.csvText(), expected.csvText(), "limit \(limit)")
            if limit < count {
                XCTAssertTrue(try actual.jsonText().contains("Only the first \(limit) of \(count) flows (by bytes)"))
            }
            // The ECMP host pairs are bounded by the same limit, listed or not.
            let pairs = try XCTUnwrap(whole.ecmp?.hostPairs.count)
            XCTAssertEqual(actual.ecmp?.hostPairs.count, min(limit, pairs), "limit \(limit)")
            XCTAssertEqual(actual.notes.contains { $0.hasPrefix("Only \(limit) of \(pairs) host pairs") }, limit < pairs)
        }
    }
}
