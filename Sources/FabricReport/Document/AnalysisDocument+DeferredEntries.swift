import FabricStats

extension AnalysisDocument {
    /// A report's flow entries, made only as its JSON is written (on all cores, a
    /// slice at a time, by `LazyConcurrentJSONArray`) rather than held in `flows`.
    ///
    /// Why: in a JSON report the entries exist only to be written. At 10⁵ flows they
    /// were 100 MB, written once into fresh memory and read back for the text; made
    /// as they are written, each is still in the cache when its text is made. Each
    /// entry is the one `flows` would hold: the same initializer, the same flow.
    public struct DeferredEntries: Sendable, Equatable {
        let summary: AnalysisSummary
        /// The listed flows, as indices into the summary's, in the report's order.
        var order: [Int]
        let resolutionNs: Double
        /// Whether entries keep their flow's windows (`removeTimeSeries()`).
        var keepsTimeSeries = true

        var count: Int { order.count }

        /// The entry at `position` of the report's list.
        func entry(_ position: Int) -> FlowEntry {
            var entry = FlowEntry(summary.flows[order[position]], resolutionNs: resolutionNs)
            if !keepsTimeSeries { entry.timeseries = nil }
            return entry
        }

        /// Every listed entry, made now.
        public var entries: [FlowEntry] { (0..<count).map(entry) }
    }

    /// The same document without the flows' windows (a report that was not asked for
    /// `--timeseries` but read them for another output).
    public mutating func removeTimeSeries() {
        if deferredEntries != nil {
            deferredEntries!.keepsTimeSeries = false
        } else {
            for index in flows.indices where flows[index].timeseries != nil { flows[index].timeseries = nil }
        }
    }
}
