import FabricModels
import ArgumentParser
import FabricIngest
import FabricReport
import FabricStats
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (and a Markdown version) of captures or a summary.",
        discussion: """
            Summary and verdicts first, then the flows, latency percentiles and CDF, throughput and \
            congestion over time, PFC, and the collective model with the straggler. The page has no \
            scripts and fetches nothing.
            """)

    @Argument(help: "Capture files, or one summary written by 'analyze --summary-out'.")
    var inputs: [String]

    @Option(name: [.short, .long], help: "The HTML file to write.") var output = "fabricscope-report.html"

    @Option(help: "The Markdown file to write (default: the HTML name with .md).") var markdown: String?

    @OptionGroup var input: InputOptions

    @Option(help: "The fabric behind the links (docs/analyze.md): a table of switches, and the switch or port degraded links share.")
    var topology: String?

    @Flag(help: "Replace the output files if they exist.") var force = false

    func run() throws {
        // A device or pipe as -o (`/dev/null`, `/dev/stdout`) has no name to derive the
        // Markdown file from: then only an explicit --markdown writes one.
        let markdownPath = markdown ?? (OutputFile.isSpecialFile(output) ? nil
            : (output.hasSuffix(".html") ? String(output.dropLast(5)) : output) + ".md")
        try OutputFile.checkOutputs([("-o", output), ("--markdown", markdownPath)], force: force)
        let fabric = try topology.map { path throws(TopologyError) in try FabricTopology.read(path: path) }
        let summary = try input.summary(of: inputs, timeSeries: true)
        ProcessEnd.keep(summary)
        let report = HTMLReport(summary: summary, document: AnalysisDocument(summary: summary, topology: fabric))
        try OutputFile(path: output, force: force).write(report.html())
        if let markdownPath { try OutputFile(path: markdownPath, force: force).write(report.markdown()) }
        FileHandle.standardError.write(Data("wrote \(output)\(markdownPath.map { " and " + $0 } ?? "")\n".utf8))
    }
}
