import FabricCompare
import FabricStats
import Foundation
import GRDB

extension RunHistory {
    /// Stores a run: its merged summary (histograms and windows included, so any
    /// later statistic can be recomputed), tags, and each metric per scope for
    /// trends. An existing label is refused unless `replace`.
    @discardableResult
    public func add(
        label: String, summary: AnalysisSummary, files: [String], tags: [String: String], replace: Bool,
        addedAt: Date = Date()
    ) throws(HistoryError) -> RunRecord {
        let metrics: RunMetrics
        do { metrics = try RunMetrics(summary: summary) } catch { throw HistoryError(error.description) }
        return try add(label: label, summary: summary, metrics: metrics, files: files, tags: tags, replace: replace,
                       addedAt: addedAt)
    }

    /// The same, with the run's metrics already measured (`nightly` judges them next).
    /// `summaryText`: the summary's JSON exactly as it was read and decoded into
    /// `summary` (one summary file given to `history add`), stored as it is. Why: it
    /// decodes to the same values as a new encoding would, and encoding a 10⁴-flow
    /// summary again was a third of the instructions of `history add`.
    @discardableResult
    public func add(
        label: String, summary: AnalysisSummary, text summaryText: String? = nil, metrics: RunMetrics,
        files: [String], tags: [String: String], replace: Bool, addedAt: Date = Date()
    ) throws(HistoryError) -> RunRecord {
        guard !label.isEmpty, label.count <= 200 else { throw HistoryError("a run label must be 1–200 characters") }
        let text: String
        if let summaryText {
            text = summaryText
        } else {
            do { text = try summary.jsonText() } catch { throw HistoryError("cannot encode the summary: \(error)") }
        }
        guard text.utf8.count <= summaryLimitBytes else {
            throw HistoryError("\(path): run '\(label)' not stored: its summary is \(text.utf8.count) bytes, over SQLite's "
                + "limit of \(summaryLimitBytes) for one value (\(summary.flows.count) flows); nothing was written. "
                + "Keep such nights as summary files (analyze --summary-out) or store per-node summaries")
        }
        let fileList = String(decoding: (try? JSONEncoder().encode(files)) ?? Data("[]".utf8), as: UTF8.self)
        let stamp = RunHistory.timestamp(addedAt)
        do {
            return try pool.write { db in
                if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE label = ?", arguments: [label]) {
                    guard replace else {
                        throw HistoryError("\(path): a run labelled '\(label)' exists (added "
                            + "\(try String.fetchOne(db, sql: "SELECT added_at FROM run WHERE id = ?", arguments: [existing]) ?? "?")); "
                            + "give another --label, or replace it (nightly --replace, history add --force)")
                    }
                    try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [existing])
                }
                try db.execute(sql: """
                    INSERT INTO run (label, added_at, start_ns, end_ns, packets, flows, files, summary)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [label, stamp, summary.totals.startNs, summary.totals.endNs, summary.totals.packets,
                                     summary.flows.count, fileList, text])
                let id = db.lastInsertedRowID
                for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO run_tag (run_id, key, value) VALUES (?, ?, ?)", arguments: [id, key, value])
                }
                let insert = try db.makeStatement(sql: "INSERT INTO run_metric (run_id, scope, src, dst, metric, value) VALUES (?, ?, ?, ?, ?, ?)")
                for value in metrics.values {
                    try insert.execute(arguments: [id, value.scope.kind, value.scope.periodKey ?? value.scope.source,
                                                   value.scope.destination, value.metric.rawValue, value.value])
                }
                return RunRecord(id: id, label: label, addedAt: stamp, startNs: summary.totals.startNs,
                                 endNs: summary.totals.endNs, packets: summary.totals.packets, flows: summary.flows.count,
                                 files: files, tags: tags)
            }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError("\(path): cannot add run '\(label)': \(HistoryError.reason(error))")
        }
    }

    /// Every run, oldest first (in the order they were added).
    public func runs() throws(HistoryError) -> [RunRecord] {
        try read { db in
            let tags = try Row.fetchAll(db, sql: "SELECT run_id, key, value FROM run_tag")
            var byRun: [Int64: [String: String]] = [:]
            for row in tags { byRun[row["run_id"], default: [:]][row["key"]] = row["value"] as String }
            return try Row.fetchAll(db, sql: """
                SELECT id, label, added_at, start_ns, end_ns, packets, flows, files FROM run ORDER BY id
                """).map { row in
                let files = (try? JSONDecoder().decode([String].self, from: Data((row["files"] as String).utf8))) ?? []
                return RunRecord(id: row["id"], label: row["label"], addedAt: row["added_at"], startNs: row["start_ns"],
                                 endNs: row["end_ns"], packets: row["packets"], flows: row["flows"], files: files,
                                 tags: byRun[row["id"]] ?? [:])
            }
        }
    }

    /// The stored summary of a run.
    public func summary(of run: RunRecord) throws(HistoryError) -> AnalysisSummary {
        // The text's bytes only, its String gone before decoding (10⁵ flows: 300 MB each).
        let bytes: [UInt8]? = try read { db in
            try String.fetchOne(db, sql: "SELECT summary FROM run WHERE id = ?", arguments: [run.id]).map { Array($0.utf8) }
        }
        guard let bytes else { throw HistoryError("\(path): run '\(run.label)' has gone (pruned meanwhile?)") }
        do {
            return try AnalysisSummary.decode(bytes: bytes, path: "\(path) run '\(run.label)'")
        } catch {
            throw HistoryError("\(path): the summary of run '\(run.label)' cannot be read: \(error)")
        }
    }

    /// Each stored metric value of the given runs: (run id, scope, metric) → value.
    public func metrics(of runs: [RunRecord]) throws(HistoryError) -> [Int64: [RunMetrics.Value]] {
        let ids = runs.map(\.id)
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: [RunMetrics.Value]] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT run_id, scope, src, dst, metric, value FROM run_metric WHERE run_id IN ("
                + ids.map(String.init).joined(separator: ",") + ")")
            for row in rows {
                guard let metric = CompareMetric(rawValue: row["metric"]) else { continue }
                let kind: String? = row["scope"], src: String? = row["src"], dst: String? = row["dst"]
                let scope: Scope
                if kind == "period" {
                    guard let bytes = src.flatMap({ Int($0) }) else { continue }
                    scope = .period(bytesPerRank: bytes)
                } else {
                    scope = src.map { .link(source: $0, destination: dst ?? "") } ?? .fabric
                }
                result[row["run_id"], default: []].append(RunMetrics.Value(scope: scope, metric: metric, value: row["value"]))
            }
            return result
        }
    }

    /// Deletes all but the newest `keep` runs, and/or runs added before `before`;
    /// returns the labels removed.
    public func prune(keep: Int?, addedBefore before: Date?) throws(HistoryError) -> [String] {
        do {
            return try pool.write { db in
                var doomed = Set<Int64>()
                if let keep {
                    doomed.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM run ORDER BY id DESC LIMIT -1 OFFSET ?",
                                                        arguments: [max(0, keep)]))
                }
                if let before {
                    doomed.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE added_at < ?",
                                                        arguments: [RunHistory.timestamp(before)]))
                }
                let labels = try String.fetchAll(db, sql: "SELECT label FROM run WHERE id IN ("
                    + (doomed.isEmpty ? "NULL" : doomed.map(String.init).joined(separator: ",")) + ") ORDER BY id")
                for id in doomed { try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id]) }
                return labels
            }
        } catch {
            throw HistoryError("\(path): cannot prune: \(HistoryError.reason(error))")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try pool.read(body)
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError("\(path): cannot read the history: \(HistoryError.reason(error))")
        }
    }

    /// ISO 8601 in UTC with milliseconds: sorts as text, and `sqlite3` reads it.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
