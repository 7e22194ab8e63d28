import FabricStats

/// Link parameters and jitter estimated from measured flows, and how.
public struct LinkEstimate: Sendable {
    public var link: LinkParameters
    public var jitter: JitterDistribution
    /// How each number was obtained, for the output.
    public var method: [String]
    public var latencySamples: Int
    public var flowsUsed: Int

    /// From a summary: α̂ = 5th percentile of request→ACK latency over all flows;
    /// B̂ = the rate within messages (mean packet size ÷ median gap between a
    /// message's packets), median over flows — or, when timestamps are too coarse to
    /// see those gaps, the median of the flows' peak window throughput; jitter = the
    /// pooled latency distribution minus its minimum.
    public init?(summary: AnalysisSummary) {
        var pooled = Distribution()
        var inMessage: [Double] = [], peaks: [Double] = []
        let resolution = summary.resolutionNs
        for flow in summary.flows {
            guard let requester = flow.requester, requester.goodputBytes > 0 else { continue }
            pooled.merge(requester.ackLatency)
            peaks.append(flow.counters.throughput.peakBitsPerSecond)
            if let rate = flow.inMessageBitsPerSecond(resolutionNs: resolution) { inMessage.append(rate) }
        }
        guard !pooled.isEmpty, !peaks.isEmpty, let jitter = JitterDistribution(latencies: pooled) else { return nil }
        let rates = inMessage.isEmpty ? peaks.sorted() : inMessage.sorted()
        let bitsPerSecond = rates[(rates.count - 1) / 2]
        link = LinkParameters(latencyNs: Double(pooled.value(atPercentile: 5)), bytesPerSecond: bitsPerSecond / 8)
        self.jitter = jitter
        latencySamples = pooled.count
        flowsUsed = rates.count
        let bandwidthMethod = inMessage.isEmpty
            ? "B = median over \(peaks.count) flows carrying requests of their peak wire throughput in "
                + "\(summary.windowNs) ns windows (the timestamps are too coarse to time packets within a "
                + "message); bursty flows make this an underestimate."
            : "B = median over \(inMessage.count) flows of their rate within messages: mean packet size ÷ "
                + "median gap between consecutive packets of a message (preamble and inter-frame gap not counted)."
        method = [
            "α = 5th percentile of request→ACK latency at the tap over \(pooled.count) samples: a round trip "
                + "through the responder, so an upper bound on the per-message latency.",
            bandwidthMethod,
            "Jitter = the pooled request→ACK latency distribution minus its minimum, drawn independently per "
                + "message (correlated congestion across flows is not modelled).",
        ]
    }
}
