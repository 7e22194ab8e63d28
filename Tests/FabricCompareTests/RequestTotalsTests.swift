import FabricWire
import TestSupport
import FabricCompare
import FabricIngest
import FabricModels
import FabricStats
import XCTest

/// A run's request totals count the requests alone. On an RC connection with requests
/// both ways, each flow also carries the ACKs of the other direction's requests (as in
/// shared/captures/ib2-erf-cm.pcap); small ACKs counted as requests shrank the mean
/// request size, and with it the message rate that health holds against the link speed.
final class RequestTotalsTests: XCTestCase {
    func testACKsRidingInARequestFlowChangeNoRequestMetric() throws {
        let summary = try Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")])
        let plain = try RunMetrics(summary: summary, ring: nil)
        let rates = plain.values.filter { $0.metric == .messageRate }
        XCTAssertGreaterThan(rates.count, 1, "the fixture's links have multi-packet messages")

        // The same flows, each also carrying one 58-byte ACK per request.
        var mixed = summary
        for index in mixed.flows.indices where mixed.flows[index].requester != nil {
            let requests = mixed.flows[index].opcodes.reduce(0) { $0 + (Opcode(name: $1.key)?.isRequest == true ? $1.value : 0) }
            mixed.flows[index].counters.packets += requests
            mixed.flows[index].counters.wireBytes += 58 * requests
            mixed.flows[index].opcodes[Opcode(.rc, .acknowledge).name, default: 0] += requests
        }
        let riding = try RunMetrics(summary: mixed, ring: nil)
        for metric in [CompareMetric.messageRate, .retransmittedFraction, .goodput] {
            let before = plain.values.filter { $0.metric == metric }
            let after = riding.values.filter { $0.metric == metric }
            XCTAssertEqual(after, before, "\(metric)")
        }
        XCTAssertEqual(riding.totals[.fabric]?.requests, plain.totals[.fabric]?.requests)
        // Each flow's rate within messages, which picks a ring's straggler and its
        // link estimate, too.
        let resolution = summary.resolutionNs
        let flowRates = summary.flows.map { $0.inMessageBitsPerSecond(resolutionNs: resolution) }
        XCTAssertGreaterThan(flowRates.compactMap { $0 }.count, 1)
        XCTAssertEqual(mixed.flows.map { $0.inMessageBitsPerSecond(resolutionNs: resolution) }, flowRates)
        XCTAssertEqual(mixed.flows.map(\.requestPackets), summary.flows.map(\.requestPackets))

        // A summary written before requests' bytes were kept falls back to the flow's.
        var old = summary
        for index in old.flows.indices where old.flows[index].requester != nil {
            old.flows[index].requester!.requestWireBytes = nil
        }
        let fallback = try RunMetrics(summary: old, ring: nil)
        XCTAssertEqual(fallback.totals[.fabric]?.requestWireBytes,
                       summary.flows.filter { $0.requester != nil }.reduce(0) { $0 + $1.counters.wireBytes })
        // ... which is what every run did before: there the riding ACKs cut each link's
        // message rate, by as much as their share of the bytes.
        var oldMixed = mixed
        for index in oldMixed.flows.indices where oldMixed.flows[index].requester != nil {
            oldMixed.flows[index].requester!.requestWireBytes = nil
        }
        let diluted = try RunMetrics(summary: oldMixed, ring: nil).values.filter { $0.metric == .messageRate }
        XCTAssertEqual(diluted.map(\.scope), rates.map(\.scope))
        for (was, now) in zip(rates, diluted) { XCTAssertLessThan(now.value, was.value * 0.9, "\(was.scope)") }
    }
}
