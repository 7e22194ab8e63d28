import FabricCompare
import FabricStats

/// A run in the history with what it was stored from: the merged summary and its
/// metrics, which `nightly` judges right after adding it, without reading them back.
public struct StoredRun: Sendable {
    public let record: RunRecord
    public let summary: AnalysisSummary
    public let metrics: RunMetrics

    public init(record: RunRecord, summary: AnalysisSummary, metrics: RunMetrics) {
        self.record = record
        self.summary = summary
        self.metrics = metrics
    }
}

extension RunHistory {
    /// Measures a run's metrics and stores it (see `add`); an existing label is
    /// refused unless `replace`. `text`: the summary's JSON as it was read, stored as it is.
    public func store(
        label: String, summary: AnalysisSummary, text: String? = nil, files: [String], tags: [String: String],
        replace: Bool
    ) throws -> StoredRun {
        if !replace { try refuseExisting(label: label) }
        let metrics = try RunMetrics(summary: summary)
        let record = try add(label: label, summary: summary, text: text, metrics: metrics, files: files, tags: tags,
                             replace: replace)
        return StoredRun(record: record, summary: summary, metrics: metrics)
    }
}

extension RunHistory {
    /// Refuses a label the history already has (before any input is read).
    public func refuseExisting(label: String) throws(HistoryError) {
        if try runs().contains(where: { $0.label == label }) {
            throw HistoryError("\(path): a run labelled '\(label)' exists; give another --label, or replace it (nightly --replace, history add --force)")
        }
    }
}
