import TestSupport
import Foundation
import XCTest

/// `history add/list/show/prune`, and what the database survives: a writer killed
/// at any moment, and two writers at once.
final class HistoryCommandTests: XCTestCase {
    func testAddListShowPrune() throws {
        let directory = try Run.scratchDirectory()
        let nights = try Nights.generate(directory, count: 3, seed: 600)
        let database = directory.appendingPathComponent("h.db").path
        for (index, night) in nights.enumerated() {
            let result = try Run.fabricscope(["history", "add", "--db", database, "--label", "n\(index + 1)",
                                              "--tag", "fw=\(index)", "--tag", "job=ring", night])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        // A label is never replaced without --force; with it, it is.
        let again = try Run.fabricscope(["history", "add", "--db", database, "--label", "n2", nights[0]])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("'n2' exists") && again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try Run.fabricscope(["history", "add", "--db", database, "--label", "n2", "--force", nights[1]]).status, 0)

        let list = try Run.fabricscope(["history", "list", "--db", database, "-T", "json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(runs.map { $0["label"] as? String }, ["n1", "n3", "n2"], "oldest first; the replaced run is the newest")
        XCTAssertEqual(runs[0]["packets"] as? Int, 12000)
        XCTAssertEqual(runs[0]["tags"] as? [String: String], ["fw": "0", "job": "ring"])
        XCTAssertEqual(runs[2]["files"] as? [String], [nights[1]])

        let show = try Run.fabricscope(["history", "show", "--db", database, "n1"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("12000 packets, 8 flows"), show.stdout)
        XCTAssertTrue(show.stdout.contains("ack_latency_p99_ns = "), show.stdout)
        // Values in their units, as every other command writes them (issue 28, row 13:
        // raw floats such as 3140.000000001).
        let p99 = try XCTUnwrap(show.stdout.split(separator: "\n").first { $0.contains("ack_latency_p99_ns = ") })
        XCTAssertTrue(p99.hasSuffix(" µs") || p99.hasSuffix(" ns") || p99.hasSuffix(" ms"), String(p99))
        // The summary is stored whole: its flows decode from the file with the sqlite3 shell.
        XCTAssertEqual(try Nights.sqlite(database, "SELECT json_array_length(summary, '$.flows') FROM run WHERE label = 'n1'"), "8")
        XCTAssertEqual(try Nights.sqlite(database, "SELECT count(*) FROM run_metric WHERE metric = 'throughput_bps' AND scope = 'link'"), "12")

        let prune = try Run.fabricscope(["history", "prune", "--db", database, "--keep", "1"])
        XCTAssertEqual(prune.status, 0, prune.stderr)
        XCTAssertEqual(prune.stdout, "removed 2 run(s): n1, n3\n")
        XCTAssertEqual(try Nights.sqlite(database, "SELECT group_concat(label) FROM run"), "n2")
        XCTAssertEqual(try Nights.sqlite(database, "SELECT count(DISTINCT run_id) FROM run_metric"), "1", "metrics go with their run")
        XCTAssertEqual(try Run.fabricscope(["history", "prune", "--db", database]).status, 2)
    }

    /// `history add` killed with SIGKILL at spread-out moments: every earlier run
    /// stays, the file passes `PRAGMA integrity_check`, and the killed run is either
    /// whole or absent.
    func testKilledWriterLeavesTheHistoryIntact() throws {
        let directory = try Run.scratchDirectory()
        let nights = try Nights.generate(directory, count: 2, seed: 700, ["--iterations", "400"])
        let database = directory.appendingPathComponent("h.db").path
        XCTAssertEqual(try Run.fabricscope(["history", "add", "--db", database, "--label", "first", nights[0]]).status, 0)
        var landed = 0
        for (attempt, delay) in [0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.7].enumerated() {
            let process = Process()
            process.executableURL = Run.fabricscope
            process.arguments = ["history", "add", "--db", database, "--label", "killed-\(attempt)", nights[1]]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(try Nights.sqlite(database, "PRAGMA integrity_check"), "ok", "after a kill at \(delay) s")
            XCTAssertEqual(try Nights.sqlite(database, "SELECT count(*) FROM run WHERE label = 'first'"), "1")
            let present = try Nights.sqlite(database, "SELECT count(*) FROM run WHERE label = 'killed-\(attempt)'")
            if present == "1" {
                landed += 1
                XCTAssertNotEqual(try Nights.sqlite(database, """
                    SELECT count(*) FROM run_metric JOIN run ON run.id = run_id WHERE label = 'killed-\(attempt)'
                    """), "0", "a run that landed has its metrics")
            }
        }
        // The reader works after all that, and the history takes new runs.
        XCTAssertEqual(try Run.fabricscope(["history", "add", "--db", database, "--label", "after", nights[0]]).status, 0)
        XCTAssertEqual(try Nights.sqlite(database, "SELECT count(*) FROM run"), String(2 + landed))
    }

    /// One summary file is stored as it was written (not encoded again), whatever its
    /// version, and measures the same as that summary encoded by this build.
    func testOneSummaryFileIsStoredAsWrittenAndMeasuresTheSame() throws {
        let directory = try Run.scratchDirectory()
        let database = directory.appendingPathComponent("h.db").path
        for version in ["v1", "v2"] {
            let file = Run.fixture("summaries/\(version)-ring4-faults.json")
            let encoded = directory.appendingPathComponent("\(version)-encoded.json").path
            let merged = try Run.fabricscope(["merge", file, "--summary-out", encoded, "-o", "/dev/null"])
            XCTAssertEqual(merged.status, 0, merged.stderr)
            for (label, input) in [(version, file), ("\(version)-encoded", encoded)] {
                let added = try Run.fabricscope(["history", "add", "--db", database, "--label", label, input])
                XCTAssertEqual(added.status, 0, added.stderr)
                XCTAssertEqual(try Nights.sqlite(database, "SELECT summary = CAST(readfile('\(input)') AS TEXT) FROM run "
                    + "WHERE label = '\(label)'"), "1", "\(label) is stored as its file")
            }
            func metrics(_ label: String) throws -> String {
                try Nights.sqlite(database, "SELECT scope, src, dst, metric, value FROM run_metric WHERE run_id = "
                    + "(SELECT id FROM run WHERE label = '\(label)') ORDER BY scope, src, dst, metric")
            }
            let stored = try metrics(version)
            XCTAssertGreaterThan(stored.split(separator: "\n").count, 20, version)
            XCTAssertEqual(stored, try metrics("\(version)-encoded"), version)
            let show = try Run.fabricscope(["history", "show", "--db", database, version])
            XCTAssertEqual(show.status, 0, show.stderr)
        }
        // The encoded copy of the version 1 file is version 2.
        XCTAssertTrue(try String(contentsOfFile: directory.appendingPathComponent("v1-encoded.json").path, encoding: .utf8)
            .contains(#""version":2"#))
    }

    /// Two `history add` at once (cron overlapping, two Slurm merge steps): both land.
    func testConcurrentWritersBothLand() throws {
        let directory = try Run.scratchDirectory()
        let nights = try Nights.generate(directory, count: 2, seed: 800)
        let database = directory.appendingPathComponent("h.db").path
        let processes = nights.enumerated().map { index, night -> Process in
            let process = Process()
            process.executableURL = Run.fabricscope
            process.arguments = ["history", "add", "--db", database, "--label", "parallel-\(index)", night]
            process.standardOutput = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        XCTAssertEqual(try Nights.sqlite(database, "SELECT group_concat(label, ' ') FROM (SELECT label FROM run ORDER BY label)"),
                       "parallel-0 parallel-1")
        XCTAssertEqual(try Nights.sqlite(database, "PRAGMA journal_mode"), "wal")
    }
}
