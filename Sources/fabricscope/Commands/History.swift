import ArgumentParser
import FabricCompare
import FabricHistory
import FabricMetrics
import FabricStats
import Foundation

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The run history: add, list, show and prune the runs of a nightly database.",
        discussion: "One SQLite file (WAL), readable with the sqlite3 command line; tables in docs/nightly.md.",
        subcommands: [Add.self, List.self, Show.self, Prune.self])

    /// The database every subcommand works on.
    struct Database: ParsableArguments {
        @Option(help: "The history database (SQLite; nightly and history add create it if missing).")
        var db: String

        /// What a command does with the history.
        enum Use { case read, prune, store }

        /// Opens the history; only commands that store a run create a missing one (a
        /// mistyped --db for health or show would otherwise leave an empty database
        /// behind and report "no runs"), and only they and prune open it to write.
        func open(for use: Use = .read) throws -> RunHistory {
            if use != .store, !FileManager.default.fileExists(atPath: db) {
                throw HistoryError("\(db): no history there (nightly or history add creates one)")
            }
            return try RunHistory(path: db, access: use == .read ? .readOnly : .readWrite)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Store one run: the merged summary of its captures or summaries, with tags.")

        @OptionGroup var database: Database
        @Option(help: "The run's name, unique in the database (e.g. the night's date).") var label: String
        @Option(name: .customLong("tag"), help: "KEY=VALUE to remember with the run (repeatable): switch config, firmware, job id.")
        var tags: [String] = []
        @Flag(help: "Replace a run with the same label.") var force = false
        @Argument(help: "The run's captures, or its summaries from 'analyze --summary-out' (one per node).")
        var inputs: [String] = []
        @OptionGroup var input: InputOptions

        func run() throws {
            try add(database: database, label: label, tags: tags, force: force, inputs: inputs, input: input)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored runs, oldest first.")
        @OptionGroup var database: Database
        @Option(name: [.customShort("T"), .long], help: "Output format: table or json.") var format: HealthOptions.Format = .table

        func run() throws {
            let runs: [RunRecord]
            runs = try database.open().runs()
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try OutputFile(path: nil, force: false).write(String(decoding: try encoder.encode(runs), as: UTF8.self) + "\n")
                return
            }
            var rows = [["LABEL", "ADDED", "PACKETS", "FLOWS", "SPAN", "TAGS"]]
            for run in runs {
                rows.append([run.label, run.addedAt, String(run.packets), String(run.flows),
                             String(format: "%.3f s", Double(Int64.span(from: run.startNs, to: run.endNs)) / 1e9),
                             run.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
            }
            try OutputFile(path: nil, force: false).write(
                rows.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n\(runs.count) run(s)\n")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: its inputs, tags and fabric metrics.")
        @OptionGroup var database: Database
        @Argument(help: "The run's label.") var label: String

        func run() throws {
            let history = try database.open()
            guard let run = try history.runs().first(where: { $0.label == label }) else {
                throw UsageFailure("\(database.db): no run labelled '\(label)'")
            }
            let values = try history.metrics(of: [run])[run.id] ?? []
            var text = "run \(run.label) (added \(run.addedAt))\n"
            text += "inputs: \(run.files.joined(separator: ", "))\n"
            text += "tags: \(run.tags.isEmpty ? "none" : run.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))\n"
            text += "\(run.packets) packets, \(run.flows) flows, \(String(format: "%.6f", Double(Int64.span(from: run.startNs, to: run.endNs)) / 1e9)) s\n"
            // In the metric's own unit, as the other commands write it ("65.5 µs", not
            // 65540.123); the JSON of `health -T json` has the exact values.
            for value in values where value.scope == .fabric {
                text += "  \(value.metric.rawValue) = \(value.metric.definition.format(value.value, .prose))\n"
            }
            for value in values.filter({ $0.scope.periodKey != nil }).sorted(by: { $0.scope < $1.scope }) {
                text += "  \(value.metric.rawValue) (\(value.scope.name)) = \(value.metric.definition.format(value.value, .prose))\n"
            }
            try OutputFile(path: nil, force: false).write(text)
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prune", abstract: "Delete old runs: keep the newest N, and/or drop those older than a duration.")
        @OptionGroup var database: Database
        @Option(help: "Keep this many newest runs.") var keep: Int?
        @Option(name: .customLong("older-than"), help: "Delete runs added more than this long ago, e.g. 30d, 12h.")
        var olderThan: String?

        func run() throws {
            var before: Date?
            if let olderThan {
                guard let seconds = Prune.seconds(olderThan) else {
                    throw UsageFailure("--older-than: expected a duration such as 30d, 12h or 90m (got '\(olderThan)')")
                }
                before = Date().addingTimeInterval(-seconds)
            }
            let removed = try database.open(for: .prune).prune(keep: keep, addedBefore: before)
            try OutputFile(path: nil, force: false).write("removed \(removed.count) run(s)\(removed.isEmpty ? "" : ": " + removed.joined(separator: ", "))\n")
        }

        /// Option checks before any work (ArgumentParser calls this after parsing).
        func validate() throws {
            guard keep != nil || olderThan != nil else { throw ValidationError("history prune: give --keep N and/or --older-than DURATION") }
            if let keep, keep < 0 { throw ValidationError("--keep must be 0 or more (got \(keep))") }
            if let olderThan, Prune.seconds(olderThan) == nil {
                throw ValidationError("--older-than: expected a duration such as 30d, 12h or 90m (got '\(olderThan)')")
            }
        }

        static func seconds(_ text: String) -> Double? {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
            guard let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()), value >= 0 else { return nil }
            return value * scale
        }
    }

    /// `history add` and the first half of `nightly`: the run stored, with the summary
    /// and metrics it was stored from (so `nightly` neither reads them back nor
    /// measures them again; at 10⁴ flows that was a quarter of its time).
    @discardableResult
    static func add(database: Database, label: String, tags: [String], force: Bool, inputs: [String],
                    input: InputOptions) throws -> StoredRun {
        var parsed: [String: String] = [:]
        for tag in tags {
            let (key, value) = try Tags.parse(tag, option: "--tag")
            parsed[key] = value
        }
        let history = try database.open(for: .store)
        // Refused before the inputs are read, which can take minutes.
        if !force { try history.refuseExisting(label: label) }
        let (summary, text) = try RunInputs.summaryWithText(of: inputs, input: input)
        return try history.store(label: label, summary: summary, text: text, files: inputs, tags: parsed, replace: force)
    }
}

extension History.Add {
    func add(database: History.Database, label: String, tags: [String], force: Bool, inputs: [String], input: InputOptions) throws {
        let record = try History.add(database: database, label: label, tags: tags, force: force, inputs: inputs,
                                     input: input).record
        FileHandle.standardError.write(Data("added run \(record.label): \(record.packets) packets, \(record.flows) flows\n".utf8))
    }
}
