import FabricStats

/// One run's inputs as one summary with per-window data: captures analysed
/// together, or summaries (one per node of a fan-out) merged; not both.
enum RunInputs {
    /// The run's summary, and the text of the one summary file given (nil for captures
    /// or several summaries), which the history stores as it is instead of encoding again.
    static func summaryWithText(of paths: [String], input: InputOptions) throws -> (summary: AnalysisSummary, text: String?) {
        guard !paths.isEmpty else { throw UsageFailure("give the run's captures or summaries") }
        let summaries = paths.filter(SummaryFile.looksLikeSummary)
        if paths.count == 1, summaries.count == 1 { return try input.summaryWithText(of: paths[0]) }
        if summaries.isEmpty { return (try input.summary(of: paths, timeSeries: true), nil) }
        guard summaries.count == paths.count else {
            throw UsageFailure("\(summaries[0]) is a summary: give either captures or summaries, not both")
        }
        let given = input.captureOnlyOptionsGiven
        if !given.isEmpty {
            throw UsageFailure("\(given.joined(separator: ", ")) shape how captures are read; summaries were already read")
        }
        return (try SummaryMerger.merge(files: paths) { path, overlap in
            throw UsageFailure("\(path): \(overlap.count) flow(s) are also in an earlier summary over the same time "
                + "(e.g. \(overlap[0].source) → \(overlap[0].destination)): one run's summaries must hold different flows")
        }, nil)
    }
}
