import ArgumentParser
import FabricIngest
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

    @Option(name: .customLong("tap-window"), help: "How long a packet waits to be seen at the other tap.")
    var tapWindow: String = "1s"

    @OptionGroup var report: ReportOptions

    @Option(name: [.customShort("f"), .long], help: "tcpdump/BPF filter expression applied through libpcap.")
    var filter: String?

    @Option(name: .customLong("roce-port"), help: "UDP destination port carrying RoCEv2 (repeatable; default 4791).")
    var rocePorts: [Int] = []

    @Option(name: .customLong("link-speed"), help: "Link speed for PFC pause time, e.g. 400Gbps, 100G.")
    var linkSpeed: String = "400Gbps"

    @Option(help: "Throughput window for peak rates, e.g. 100us, 1ms.")
    var window: String = "100us"

    @Option(name: .customLong("storm-threshold"), help: "Continuous PFC pause that counts as a storm.")
    var stormThreshold: String = "100ms"

    @Option(name: .customLong("idle-gap"), help: "A pause in a flow's requests longer than this ends a busy period (iteration).")
    var idleGap: String = "200us"

    @Flag(help: "Add per-window traffic of every flow (at --window) to the JSON output.")
    var timeseries = false

    @Option(name: .customLong("timeseries-csv"), help: "Write per-window traffic of every flow to this CSV file.")
    var timeseriesCSV: String?

    func run() throws {
        _ = try report.validated(alsoWriting: [timeseriesCSV])
        guard let linkBps = Quantity.bitsPerSecond(linkSpeed), linkBps > 0 else {
            throw UsageFailure("--link-speed: cannot read '\(linkSpeed)' as a bit rate (try 400Gbps)")
        }
        guard let windowNs = Quantity.durationNs(window), windowNs > 0 else {
            throw UsageFailure("--window: cannot read '\(window)' as a positive duration (try 1ms)")
        }
        guard let stormThresholdNs = Quantity.durationNs(stormThreshold), stormThresholdNs > 0 else {
            throw UsageFailure("--storm-threshold: cannot read '\(stormThreshold)' as a positive duration (try 100ms)")
        }
        guard let idleGapNs = Quantity.durationNs(idleGap), idleGapNs > 0 else {
            throw UsageFailure("--idle-gap: cannot read '\(idleGap)' as a positive duration (try 200us)")
        }
        let ports = try rocePorts.map { port -> UInt16 in
            guard let value = UInt16(exactly: port), value > 0 else {
                throw UsageFailure("--roce-port must be 1–65535 (got \(port))")
            }
            return value
        }

        if !taps.isEmpty, taps.count != 2 || !files.isEmpty {
            throw UsageFailure("--tap takes exactly two captures of the same traffic, and no other files")
        }
        if taps.isEmpty, files.isEmpty { throw UsageFailure("analyze: give at least one capture file") }
        guard let tapWindowNs = Quantity.durationNs(tapWindow), tapWindowNs > 0 else {
            throw UsageFailure("--tap-window: cannot read '\(tapWindow)' as a positive duration (try 1s)")
        }
        let reader = try CaptureReader(
            paths: taps.isEmpty ? files : taps, filter: filter,
            decoder: PacketDecoder(rocePorts: ports.isEmpty ? [4791] : ports))
        var comparison = taps.isEmpty ? nil : TapComparison(windowNs: tapWindowNs)
        var accumulator = TrafficAccumulator(
            windowNs: windowNs, linkBitsPerSecond: linkBps, stormThresholdNs: stormThresholdNs,
            timeSeries: timeseries || timeseriesCSV != nil || report.summaryOut != nil, idleGapNs: idleGapNs)
        if comparison == nil {
            try reader.forEach { accumulator.add($0) }
        } else {
            try reader.forEach { packet in
                if packet.kind == .roce { comparison!.add(packet.roce, tap: packet.file, timeNs: packet.timestampNs) }
                if packet.file == 0 { accumulator.add(packet) }
            }
            comparison!.finish()
        }
        accumulator.finish()

        let summary = AnalysisSummary(accumulator: accumulator, files: reader.files)
        var document = AnalysisDocument(summary: summary)
        if let comparison {
            document.taps = AnalysisDocument.TapsSection(comparison, files: taps, resolutionNs: summary.resolutionNs)
        }
        for warning in document.capture.warnings {
            FileHandle.standardError.write(Data(("fabricscope: warning: " + warning + "\n").utf8))
        }
        if let timeseriesCSV {
            try OutputFile(path: timeseriesCSV, force: report.force).write(document.timeSeriesCSV())
        }
        if !timeseries {
            for index in document.flows.indices { document.flows[index].timeseries = nil }
        }
        try report.write(document, summary: summary)
    }
}
