import ArgumentParser
import FabricIngest
import FabricMetrics
import FabricReport
import FabricStats
import Foundation

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Read captures and report per-flow traffic (one flow = one direction of one queue pair).",
        discussion: """
            Reads pcap and pcapng files (gzip-compressed or not; '-' is standard input). Several files \
            are analysed as one capture, merged by timestamp. Link types: Ethernet (with VLAN tags), \
            Linux SLL/SLL2, raw IP, ERF (ibdump) and InfiniBand (247).
            """)

    @Argument(help: "Capture files to read ('-' for standard input).")
    var files: [String] = []

    @Option(name: .customLong("tap"), help: "A capture of the same traffic at one of two taps (give exactly two).")
    var taps: [String] = []

    @Flag(name: .customLong("tap-sessions"),
          help: "Read the capture's two mirror points (ERSPAN sessions, tunnels) as two taps: the delay between them per flow, e.g. a switch's residence time from its ingress and egress mirrors.")
    var tapSessions = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var input: InputOptions

    @Option(help: "The classes the fabric is configured for, e.g. data-dscp=26,data-pcp=3,cnp-dscp=48,cnp-pcp=6,lossless=3 (any subset): RoCE seen elsewhere fails qos_classes.")
    var qos: String?

    @Option(help: "The fabric behind the links: hosts → switch ports, leaves → spines (JSON, with lldpctl -f json inside if wanted, or ibnetdiscover output; docs/analyze.md). Adds per-switch figures and names the switch or port degraded links share.")
    var topology: String?

    @Flag(help: "Add per-window traffic of every flow (at --window) to the JSON output (-T json).")
    var timeseries = false

    @Option(name: .customLong("timeseries-csv"), help: "Write per-window traffic of every flow to this CSV file.")
    var timeseriesCSV: String?

    @Flag(help: "No progress line on standard error (shown only on a terminal, for work over 2 s).")
    var quiet = false

    @Option(name: .customLong("periods-csv"),
            help: "Write each ring's busy periods (nccl-tests' sizes: bytes per rank, algbw, busbw, slowest link) to this CSV file.")
    var periodsCSV: String?

    @Option(name: .customLong("tap-window"), parsing: .unconditional,
            help: "How long a packet waits to be seen at the other tap.", transform: QuantityArgument.positiveDuration)
    var tapWindow = QuantityArgument(value: 1e9, text: "1s")

    func run() throws {
        let (format, _) = try report.validated(alsoWriting: [("--timeseries-csv", timeseriesCSV), ("--periods-csv", periodsCSV)])
        if timeseries, format != .json {
            throw UsageFailure("--timeseries adds per-window traffic to JSON output; use it with -T json, "
                + "or write the windows with --timeseries-csv FILE")
        }
        if !taps.isEmpty, taps.count != 2 || !files.isEmpty {
            throw UsageFailure("--tap takes exactly two captures of the same traffic, and no other files")
        }
        if taps.isEmpty, files.isEmpty { throw UsageFailure("analyze: give at least one capture file") }
        if tapSessions, !taps.isEmpty { throw UsageFailure("--tap-sessions reads two mirror points of one capture; --tap reads two captures: give one or the other") }
        if let summary = files.first(where: SummaryFile.looksLikeSummary) {
            throw UsageFailure("\(summary) is a summary, not a capture: combine summaries with 'fabricscope merge', "
                + "or render one with 'fabricscope report'")
        }
        // Read before the captures, which can take minutes: a typo fails at once.
        let intent = try qos.map { try QosIntent(parsing: $0) }
        let fabric = try topology.map { path throws(TopologyError) in try FabricTopology.read(path: path) }
        let options = try input.analysisOptions(
            timeSeries: timeseries || timeseriesCSV != nil || report.summaryOut != nil)
        let inputs = files + taps
        let bytes = inputs.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        // A share done where every input's read position is a share of its size;
        // otherwise (a pipe, gzip) what is read and for how long.
        let before = CaptureReader.bytesRead
        var fraction: (@Sendable () -> Double?)?
        if bytes > 0, inputs.allSatisfy(CaptureReader.countsBytesRead) {
            let total = Double(bytes)
            fraction = { Double(CaptureReader.bytesRead - before) / total }
        }
        let heartbeat = Heartbeat("analyze: reading \(inputs.count) capture(s), \(Units.bytes(bytes))", quiet: quiet,
                                  fraction: fraction)
        defer { heartbeat.stop() }
        let summary: AnalysisSummary
        var comparison: TapComparison?
        var tapNames = taps
        if tapSessions {
            let sessions: TapComparison
            (summary, sessions, tapNames) = try Analysis(options).run(tapSessionsOf: files, tapWindowNs: tapWindow.ns)
            guard tapNames.count == 2 else {
                throw UsageFailure("--tap-sessions: \(files.joined(separator: ", ")) holds \(tapNames.count) mirror point(s) "
                    + "carrying RoCE; two are needed (an ERSPAN, GRE or VXLAN session each)")
            }
            comparison = sessions
        } else if taps.isEmpty {
            summary = try Analysis(options).run(files)
        } else {
            (summary, comparison) = try Analysis(options).run(taps: taps, tapWindowNs: tapWindow.ns)
        }
        heartbeat.stop()
        // The per-window CSV needs every flow's entry; a report written only as JSON
        // makes them as it writes them.
        var document = AnalysisDocument(summary: summary, listingFirst: timeseriesCSV == nil ? report.listedFlows : nil,
                                        qos: intent, topology: fabric,
                                        entriesWhenWritten: timeseriesCSV == nil && report.writesEntriesAsJSON)
        if let comparison {
            document.taps = AnalysisDocument.TapsSection(comparison, files: tapNames, resolutionNs: summary.resolutionNs)
            if tapSessions {
                document.taps?.notes.append("Both mirror points' copies are stamped by the one collector: the delay is "
                    + "the difference of their arrivals there, which is the time between the two points when both "
                    + "copies travel the same path to the collector (a switch's residence time, for its ingress and "
                    + "egress mirrors).")
            }
        }
        // The table on standard output ends with the same warnings: said once there.
        // JSON, CSV or a file also tell standard error, where a script's reader looks.
        if report.format != .table || report.output != nil {
            for warning in document.capture.warnings {
                FileHandle.standardError.write(Data(("fabricscope: warning: " + warning + "\n").utf8))
            }
        }
        if let timeseriesCSV {
            try OutputFile(path: timeseriesCSV, force: report.force).write(document.timeSeriesCSV())
        }
        if let periodsCSV {
            try OutputFile(path: periodsCSV, force: report.force).write(document.periodsCSV())
        }
        if !timeseries { document.removeTimeSeries() }
        ProcessEnd.keep(summary)
        ProcessEnd.keep(document)
        try report.write(document, summary: summary)
    }
}
