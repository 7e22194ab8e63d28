import ArgumentParser
import FabricHealth
import FabricStats

/// How a run is judged and where the verdict goes; shared by `health` and `nightly`.
struct HealthOptions: ParsableArguments {
    @Option(help: "Thresholds and baseline policy (JSON; docs/nightly.md). Default: the built-in ones.")
    var config: String?

    @Option(help: "The classes the fabric is configured for, e.g. data-dscp=26,data-pcp=3,cnp-dscp=48,cnp-pcp=6,lossless=3 (any subset): RoCE seen elsewhere fails qos_classes. Overrides the config's qos.")
    var qos: String?

    @Option(help: "The fabric behind the links (docs/analyze.md): names the switch or port the failing links share.")
    var topology: String?

    @Option(name: .customLong("baseline-runs"), help: "Earlier runs that form the baseline (default 7, or the config's).")
    var baselineRuns: Int?

    @Option(name: .customLong("baseline-tag"), help: "Only earlier runs with this KEY=VALUE tag form the baseline.")
    var baselineTag: String?

    @Option(name: [.customShort("T"), .long], help: "Output format: table or json.")
    var format: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(name: [.short, .long], help: "Write the verdict to this file instead of standard output.")
    var output: String?

    @Option(help: "Also write Prometheus text for node_exporter's textfile collector (written to a temporary file, then renamed).")
    var prometheus: String?

    @Option(help: "Also write JUnit XML, one test case per check.")
    var junit: String?

    @Option(help: "Also write the night's HTML report.")
    var html: String?

    @Flag(help: "Replace output files that exist.")
    var force = false

    @Flag(help: "List passing checks in the table too.")
    var all = false

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a check is at this status or worse: fail (default) or warn.")
    var failOn: FailOn = .fail

    enum FailOn: String, ExpressibleByArgument, CaseIterable { case fail, warn }

    /// Option checks before any work (ArgumentParser calls this after parsing).
    func validate() throws {
        if let baselineRuns, baselineRuns < 2 {
            throw ValidationError("--baseline-runs must be at least 2 (got \(baselineRuns))")
        }
        _ = try tag()
        if let qos { _ = try QosIntent(parsing: qos) }
    }

    /// The config with command-line overrides.
    func healthConfig() throws -> HealthConfig {
        var config = HealthConfig()
        if let path = self.config {
            config = try HealthConfig.read(path: path)
        }
        if let baselineRuns { config.baselineRuns = baselineRuns }
        if let qos { config.qos = try QosIntent(parsing: qos) }
        if let topology { config.topology = try FabricTopology.read(path: topology) }
        return config
    }

    /// KEY=VALUE of --baseline-tag.
    func tag() throws -> (key: String, value: String)? {
        guard let baselineTag else { return nil }
        return try Tags.parse(baselineTag, option: "--baseline-tag")
    }

    var outputPaths: [String?] { [output, prometheus, junit, html] }
}

/// KEY=VALUE tags.
enum Tags {
    static func parse(_ text: String, option: String) throws -> (String, String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("\(option): expected KEY=VALUE (got '\(text)')")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
