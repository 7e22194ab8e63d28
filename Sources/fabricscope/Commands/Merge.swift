import ArgumentParser
import FabricReport
import FabricStats
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine summaries written by 'analyze --summary-out' into one report.",
        discussion: """
            For fleets: analyse one capture per job or node (a Slurm array, a Kubernetes indexed job), \
            save each summary, then merge. Counters add, latency histograms add bucket by bucket and \
            per-window traffic adds window by window, so merging summaries of different flows gives \
            exactly the report of analysing all captures together.
            """)

    @Argument(help: "Summary files ('-' for standard input).")
    var summaries: [String]

    @Option(name: [.customShort("T"), .long], help: "Output format: table, json or csv.")
    var format: String = "table"

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("summary-out"), help: "Also save the merged summary to this file.")
    var summaryOut: String?

    @Flag(help: "Replace output files that exist.")
    var force = false

    @Option(help: "Show at most this many flows in the table.")
    var top: Int?

    @Option(help: "Table order: bytes, packets, p99, retx, naks.")
    var sort: String = "bytes"

    func run() throws {
        guard let outputFormat = OutputFormat(rawValue: format) else {
            throw UsageFailure("--format must be one of table, json, csv (got '\(format)')")
        }
        guard let order = AnalysisDocument.FlowOrder(rawValue: sort) else {
            throw UsageFailure("--sort must be one of bytes, packets, p99, retx, naks (got '\(sort)')")
        }
        guard !summaries.isEmpty else { throw UsageFailure("merge: give at least one summary file") }
        if let output { try OutputFile.refuseOverwrite(output, force: force) }
        if let summaryOut { try OutputFile.refuseOverwrite(summaryOut, force: force) }
        var merged: AnalysisSummary?
        for path in summaries {
            let summary: AnalysisSummary
            do { summary = try AnalysisSummary.read(path: path) } catch { throw UsageFailure(error.description) }
            if merged == nil {
                merged = summary
            } else {
                do { try merged!.merge(summary) } catch { throw UsageFailure("\(path): \(error.description)") }
            }
        }
        guard let merged else { return }
        if let summaryOut { try OutputFile(path: summaryOut, force: force).write(try merged.jsonText()) }
        var document = AnalysisDocument(summary: merged)
        for index in document.flows.indices { document.flows[index].timeseries = nil }
        let destination = OutputFile(path: output, force: force)
        switch outputFormat {
        case .table: try destination.write(document.tableText(limit: top, order: order))
        case .json: try destination.write(document.jsonText())
        case .csv: try destination.write(document.csvText())
        }
    }
}
