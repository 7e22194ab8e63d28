import FabricCompare
import FabricStats
import Foundation
import GRDB

/// The nightly run history: one SQLite file (WAL journal, versioned migrations),
/// readable with the `sqlite3` command line (tables in docs/nightly.md).
///
/// Every run is added in one transaction, so a process killed at any moment leaves
/// every earlier run intact; concurrent writers wait for each other (busy timeout).
public struct RunHistory: Sendable {
    let pool: DatabasePool
    public let path: String
    /// The largest summary stored whole: SQLite refuses a string over SQLITE_MAX_LENGTH
    /// (10⁹ bytes unless compiled otherwise, as Debian's is), and GRDB traps on it rather
    /// than throwing; a 4,096-rank ring's summary is about that size. Larger nights are
    /// refused before anything is written (settable for tests).
    public var summaryLimitBytes = 1_000_000_000

    /// Opens (creating if needed) and migrates the history at `path`.
    public init(path: String) throws(HistoryError) {
        self.path = path
        var configuration = Configuration()
        // Another nightly job (a Slurm array's merge step, cron overlapping) may hold
        // the write lock; wait for it rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        // Two processes creating the same new file at once (two nightly jobs, a test)
        // can meet SQLITE_BUSY while one switches the journal to WAL or migrates: the
        // busy timeout does not cover that step, so opening is retried for as long.
        // Both may also find the schema missing and race to create it: the loser's
        // migration fails, and on the next attempt finds it applied.
        try RunHistory.refuseForeign(path)
        let deadline = Date().addingTimeInterval(30)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try RunHistory.migrator.migrate(pool)
                self.pool = pool
                return
            } catch let error as DatabaseError
                where ((error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline)
                || (error.resultCode == .SQLITE_ERROR && attempt < 5) {
                Thread.sleep(forTimeInterval: min(0.5, 0.02 * Double(attempt)) + Double.random(in: 0...0.02))
            } catch {
                throw HistoryError("\(path): cannot open the history: \(HistoryError.reason(error))")
            }
        }
    }

    /// Refuses an SQLite file that holds tables but no FabricScope history (another
    /// program's database given as --db by mistake): opened read-only to look, so its
    /// journal mode and contents stay as they were. Migrating it would have added our
    /// tables to it.
    static func refuseForeign(_ path: String) throws(HistoryError) {
        guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        let tables: [String]
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            tables = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
            try queue.close()
        } catch {
            return  // not readable as SQLite: opening it for real says why
        }
        // Ours has GRDB's migration table from its first moment (another nightly job may
        // be creating it right now, its `run` table not yet committed).
        if !tables.isEmpty, !tables.contains("grdb_migrations") {
            throw HistoryError("\(path): an SQLite database that is not a FabricScope history (its tables: "
                + tables.sorted().prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
                + "); nothing was changed. Give another --db")
        }
    }

    /// Schema versions; each migration runs once, in its own transaction.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, tags, metrics") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    label TEXT NOT NULL UNIQUE,
                    added_at TEXT NOT NULL,
                    start_ns INTEGER NOT NULL,
                    end_ns INTEGER NOT NULL,
                    packets INTEGER NOT NULL,
                    flows INTEGER NOT NULL,
                    files TEXT NOT NULL,
                    summary TEXT NOT NULL
                );
                CREATE TABLE run_tag (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)
                );
                CREATE TABLE run_metric (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    scope TEXT NOT NULL,
                    src TEXT,
                    dst TEXT,
                    metric TEXT NOT NULL,
                    value REAL NOT NULL
                );
                CREATE INDEX run_metric_by_run ON run_metric(run_id);
                CREATE INDEX run_metric_by_link ON run_metric(metric, src, dst);
                """)
        }
        return migrator
    }
}

/// A history that cannot be opened, read or written, with what to do about it.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message.map { "\($0) (SQLite \(error.resultCode))" } ?? "SQLite \(error.resultCode)"
        }
        return String(describing: error)
    }
}
