import ArgumentParser
import FabricHealth
import FabricHistory
import Foundation

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
        // A label already stored is the likelier slip (the job run twice tonight): say
        // that before the reports it left behind. Then the outputs, before a history is
        // created or a capture read.
        // (A file that does not open yet — empty, foreign — is named by the open below.)
        if !replace, FileManager.default.fileExists(atPath: database.db), let stored = try? database.open(for: .read) {
            try stored.refuseExisting(label: label)
        }
        try HealthEvaluation.validateOutputs(options)
        let history = try database.open(for: .store)
        let evaluation = HealthEvaluation(history: history, options: options)
        let tonight = try History.add(database: database, label: label, tags: tags, force: replace, inputs: inputs,
                                      input: input)
        let report: HealthReport
        do {
            report = try evaluation.run(label: label, tonight: tonight)
        } catch let failure as UsageFailure {
            // A disk that filled up after the run was stored: the night is not lost, only
            // its reports; say how to write them without storing it again.
            throw UsageFailure(failure.description + " (run '\(label)' is stored; 'health --db \(database.db) --label "
                + "\(label)' with the same outputs writes its reports)")
        }
        let code = evaluation.exitCode(for: report)
        if code != 0 { throw ExitCode(code) }
    }
}
