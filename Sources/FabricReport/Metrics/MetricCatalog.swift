import FabricMetrics

/// Every per-flow metric, in the catalog's order (`Metrics.flow`), with how each is
/// read from a flow entry of the document.
public enum MetricCatalog {
    public static let flow: [Metric] = Metrics.flow.map { Metric(definition: $0, value: reader($0)) }

    /// Table columns, left to right (after SRC, DST, QP).
    public static let tableOrder: [Metric] = Metrics.tableOrder.compactMap { named($0.name) }

    public static func named(_ name: String) -> Metric? { byName[name] }

    private static let byName: [String: Metric] = Dictionary(flow.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// The code that computes each flow metric from the document; its name, unit and
    /// place in every output are the definition's.
    private static func reader(_ metric: MetricDefinition) -> @Sendable (AnalysisDocument.FlowEntry) -> Double? {
        switch metric {
        case Metrics.packets: { Double($0.packets) }
        case Metrics.wireBytes: { Double($0.wireBytes) }
        case Metrics.payloadBytes: { Double($0.payloadBytes) }
        case Metrics.startTime: { Double($0.startNs) }
        case Metrics.endTime: { Double($0.endNs) }
        case Metrics.throughputMean: { $0.throughputBps.mean }
        case Metrics.throughputPeak: { $0.throughputBps.peak }
        case Metrics.window: { Double($0.throughputBps.windowNs) }
        case Metrics.goodput: { $0.requester?.goodputBps }
        case Metrics.goodputBytes: { $0.requester.map { Double($0.goodputBytes) } }
        case Metrics.acks: { Double($0.acks) }
        case Metrics.naks: { Double($0.naks.values.reduce(0, +)) }
        case Metrics.retransmittedPackets: { $0.requester.map { Double($0.retransmittedPackets) } }
        case Metrics.retransmittedBytes: { $0.requester.map { Double($0.retransmittedBytes) } }
        case Metrics.retransmissionEpisodes: { $0.requester.map { Double($0.retransmissionEpisodeCount) } }
        case Metrics.psnGapEvents: { $0.requester.map { Double($0.psnGaps.events) } }
        case Metrics.missingPSNs: { $0.requester.map { Double($0.psnGaps.missingPSNs) } }
        case Metrics.captureLostPSNs: { $0.requester.map { Double($0.psnGaps.captureLostPSNs) } }
        case Metrics.cmReconnections: { $0.requester?.cmReconnections.map(Double.init) }
        case Metrics.mirrorDuplicates: { $0.requester.map { Double($0.mirrorDuplicates) } }
        case Metrics.ambiguousSamples: { $0.requester.map { Double($0.ambiguousSamples) } }
        case Metrics.unmatchedResponses: { $0.requester.map { Double($0.unmatchedResponses) } }
        case Metrics.unacknowledgedDropped: { $0.requester.map { Double($0.unacknowledgedDropped) } }
        case Metrics.truncatedHeaders: { Double($0.truncatedHeaders) }
        case Metrics.ackLatencyP50: { $0.ackLatencyNs.map { Double($0.p50) } }
        case Metrics.ackLatencyP99: { $0.ackLatencyNs.map { Double($0.p99) } }
        case Metrics.ackLatencyP999: { $0.ackLatencyNs.map { Double($0.p999) } }
        case Metrics.readLatencyP50: { $0.readLatencyNs.map { Double($0.p50) } }
        case Metrics.readLatencyP99: { $0.readLatencyNs.map { Double($0.p99) } }
        case Metrics.readCompletionP99: { $0.readCompletionNs.map { Double($0.p99) } }
        case Metrics.atomicLatencyP99: { $0.atomicLatencyNs.map { Double($0.p99) } }
        case Metrics.gapP50: { $0.gapNs.map { Double($0.p50) } }
        case Metrics.jitterPDVP99: { $0.jitterNs.map { Double($0.pdvP99) } }
        case Metrics.jitterRFC3550: { $0.jitterNs?.rfc3550 }
        case Metrics.cnpPackets: { Double($0.cnpPackets) }
        case Metrics.ectPackets: { Double($0.ecn.ectPackets) }
        case Metrics.cePackets: { Double($0.ecn.cePackets) }
        case Metrics.ceFraction: { $0.ecn.ceFraction }
        case Metrics.fecnPackets: { Double($0.fecnPackets) }
        case Metrics.becnPackets: { Double($0.becnPackets) }
        case Metrics.cnpRate: { $0.cnp?.ratePerSecond }
        case Metrics.ecnToCnpP50: { $0.cnp?.ecnToCnpNs.map { Double($0.p50) } }
        case Metrics.cnpMinGap: { $0.cnp?.minGapNs.map(Double.init) }
        default: preconditionFailure("\(metric.name) has a flow column in Metrics but no reader here")
        }
    }
}
