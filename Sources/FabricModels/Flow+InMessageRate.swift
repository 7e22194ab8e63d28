import FabricStats

extension AnalysisSummary.Flow {
    /// The rate within messages: mean request size ÷ median gap between consecutive
    /// packets of one message — what the link carries while the flow is sending,
    /// whatever the pauses between messages. Nil with fewer than 10 gaps, or gaps
    /// under 10 timestamp ticks (they cannot be timed). The size is the requests'
    /// own (`meanRequestWireBytes`): ACKs riding in the flow would shrink it and make
    /// a healthy link look slow.
    public func inMessageBitsPerSecond(resolutionNs: Double) -> Double? {
        guard let requester, requester.gaps.count >= 10, let size = meanRequestWireBytes else { return nil }
        let gap = Double(requester.gaps.value(atPercentile: 50))
        guard gap >= 10 * resolutionNs else { return nil }
        return size * 8e9 / gap
    }
}
