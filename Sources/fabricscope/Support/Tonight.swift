import FabricCompare
import FabricHistory
import FabricStats

/// A run just added to the history, with what it was stored from: the merged
/// summary and its metrics, which `nightly` judges without reading them back.
struct Tonight {
    let record: RunRecord
    let summary: AnalysisSummary
    let metrics: RunMetrics
}
