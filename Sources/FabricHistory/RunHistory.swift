import FabricCompare
import FabricStats
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The nightly run history: one SQLite file (WAL journal, versioned migrations),
/// readable with the `sqlite3` command line (tables in docs/nightly.md).
///
/// Every run is added in one transaction, so a process killed at any moment leaves
/// every earlier run intact; concurrent writers wait for each other (busy timeout).
public struct RunHistory: Sendable {
    /// A pool for a history opened to write; a read-only connection (a queue) otherwise.
    let pool: any DatabaseWriter
    public let path: String
    /// The largest summary stored whole: SQLite refuses a string over SQLITE_MAX_LENGTH
    /// (10⁹ bytes unless compiled otherwise, as Debian's is), and GRDB traps on it rather
    /// than throwing; a 4,096-rank ring's summary is about that size. Larger nights are
    /// refused before anything is written (settable for tests).
    public var summaryLimitBytes = 1_000_000_000

    /// How a command uses the history: only `nightly`, `history add` and `prune` write.
    public enum Access: Sendable {
        case readWrite
        /// Never writes, so a history on a read-only mount, in a directory the user may
        /// not write, or archived read-only (mode 0444) can still be listed and judged
        /// against.
        case readOnly
    }

    /// Opens the history at `path`: to write, creating it if needed and migrating it;
    /// read-only, it must exist.
    public init(path: String, access: Access = .readWrite) throws(HistoryError) {
        self.path = path
        try RunHistory.refuseForeign(path)
        switch access {
        case .readWrite:
            try RunHistory.refuseReadOnly(path)
            pool = try RunHistory.openForWriting(path)
        case .readOnly:
            pool = try RunHistory.openForReading(path)
        }
    }

    private static func openForWriting(_ path: String) throws(HistoryError) -> DatabasePool {
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
        let deadline = Date().addingTimeInterval(30)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try RunHistory.migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError
                where ((error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline)
                || (error.resultCode == .SQLITE_ERROR && attempt < 5) {
                Thread.sleep(forTimeInterval: min(0.5, 0.02 * Double(attempt)) + Double.random(in: 0...0.02))
            } catch {
                throw HistoryError("\(path): cannot open the history: \(HistoryError.reason(error))")
            }
        }
    }

    /// A read-only connection. A WAL database needs its shared-memory file beside it even
    /// to read; where that cannot be created (a read-only directory or mount, after the
    /// last writer removed it), SQLite can still read the file as immutable, which is
    /// right for an archived history: nobody is writing it.
    private static func openForReading(_ path: String) throws(HistoryError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        var firstError: (any Error)?
        for candidate in [path, immutableURI(path)] {
            do {
                let queue = try DatabaseQueue(path: candidate, configuration: configuration)
                // Ours from its first moment (see refuseForeign); an empty file is not yet one.
                let tables = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
                guard tables.contains("run") else {
                    throw HistoryError("\(path): no FabricScope history there yet (nightly or history add creates one)")
                }
                return queue
            } catch let error as HistoryError {
                throw error
            } catch {
                firstError = firstError ?? error
            }
        }
        throw HistoryError("\(path): cannot read the history: \(HistoryError.reason(firstError!))")
    }

    /// The file as an SQLite URI that reads it without locks or journal files (Debian's
    /// SQLite interprets URI file names).
    static func immutableURI(_ path: String) -> String {
        "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
    }

    /// Refuses, before anything is opened, a history that may not be written: SQLite's
    /// own error ("attempt to write a readonly database") names neither the cause nor
    /// the fix. A file with no write permission at all is refused even for root, who
    /// could write it anyway: someone archived it so, and a night added to it by a root
    /// cron job would be a change nobody asked for.
    static func refuseReadOnly(_ path: String) throws(HistoryError) {
        var status = stat()
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if stat(path, &status) == 0 {
            let mode = String(status.st_mode & 0o777, radix: 8)
            if status.st_mode & 0o222 == 0 || access(path, W_OK) != 0 {
                let why = status.st_mode & 0o222 == 0 ? "mode \(mode)" : String(cString: strerror(errno))
                throw HistoryError("\(path): the history is read-only (\(why)); nothing was added. "
                    + "Make it writable (chmod u+w) or give another --db")
            }
        }
        // SQLite keeps its write-ahead log and shared memory beside the database.
        if access(directory, W_OK) != 0 {
            throw HistoryError("\(path): cannot write in \(directory) (\(String(cString: strerror(errno)))), where SQLite keeps "
                + "the history's journal; nothing was added. Give a --db in a writable directory")
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
            // Immutable: even a read-only connection would leave WAL files behind.
            let queue = try DatabaseQueue(path: immutableURI(path), configuration: configuration)
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
            let code = "SQLite error \(error.extendedResultCode.rawValue)"
            // The disk filling up mid-night is the one a nightly job meets; the
            // transaction was rolled back, which is what the user needs to hear.
            if error.resultCode == .SQLITE_FULL {
                return "the disk is full (\(code)); the run was rolled back and earlier runs are intact"
            }
            return "\(error.message ?? "unknown error") (\(code))"
        }
        return String(describing: error)
    }
}
