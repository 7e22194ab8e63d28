import FabricSynth
import ArgumentParser
import FabricReport
import FabricStats

/// How a report is printed and where it and its summary go; shared by `analyze`
/// and `merge`, which print the same report.
struct ReportOptions: ParsableArguments {
    @Option(name: [.customShort("T"), .long], help: "Output format (-T as in tshark).")
    var format: OutputFormat = .table

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("summary-out"), help: "Also save a mergeable summary (JSON) to this file.")
    var summaryOut: String?

    @Flag(help: "Replace output files that exist.")
    var force = false

    @Option(parsing: .unconditional, help: "Show at most this many flows (in every format), and in JSON this many ECMP host pairs and QoS hosts; totals and findings cover all.")
    var top: Int?

    @Option(help: "Flow order, worst or largest first: bytes, packets, p99 (ACK latency), retx (retransmitted packets), naks.")
    var sort: AnalysisDocument.FlowOrder = .bytes

    /// How many flows the report needs entries for: with `--top`, JSON and CSV
    /// sorted by bytes list only the largest (`AnalysisDocument(summary:listingFirst:)`);
    /// nil (every flow) for the table, whose totals need them all, and other orders.
    var listedFlows: Int? { format != .table && sort == .bytes ? top : nil }

    /// Whether the flows' entries are needed only for the JSON report, in the order
    /// of bytes, so they can be made as it is written (`AnalysisDocument.DeferredEntries`).
    var writesEntriesAsJSON: Bool { format == .json && sort == .bytes }

    /// Checks the options and that no file would be silently replaced, before any work.
    /// Option checks before any work (ArgumentParser calls this after parsing).
    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1 (got \(top))") }
    }

    func validated(alsoWriting extra: [(option: String, path: String?)] = []) throws -> (OutputFormat, AnalysisDocument.FlowOrder) {
        try OutputFile.checkOutputs([("-o", output), ("--summary-out", summaryOut)] + extra, force: force)
        return (format, sort)
    }

    /// Writes the summary (if asked for) and the report.
    func write(_ document: AnalysisDocument, summary: AnalysisSummary) throws {
        let (outputFormat, order) = try validated()
        if let summaryOut { try OutputFile(path: summaryOut, force: force).write(summary.writeJSON) }
        let destination = OutputFile(path: output, force: force)
        switch outputFormat {
        case .table: try destination.write(document.tableText(limit: top, order: order))
        case .json: try destination.write(document.keepingFirst(top, flowsOrderedBy: order).writeJSON)
        case .csv: try destination.write(document.keepingFirst(top, flowsOrderedBy: order).csvText())
        }
    }
}
