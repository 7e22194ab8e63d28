import Foundation
import FabricConcurrency
import ArgumentParser
import FabricCompare
import FabricReport
import FabricStats

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two fabric configurations: is the candidate better, worse or the same as the baseline?",
        discussion: """
            Each side is a capture (any input 'analyze' reads) or a summary from 'analyze --summary-out'. \
            Flows are matched by link (source host → destination host, all queue pairs together), never by QP \
            number. One run a side: its time blocks are the units of replication; several runs a side \
            (--baseline A1 --baseline A2 …): the runs are. A change counts when it is significant after \
            Benjamini–Hochberg at --alpha and at least --min-effect. Method: docs/compare.md.
            Exit status: 0; 1 with --fail-on-regression when the verdict is regression, mixed or not_comparable \
            (no link carries requests on both sides); 2 for bad input.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, markdown
    }

    @Argument(help: "BASELINE CANDIDATE: one capture or summary each (or use --baseline/--candidate).")
    var sides: [String] = []

    @Option(name: .customLong("baseline"), help: "A baseline run (repeatable: each file is one run).")
    var baselineRuns: [String] = []

    @Option(name: .customLong("candidate"), help: "A candidate run (repeatable: each file is one run).")
    var candidateRuns: [String] = []

    @OptionGroup var input: InputOptions

    @Option(name: [.customShort("T"), .long], help: "Output format.")
    var format: Format = .table

    @Option(name: [.short, .long], help: "Write the comparison to this file instead of standard output.")
    var output: String?

    @Option(help: "The fabric behind the links (docs/analyze.md): names the switch or port the links that got worse share.")
    var topology: String?

    @Option(help: "Also write a self-contained HTML page with the two sides' plots.")
    var html: String?

    @Flag(help: "Replace output files that exist.")
    var force = false

    @Option(help: "Significance level after Benjamini–Hochberg over every test (default 0.01).")
    var alpha = 0.01

    @Option(name: .customLong("min-effect"), help: "Smallest relative change that counts, e.g. 5% or 0.05 (default 5%).")
    var minEffect = "5%"

    @Option(help: "Time blocks a single run is cut into (units of replication; default 24).")
    var blocks = 24

    @Flag(help: "Show every unchanged row in the table (default: the 20 largest).")
    var all = false

    @Flag(name: .customLong("fail-on-regression"), help: "Exit with status 1 when the verdict is regression, mixed or not_comparable.")
    var failOnRegression = false

    /// Option checks before any work (ArgumentParser calls this after parsing).
    func validate() throws { _ = try validatedOptions() }

    func validatedOptions() throws -> CompareOptions {
        var options = CompareOptions()
        guard alpha > 0, alpha < 0.5 else { throw ValidationError("--alpha must be between 0 and 0.5 (got \(alpha))") }
        options.alpha = alpha
        let text = minEffect.trimmingCharacters(in: .whitespaces)
        let percent = text.hasSuffix("%")
        guard let number = Double(percent ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text),
              number.isFinite, number >= 0 else {
            throw ValidationError("--min-effect: expected a share such as 5% or 0.05 (got '\(minEffect)')")
        }
        options.minEffect = percent ? number / 100 : number
        guard options.minEffect < 10 else { throw ValidationError("--min-effect must be under 1000% (got \(minEffect))") }
        guard (2...1000).contains(blocks) else { throw ValidationError("--blocks must be 2–1000 (got \(blocks))") }
        options.blocks = blocks
        return options
    }

    func run() throws {
        let options = try validatedOptions()
        let (baselineFiles, candidateFiles) = try inputs()
        try OutputFile.checkOutputs([("-o", output), ("--html", html)], force: force)
        let fabric = try topology.map { path throws(TopologyError) in try FabricTopology.read(path: path) }
        // The sides' files are independent: read them on all cores. (A BPF filter is
        // compiled by libpcap, whose compiler is not reentrant before 1.8: one at a time.)
        let files = baselineFiles + candidateFiles, input = self.input
        let summaries = input.filter == nil
            ? try ParallelMap.map(files.count) { try input.summary(of: [files[$0]], timeSeries: true) }
            : try files.map { try input.summary(of: [$0], timeSeries: true) }
        let baseline = Array(summaries.prefix(baselineFiles.count)), candidate = Array(summaries.dropFirst(baselineFiles.count))
        var comparison = try Comparison(baseline: baseline, baselineFiles: baselineFiles,
                                        candidate: candidate, candidateFiles: candidateFiles, options: options)
        if let fabric { comparison.attribute(to: fabric) }
        let text: String
        switch format {
        case .table: text = comparison.tableText(unchanged: all ? nil : 20)
        case .json: text = try comparison.jsonText()
        case .markdown: text = comparison.markdownText()
        }
        try OutputFile(path: output, force: force).write(text)
        if let html {
            try OutputFile(path: html, force: force).write(
                ComparisonHTML(comparison: comparison, baseline: baseline, candidate: candidate).html())
        }
        if failOnRegression, [.regression, .mixed, .notComparable].contains(comparison.verdict) {
            throw ExitCode(1)
        }
    }

    /// The files of each side, from the two arguments or the repeated options.
    func inputs() throws -> ([String], [String]) {
        if !sides.isEmpty {
            guard sides.count == 2, baselineRuns.isEmpty, candidateRuns.isEmpty else {
                throw UsageFailure(sides.count == 2
                    ? "give the sides either as BASELINE CANDIDATE or with --baseline/--candidate, not both"
                    : "compare takes two inputs, BASELINE CANDIDATE (got \(sides.count)); for several runs a side use "
                        + "--baseline A1 --baseline A2 --candidate B1 …")
            }
            return ([sides[0]], [sides[1]])
        }
        guard !baselineRuns.isEmpty, !candidateRuns.isEmpty else {
            throw UsageFailure("compare needs a baseline and a candidate: 'fabricscope compare A.pcap B.pcap', or "
                + "--baseline FILE… --candidate FILE…")
        }
        return (baselineRuns, candidateRuns)
    }
}
