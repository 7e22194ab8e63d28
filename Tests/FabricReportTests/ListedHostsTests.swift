@testable import FabricReport
@testable import FabricStats
import FabricWire
import XCTest

/// `--top N` bounds the ECMP host pairs and QoS hosts a report lists as it bounds the
/// flows: the pairs with the most bytes, the hosts a finding names first; the
/// findings still cover everything, and building the bounded list directly gives
/// exactly what bounding the whole one gives.
final class ListedHostsTests: XCTestCase {
    private func host(_ last: UInt32) -> NodeAddress { .ipv4(0x0a00_0000 | last) }

    func testHostPairsWithTheMostBytesAreListedLargestFirst() throws {
        var spread = EcmpSpread(AnalysisSummary(accumulator: TrafficAccumulator(), files: []))
        // Pairs in address order, as EcmpSpread makes them; bytes 300, 900, 100, 900, 500.
        let bytes = [300, 900, 100, 900, 500]
        spread.pairs = bytes.enumerated().map { index, total in
            EcmpSpread.HostPair(source: host(UInt32(2 * index + 1)), destination: host(UInt32(2 * index + 2)), qps: 2,
                                bytesByPort: [(49152, total - 50), (49153, 50)], sprayingQPs: 0)
        }
        let whole = try XCTUnwrap(AnalysisDocument.EcmpSection(spread))
        XCTAssertEqual(whole.hostPairs.map(\.src), ["10.0.0.1", "10.0.0.3", "10.0.0.5", "10.0.0.7", "10.0.0.9"])
        for limit in 1...6 {
            let listed = try XCTUnwrap(AnalysisDocument.EcmpSection(spread, listing: limit))
            XCTAssertEqual(listed, whole.keepingFirst(limit), "limit \(limit)")
            XCTAssertEqual(listed.hostPairsLeftOut, max(0, 5 - limit))
            XCTAssertEqual(listed.findings, whole.findings, "findings cover every pair")
        }
        // 900 and 900 tie: address order; then 500, 300, 100.
        let three = whole.keepingFirst(3)
        XCTAssertEqual(three.hostPairs.map(\.src), ["10.0.0.3", "10.0.0.7", "10.0.0.9"])
        XCTAssertEqual(three.hostPairsLeftOut, 2)
        XCTAssertEqual(whole.keepingFirst(9).hostPairs.map(\.src), ["10.0.0.3", "10.0.0.7", "10.0.0.9", "10.0.0.1", "10.0.0.5"])
        XCTAssertEqual(three.keepingFirst(3), three, "bounding twice by the same limit changes nothing")
    }

    func testHostsAFindingNamesAreListedFirst() throws {
        var observation = QosObservation(AnalysisSummary(accumulator: TrafficAccumulator(), files: []))
        var common = FlowMarkings.Classes()
        common.dscps = 1 << 26
        common.priorities = FlowMarkings.untaggedBit
        var odd = common
        odd.dscps = 1 << 0
        observation.data = common
        observation.data.merge(odd)
        observation.flowsSeen = 6
        // Six senders; 10.0.0.5 sends on DSCP 0 while the other five agree on 26.
        for last in 1...6 { observation.dataByHost[host(UInt32(last))] = last == 5 ? odd : common }
        let whole = try XCTUnwrap(AnalysisDocument.QosSection(observation, intent: nil))
        XCTAssertEqual(whole.findings.map(\.kind), ["minority_class"])
        XCTAssertEqual(whole.findings.first?.host, "10.0.0.5")
        XCTAssertEqual(whole.hosts.map(\.host), (1...6).map { "10.0.0.\($0)" })
        for limit in 1...7 {
            let listed = try XCTUnwrap(AnalysisDocument.QosSection(observation, intent: nil, listing: limit))
            XCTAssertEqual(listed, whole.keepingFirst(limit), "limit \(limit)")
            XCTAssertEqual(listed.hostsLeftOut, max(0, 6 - limit))
        }
        XCTAssertEqual(whole.keepingFirst(1).hosts.map(\.host), ["10.0.0.5"])
        XCTAssertEqual(whole.keepingFirst(3).hosts.map(\.host), ["10.0.0.5", "10.0.0.1", "10.0.0.2"])
        XCTAssertEqual(whole.keepingFirst(3).findings, whole.findings)
    }
}
