import FabricWire
import FabricReport
import ArgumentParser
import FabricIngest
import FabricStats

/// Which packets of the captures are analysed, and the windows and thresholds of
/// their statistics: one group, shared by every command that reads captures
/// (`analyze`, `report`, `model --from`), so that they give the same numbers.
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long],
            help: "tcpdump/BPF filter expression applied through libpcap (not on ERF or InfiniBand captures, which libpcap cannot filter: use --host there).")
    var filter: String?

    @Option(name: .customLong("host"),
            help: "Keep only RoCE/IB packets from or to this address (IP, GID or lid:N; repeatable). Works on every link type.")
    var hosts: [String] = []

    @Option(name: .customLong("roce-port"), parsing: .unconditionalSingleValue,
            help: "UDP destination port carrying RoCEv2 (repeatable). Replaces the default 4791: give --roce-port 4791 too to keep it.")
    var rocePorts: [Int] = []

    @Option(name: .customLong("vxlan-port"), parsing: .unconditionalSingleValue,
            help: "UDP destination port carrying VXLAN from a mirror or overlay (repeatable). Replaces the default 4789.")
    var vxlanPorts: [Int] = []

    @Option(name: .customLong("link-speed"), parsing: .unconditional, help: "Link speed for PFC pause time, e.g. 400Gbps, 100G.",
            transform: QuantityArgument.linkSpeed)
    var linkSpeed = QuantityArgument(value: 400e9, text: "400Gbps")

    @Option(parsing: .unconditional, help: "Throughput window for peak rates and plots, e.g. 100us, 1ms (default: 100us).",
            transform: QuantityArgument.positiveDuration)
    var window: QuantityArgument?

    @Option(name: .customLong("storm-threshold"), parsing: .unconditional,
            help: "Continuous PFC pause that counts as a storm, e.g. 100ms.", transform: QuantityArgument.positiveDuration)
    var stormThreshold = QuantityArgument(value: 100e6, text: "100ms")

    @Option(name: .customLong("idle-gap"), parsing: .unconditional,
            help: "A pause in a flow's requests at least this long ends a busy period (iteration). Default: found from the pauses in the traffic.",
            transform: QuantityArgument.positiveDuration)
    var idleGap: QuantityArgument?

    @Option(help: "Threads that fold packets into statistics, each taking a share of the host pairs (default: one per usable CPU but one, up to \(AnalysisOptions.maximumStatisticsThreads)). The results do not depend on it.")
    var threads: Int?

    /// The library's options; `timeSeries` when the command needs per-window traffic.
    func analysisOptions(timeSeries: Bool) throws -> AnalysisOptions {
        var options = AnalysisOptions()
        options.filter = filter
        options.rocePorts = try InputOptions.ports(rocePorts, option: "--roce-port", default: PacketDecoder.roceV2Port)
        options.vxlanPorts = try InputOptions.ports(vxlanPorts, option: "--vxlan-port", default: PacketDecoder.vxlanPort)
        options.hosts = try hosts.map { text in
            guard let address = NodeAddress(text: text) else {
                throw UsageFailure("--host: cannot read '\(text)' as an IPv4/IPv6 address, GID or lid:N")
            }
            return address
        }
        options.linkBitsPerSecond = linkSpeed.value
        options.windowNs = window?.ns ?? options.windowNs
        options.stormThresholdNs = stormThreshold.ns
        options.idleGapNs = idleGap?.ns
        options.timeSeries = timeSeries
        if let threads {
            guard (1...AnalysisOptions.maximumStatisticsThreads).contains(threads) else {
                throw UsageFailure("--threads must be 1–\(AnalysisOptions.maximumStatisticsThreads) (got \(threads))")
            }
            options.statisticsThreads = threads
        }
        return options
    }

    /// UDP ports given to `option`, checked; the default when none was given.
    static func ports(_ given: [Int], option: String, default port: UInt16) throws -> [UInt16] {
        try given.isEmpty ? [port] : given.map { value in
            guard let checked = UInt16(exactly: value), checked > 0 else {
                throw UsageFailure("\(option) must be 1–65535 (got \(value))")
            }
            return checked
        }
    }

    /// The options that shape how captures are read, by flag, when given: a summary
    /// was already read with its own, so these cannot apply to it.
    var captureOnlyOptionsGiven: [String] {
        var given: [String] = []
        if filter != nil { given.append("--filter") }
        if !hosts.isEmpty { given.append("--host") }
        if !rocePorts.isEmpty { given.append("--roce-port") }
        if !vxlanPorts.isEmpty { given.append("--vxlan-port") }
        if idleGap != nil { given.append("--idle-gap") }
        return given
    }

    /// Captures, or one summary written by `analyze --summary-out`: the summary of
    /// `paths` either way. `timeSeries` when the command needs per-window traffic.
    func summary(of paths: [String], timeSeries: Bool) throws -> AnalysisSummary {
        let summaries = paths.filter(SummaryFile.looksLikeSummary)
        if summaries.isEmpty {
            return try Analysis(analysisOptions(timeSeries: timeSeries)).run(paths)
        }
        guard paths.count == 1 else {
            throw UsageFailure(summaries.count == paths.count
                ? "give one summary at a time (got \(paths.count)); combine several with 'fabricscope merge "
                    + "\(paths.joined(separator: " ")) -o merged.json' first"
                : "\(summaries[0]) is a summary: give either captures or one summary, not both")
        }
        return try usable(AnalysisSummary.read(path: paths[0]), path: paths[0])
    }

    /// One summary file as read, with its text (for the history, which stores it as
    /// it came; other readers do without the copy of the text).
    func summaryWithText(of path: String) throws -> (summary: AnalysisSummary, text: String) {
        let (summary, text) = try AnalysisSummary.readWithText(path: path)
        return (try usable(summary, path: path), text)
    }

    /// `summary`, read from `path`, unless options that only shape how captures are
    /// read were given, or a window it cannot give.
    private func usable(_ summary: AnalysisSummary, path: String) throws -> AnalysisSummary {
        let given = captureOnlyOptionsGiven
        if !given.isEmpty {
            throw UsageFailure("\(given.joined(separator: ", ")) shape how captures are read; \(path) is a summary "
                + "that was already read: analyze the captures again with these options")
        }
        if let window, window.ns != summary.windowNs {
            throw UsageFailure("--window \(window): \(path) holds traffic in \(summary.windowNs) ns windows, "
                + "which cannot be split finer or re-cut; analyze the captures again with --window \(window)")
        }
        return summary
    }
}
