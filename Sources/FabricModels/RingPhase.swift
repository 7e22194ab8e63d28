import FabricStats
import FabricWire

/// One busy period of a ring, cut at the pauses the traffic says separate periods
/// (nccl-tests pauses between sizes; training between steps). Its bus bandwidth is
/// the bytes each rank sent over the period's span: nccl-tests' busbw
/// (algbw · 2(n−1)/n, algbw = size ÷ time per iteration) is exactly that, whatever the
/// number of iterations run back to back inside the period — so it is known even
/// when the iteration count is not.
public struct RingPhase: Sendable, Equatable {
    public var startNs: Int64
    public var endNs: Int64
    /// Payload each rank sent to its successor in the period (the median edge).
    public var bytesPerRank: Int
    /// The median over the ring's links of bytes × 8 ÷ the link's span in the period.
    public var busBitsPerSecond: Double
    /// nccl-tests' algbw: busbw · n ÷ steps (2(n−1) for an all-reduce, n−1 for an
    /// all-gather or reduce-scatter; nil for a ring whose kind is unrecognised).
    public var algorithmBitsPerSecond: Double?
    /// The link with the lowest rate in the period, and its rate.
    public var slowest: (source: NodeAddress, destination: NodeAddress, bitsPerSecond: Double)
    /// Whether that link stands apart: slower than every other by more than the others
    /// differ among themselves and by at least `DetectedRing.stragglerMargin` of their
    /// median. A ring goes at its slowest link's pace, so in a period every link's
    /// bytes ÷ span is nearly the same; a lowest rate within that noise names nothing.
    public var slowestStandsApart = false
    /// Messages each queue pair of the ring started in the period (the median over the
    /// links of their mean per QP; nil: the summary did not count them).
    public var messagesPerFlow: Int?

    public static func == (a: RingPhase, b: RingPhase) -> Bool {
        (a.startNs, a.endNs, a.bytesPerRank, a.busBitsPerSecond) == (b.startNs, b.endNs, b.bytesPerRank, b.busBitsPerSecond)
            && a.slowest.source == b.slowest.source && a.slowest.destination == b.slowest.destination
    }
}

extension DetectedRing {
    /// A ring-wide idle: every flow of the ring paused over it. Between nccl-tests'
    /// sizes (result check, synchronisation) and between training steps every link
    /// idles at once; a link that waits inside an iteration does so alone.
    static let minimumRingIdleNs: Int64 = LongPauses.floorNs
    /// …and at least this many times the ring's median pause between messages.
    static let ringIdleOverMedianPause = 5.0

    /// The ring's busy periods, cut where every flow of the ring idled at once, or nil
    /// when they cannot be cut exactly: a summary that did not keep its long pauses.
    /// (Cut once, when the ring is found.)
    func cutPhases() -> [RingPhase]? {
        let flows = edges.flatMap(\.flowPeriods)
        let all = flows.compactMap { $0 }
        guard !all.isEmpty, all.count == flows.count, edges.allSatisfy({ $0.flowPeriods.count == $0.flows.count }) else {
            return nil
        }
        var merged = PauseHistogram()
        for edge in edges { for flow in edge.flowPauses { merged.merge(flow.pauses) } }
        let medianPause = merged.median ?? 0
        // A flow keeps its 64 longest pauses: where it dropped some at least this long,
        // cut only at idles longer than any it dropped, which it kept all of. (A slow
        // link makes the others wait inside iterations, often more than 64 times; the
        // pauses between nccl-tests' sizes are longer still.)
        let dropped = all.map(\.longPauses.droppedLongest).max() ?? 0
        let minimum = max(Double(DetectedRing.minimumRingIdleNs), DetectedRing.ringIdleOverMedianPause * medianPause,
                          dropped.nextUp)
        guard all.allSatisfy({ $0.longPauses.isComplete(above: minimum) }) else { return nil }
        // Intervals every flow spent in one of its pauses.
        var common = all[0].longPauses.pauses.map { (start: $0.startNs, end: $0.endNs) }
        for flow in all.dropFirst() {
            common = DetectedRing.intersect(common, flow.longPauses.pauses.map { (start: $0.startNs, end: $0.endNs) })
        }
        let cuts = common.filter { Double($0.end - $0.start) >= minimum }
        // Per edge, per period: (start, end, bytes).
        let perEdge = edges.map { edge -> [(start: Int64, end: Int64, bytes: Int, messages: Int?)] in
            var periods = Array(repeating: (start: Int64.max, end: Int64.min, bytes: 0, messages: Int?.some(0)),
                                count: cuts.count + 1)
            for case let flow? in edge.flowPeriods {
                // The pause of this flow that holds each cut.
                let holding = cuts.map { cut in flow.longPauses.pauses.first { $0.startNs <= cut.start && $0.endNs >= cut.end }! }
                for k in 0...cuts.count {
                    let start = k == 0 ? flow.startNs : holding[k - 1].endNs
                    let end = k == cuts.count ? flow.endNs : holding[k].startNs
                    let bytes = (k == cuts.count ? flow.payloadBytes : holding[k].bytesBefore) - (k == 0 ? 0 : holding[k - 1].bytesBefore)
                    let through = k == cuts.count ? flow.messages : holding[k].messagesBefore
                    let before = k == 0 ? 0 : holding[k - 1].messagesBefore
                    let messages = through.flatMap { through in before.map { through - $0 } }
                    periods[k] = (min(periods[k].start, start), max(periods[k].end, end), periods[k].bytes + bytes,
                                  messages.flatMap { m in periods[k].messages.map { $0 + m } })
                }
            }
            return periods
        }
        return (0...cuts.count).map { k in
            let rates = perEdge.map { edge -> Double in
                let span = edge[k].end - edge[k].start
                return span > 0 ? Double(edge[k].bytes) * 8e9 / Double(span) : 0
            }
            let sortedRates = rates.sorted()
            let bus = sortedRates[(sortedRates.count - 1) / 2]
            let slowest = rates.indices.min { rates[$0] < rates[$1] }!
            let apart = DetectedRing.standsApart(rates[slowest], below: rates.indices.filter { $0 != slowest }.map { rates[$0] })
            let bytes = perEdge.map { $0[k].bytes }.sorted()
            let messages = edges.indices.compactMap { e in
                perEdge[e][k].messages.map { Int((Double($0) / Double(max(1, edges[e].flows.count))).rounded()) }
            }.sorted()
            return RingPhase(
                startNs: perEdge.map { $0[k].start }.min()!, endNs: perEdge.map { $0[k].end }.max()!,
                bytesPerRank: bytes[(bytes.count - 1) / 2], busBitsPerSecond: bus,
                algorithmBitsPerSecond: nil,
                slowest: (edges[slowest].source, edges[slowest].destination, rates[slowest]),
                slowestStandsApart: apart,
                messagesPerFlow: messages.count == edges.count ? messages[(messages.count - 1) / 2] : nil)
        }
    }

    /// The intersection of two lists of intervals, each in time order and disjoint.
    static func intersect(_ a: [(start: Int64, end: Int64)], _ b: [(start: Int64, end: Int64)]) -> [(start: Int64, end: Int64)] {
        var result: [(start: Int64, end: Int64)] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            let start = max(a[i].start, b[j].start), end = min(a[i].end, b[j].end)
            if start < end { result.append((start, end)) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return result
    }
}
