import FabricStats
import FabricWire

/// Every per-link figure summed over the switches and ports the links cross
/// (`FabricTopology.path`): bytes, CE marks, retransmissions, NAKs, CNPs and the
/// request→ACK latency percentiles pooled over the links' samples — the same pooling
/// as a link's own, so a port's p99 is the p99 of every request through it.
public struct FabricElementTotals: Sendable, Equatable {
    public var element: FabricElement
    public var links: Int
    /// The links' counts summed (bytes, packets, CE marks, retransmissions, NAKs and
    /// CNPs back to their requesters), for the counters exported per switch.
    public var totals: UnitTotals
    public var wireBytes: Int { totals.wireBytes }
    public var naks: Int { totals.naks }
    public var cnps: Int { totals.cnps }
    /// Values by metric, where the pooled links measure it; for `pfcPausedFraction`,
    /// the most-paused of its ports and priorities over the run's span.
    public var values: [CompareMetric: Double]
    /// PFC pause frames (XOFF) its ports sent, by `FabricTopology.portMACs`.
    public var pfcXoffFrames = 0

    /// Per switch and port of `topology`, switches first, then by name; links whose
    /// hosts the topology does not place are left out. `graph`: the summary's hosts
    /// and links, when another pass numbered them already.
    public static func measure(_ summary: AnalysisSummary, topology: FabricTopology,
                               graph: HostGraph? = nil) -> [FabricElementTotals] {
        var pooled: [FabricElement: (links: Int, totals: PooledTotals)] = [:]
        let paths = FabricTopology.Paths(topology)
        for (scope, totals) in SideUnits.wholeRun(summary, graph: graph) {
            guard let src = scope.source.flatMap(NodeAddress.init(text:)), let dst = scope.destination.flatMap(NodeAddress.init(text:)),
                  totals.requestPackets > 0, let path = paths.path(from: src, to: dst) else { continue }
            for element in Set(path) {
                pooled[element, default: (0, PooledTotals())].links += 1
                pooled[element]!.totals.add(totals)
            }
        }
        // Shares and percentiles pool over links; rates would not (each link has the
        // whole span), so NAKs and CNPs are counts.
        let metrics: [CompareMetric] = [.ackLatencyP50, .ackLatencyP99, .ackLatencyP999, .ceFraction, .retransmittedFraction]
        let resolution = summary.resolutionNs
        // PFC: each frame names the port that sent it. A switch is as paused as its
        // most-paused port (the fabric's figure is the same maximum).
        var paused: [FabricElement: (ns: Int64, xoff: Int)] = [:]
        for pause in summary.pauses {
            guard let attachment = topology.portMACs[pause.key.sourceMAC] else { continue }
            for element in [FabricElement.port(attachment), .switch(attachment.switchName)] {
                paused[element, default: (0, 0)].ns = max(paused[element, default: (0, 0)].ns, pause.counters.timeline.pausedNs)
                paused[element]!.xoff += pause.counters.xoffFrames
            }
        }
        for element in paused.keys where pooled[element] == nil { pooled[element] = (0, PooledTotals()) }
        let span = Double(max(1, Int64.span(from: summary.totals.startNs, to: summary.totals.endNs)))
        let measured = pooled.map { element, entry in
            var values: [CompareMetric: Double] = [:]
            for metric in metrics {
                if let value = metric.value(of: entry.totals, resolutionNs: resolution, scope: .link(source: "", destination: "")) {
                    values[metric] = value
                }
            }
            var xoff = 0
            if let pfc = paused[element] {
                values[.pfcPausedFraction] = min(1, Double(pfc.ns) / span)
                xoff = pfc.xoff
            }
            return FabricElementTotals(element: element, links: entry.links, totals: entry.totals.totals, values: values,
                                       pfcXoffFrames: xoff)
        }
        // Keys made once: an element's name is built text, and comparing built names
        // cost a third of this function at 2,000 ports.
        let keys = measured.map { ($0.element.port == nil ? 0 : 1, $0.element.switchName, $0.element.port ?? "") }
        return measured.indices.sorted { keys[$0] < keys[$1] }.map { measured[$0] }
    }
}
