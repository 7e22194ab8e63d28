import FabricIngest

/// Merges many summaries into one, in order, keeping its indexes of flows and PFC
/// sources between additions: adding a summary costs what that summary holds, not
/// what has been merged so far (merging summaries one by one into a growing result
/// rebuilt those indexes every time, quadratic over a fleet of thousands).
public struct SummaryMerger: Sendable {
    public private(set) var merged: AnalysisSummary?
    private var flowIndex: [FlowKey: Int] = [:]
    private var pauseIndex: [PauseKey: Int] = [:]
    /// Whether the indexes hold `merged`'s flows and sources. They are built when a
    /// second summary comes: `merge` of one summary (a node's, or a fleet's already
    /// merged one) needs none, and indexing 10⁵ flows for nothing was 2 % of its time.
    private var indexed = false

    public init() {}

    /// Flows of `summary` that the merged result already holds over overlapping time
    /// (see `AnalysisSummary.overlappingFlows`).
    public mutating func overlappingFlows(with summary: AnalysisSummary) -> [FlowKey] {
        guard let merged else { return [] }
        indexIfNeeded()
        return summary.flows.indices.compactMap { index in
            let flow = summary.flows[index].key, theirs = summary.flows[index].counters
            guard let existing = flowIndex[flow] else { return nil }
            let counters = merged.flows[existing].counters
            return theirs.startNs <= counters.endNs && counters.startNs <= theirs.endNs ? flow : nil
        }
    }

    /// Indexes the merged flows and PFC sources by key, by position (a loop over the
    /// flows themselves copied each one whole).
    private mutating func indexIfNeeded() {
        guard !indexed, let merged else { return }
        indexed = true
        flowIndex = [:]
        flowIndex.reserveCapacity(merged.flows.count)
        for index in merged.flows.indices where flowIndex[merged.flows[index].key] == nil {
            flowIndex[merged.flows[index].key] = index
        }
        pauseIndex = [:]
        for index in merged.pauses.indices where pauseIndex[merged.pauses[index].key] == nil {
            pauseIndex[merged.pauses[index].key] = index
        }
    }

    /// Adds `summary` (see `AnalysisSummary.merge` for what adds exactly).
    public mutating func add(_ summary: AnalysisSummary) throws(SummaryMergeError) {
        indexIfNeeded()
        guard var result = merged else {
            merged = summary
            return
        }
        merged = nil  // keeps `result` uniquely referenced while it grows
        defer { merged = result }
        try result.checkSettings(against: summary)
        result.idleGapNs = max(result.idleGapNs, summary.idleGapNs)
        result.files += summary.files
        result.totals.merge(summary.totals)
        result.unpairedResponses += summary.unpairedResponses
        result.connectionsFromCM += summary.connectionsFromCM
        for flow in summary.flows {
            if let existing = flowIndex[flow.key] {
                result.flows[existing].merge(flow)
            } else {
                flowIndex[flow.key] = result.flows.count
                result.flows.append(flow)
            }
        }
        var newPauses = false
        for pause in summary.pauses {
            if let existing = pauseIndex[pause.key] {
                result.pauses[existing].counters.merge(pause.counters)
                if var series = result.pauses[existing].timeSeries, let theirs = pause.timeSeries {
                    result.pauses[existing].timeSeries = nil
                    series.merge(theirs)
                    result.pauses[existing].timeSeries = series
                } else if result.pauses[existing].timeSeries == nil {
                    result.pauses[existing].timeSeries = pause.timeSeries
                }
            } else {
                pauseIndex[pause.key] = result.pauses.count
                result.pauses.append(pause)
                newPauses = true
            }
        }
        if newPauses {
            result.pauses.sort { $0.key < $1.key }
            pauseIndex = Dictionary(uniqueKeysWithValues: result.pauses.enumerated().map { ($1.key, $0) })
        }
        if var series = result.pauseTimeSeries, let theirs = summary.pauseTimeSeries {
            result.pauseTimeSeries = nil
            series.merge(theirs)
            result.pauseTimeSeries = series
        } else {
            result.pauseTimeSeries = result.pauseTimeSeries ?? summary.pauseTimeSeries
        }
    }
}
