import FabricConcurrency
import FabricWire
import Foundation

extension SummaryMerger {
    /// Summaries decoded at once: enough to keep every core busy.
    public static var batchSize: Int { max(4, 4 * ProcessInfo.processInfo.activeProcessorCount) }

    /// Summary files (one per node of a fan-out) read and merged into one, in the
    /// order given. They are decoded in parallel a batch at a time, and each batch is
    /// merged before the next is read, so memory holds the merged result and one
    /// batch, not every input at once. `overlapping` decides what flows held twice over
    /// the same time mean: it gets the file and the flows, and throws to refuse them.
    public static func merge(
        files paths: [String], overlapping: (String, [FlowKey]) throws -> Void
    ) throws -> AnalysisSummary {
        var merger = SummaryMerger()
        var start = 0
        while start < paths.count {
            let batch = Array(paths[start..<min(paths.count, start + batchSize)])
            let summaries = try ParallelMap.map(batch.count) { index throws(SummaryReadError) -> AnalysisSummary in
                try AnalysisSummary.read(path: batch[index])
            }
            for (path, summary) in zip(batch, summaries) {
                do {
                    if let merged = merger.merged { try merged.checkSettings(against: summary) }
                    let overlap = merger.overlappingFlows(with: summary)
                    if !overlap.isEmpty { try overlapping(path, overlap) }
                    try merger.add(summary)
                } catch let error as SummaryMergeError {
                    throw SummaryMergeError(description: "\(path): \(error.description)")
                }
            }
            start += batch.count
        }
        guard let merged = merger.merged else { throw SummaryMergeError(description: "give at least one summary file") }
        return merged
    }
}
