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

    @Option(help: "Throughput window of the plots, e.g. 100us, 1ms.") var window = "100us"

    @Option(name: .customLong("link-speed"), help: "Link speed for PFC pause time.") var linkSpeed = "400Gbps"

    @Flag(help: "Replace the output files if they exist.") var force = false

    func run() throws {
        let markdownPath = markdown ?? (output.hasSuffix(".html") ? String(output.dropLast(5)) : output) + ".md"
        for path in [output, markdownPath] { try OutputFile.refuseOverwrite(path, force: force) }
        guard let windowNs = Quantity.durationNs(window), windowNs > 0 else { throw UsageFailure("--window: cannot read '\(window)'") }
        guard let linkBps = Quantity.bitsPerSecond(linkSpeed), linkBps > 0 else { throw UsageFailure("--link-speed: cannot read '\(linkSpeed)'") }
        let summary: AnalysisSummary
        if inputs.count == 1, inputs[0].hasSuffix(".json") {
            do { summary = try AnalysisSummary.read(path: inputs[0]) } catch { throw UsageFailure(error.description) }
        } else {
            let reader = try CaptureReader(paths: inputs)
            var accumulator = TrafficAccumulator(windowNs: windowNs, linkBitsPerSecond: linkBps, timeSeries: true)
            try reader.forEach { accumulator.add($0) }
            accumulator.finish()
            summary = AnalysisSummary(accumulator: accumulator, files: reader.files)
        }
        let report = HTMLReport(summary: summary, document: AnalysisDocument(summary: summary))
        try OutputFile(path: output, force: force).write(report.html())
        try OutputFile(path: markdownPath, force: force).write(report.markdown())
        FileHandle.standardError.write(Data("wrote \(output) and \(markdownPath)\n".utf8))
    }
}
