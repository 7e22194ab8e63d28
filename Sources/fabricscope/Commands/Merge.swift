import FabricModels
import ArgumentParser
import FabricReport
import FabricStats
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine summaries written by 'analyze --summary-out' into one report.",
        discussion: """
            For fleets: analyse one capture per job or node (a Slurm array, a Kubernetes indexed job), \
            save each summary, then merge. Counters add, latency histograms add bucket by bucket and \
            per-window traffic adds window by window, so merging summaries of different flows gives \
            exactly the report of analysing all captures together.
            """)

    @Argument(help: "Summary files ('-' for standard input).")
    var summaries: [String]

    @OptionGroup var report: ReportOptions

    @Option(help: "The fabric behind the links (docs/analyze.md): per-switch figures and the switch or port degraded links share.")
    var topology: String?

    @Flag(name: .customLong("allow-overlap"),
          help: "Add flows that two summaries hold over the same time (normally refused: they would be counted twice).")
    var allowOverlap = false

    func run() throws {
        _ = try report.validated()
        guard !summaries.isEmpty else { throw UsageFailure("merge: give at least one summary file") }
        let fabric = try topology.map { path throws(TopologyError) in try FabricTopology.read(path: path) }
        let merged = try SummaryMerger.merge(files: summaries) { path, overlap in
            guard !allowOverlap else { return }
            let example = overlap[0]
            throw UsageFailure("\(path): \(overlap.count) flow(s) are also in an earlier summary over the same time "
                + "(e.g. \(example.source) → \(example.destination) QP 0x\(String(example.destQP, radix: 16))): "
                + "two runs or configurations of the same job, or one flow captured at both ends. Merging would "
                + "count them twice (rates above the link speed); compare the runs side by side instead, or pass "
                + "--allow-overlap to add them anyway")
        }
        var document = AnalysisDocument(summary: merged, listingFirst: report.listedFlows, topology: fabric,
                                        entriesWhenWritten: report.writesEntriesAsJSON)
        document.removeTimeSeries()
        ProcessEnd.keep(merged)
        ProcessEnd.keep(document)
        try report.write(document, summary: merged)
    }
}
