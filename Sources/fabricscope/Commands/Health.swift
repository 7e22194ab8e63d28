import ArgumentParser
import FabricHistory

struct Health: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Judge a stored run: absolute limits per link, and changes against its baseline runs.",
        discussion: """
            Each check is ok, warn or fail, per link (source → destination host) and over the fabric, \
            worst first, with one sentence to act on. Exit status: 0 when no check fails (warnings \
            allowed unless --fail-on warn), 1 when one does, 2 for bad input. Method: docs/nightly.md.
            """)

    @OptionGroup var database: History.Database
    @Option(help: "The run to judge (default: the latest).") var label: String?
    @OptionGroup var options: HealthOptions

    func run() throws {
        try HealthEvaluation.validateOutputs(options)
        let evaluation = HealthEvaluation(history: try database.open(), options: options)
        let report = try evaluation.run(label: label)
        let code = evaluation.exitCode(for: report)
        if code != 0 { throw ExitCode(code) }
    }
}
