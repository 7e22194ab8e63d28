import ArgumentParser
import FabricHistory

struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "One command for cron: add tonight's run to the history, judge it, write the outputs.",
        discussion: """
            = 'history add' + 'health' for that run. Inputs are the night's captures, or the summaries \
            of a fan-out ('analyze --summary-out' per node, e.g. a Slurm job array). Exit status as \
            'health': 0, 1 when a check fails (or warns, with --fail-on warn), 2 for bad input. \
            See docs/nightly.md for cron, systemd and Slurm recipes.
            """)

    @OptionGroup var database: History.Database
    @Option(help: "Tonight's label, unique in the database (e.g. 2026-12-01).") var label: String
    @Option(name: .customLong("tag"), help: "KEY=VALUE to remember with the run (repeatable).") var tags: [String] = []
    @Flag(name: .customLong("replace"), help: "Replace a run with the same label.") var replace = false
    @Argument(help: "The night's captures, or its summaries.") var inputs: [String] = []
    @OptionGroup var input: InputOptions
    @OptionGroup var options: HealthOptions

    func run() throws {
        let history = try database.open(creating: true)
        // A label already stored is the likelier slip (the job run twice tonight): say
        // that before the reports it left behind.
        if !replace { try history.refuseExisting(label: label) }
        let evaluation = HealthEvaluation(history: history, options: options)
        try evaluation.validateOutputs()
        let tonight = try History.add(database: database, label: label, tags: tags, force: replace, inputs: inputs,
                                      input: input)
        let report = try evaluation.run(label: label, tonight: tonight)
        let code = evaluation.exitCode(for: report)
        if code != 0 { throw ExitCode(code) }
    }
}
