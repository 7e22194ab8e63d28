import FabricCompare
import FabricHealth
@testable import FabricHistory
import FabricStats
import Foundation
import GRDB
import TestSupport
import XCTest

/// The run history in-process: what is stored comes back as stored, labels are
/// unique, the baseline is the runs before the judged one (filtered by tag), and
/// pruning removes exactly what it says.
final class RunHistoryTests: XCTestCase {
    static let faults: AnalysisSummary = try! Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")])
    static let usec: AnalysisSummary = try! Analysis().run([TestPaths.fixture("derived/ring4-faults-usec.pcap")])

    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    private func open() throws -> RunHistory { try RunHistory(path: directory.appendingPathComponent("h.db").path) }

    func testAStoredRunComesBackWithItsSummaryMetricsAndTags() throws {
        let history = try open()
        let stored = try history.store(label: "n1", summary: RunHistoryTests.faults, files: ["a.pcap"],
                                       tags: ["ecn": "kmin=100k"], replace: false)
        let runs = try history.runs()
        XCTAssertEqual(runs.map(\.label), ["n1"])
        XCTAssertEqual(runs[0].tags, ["ecn": "kmin=100k"])
        XCTAssertEqual(runs[0].files, ["a.pcap"])
        XCTAssertEqual(runs[0].packets, 440)
        XCTAssertEqual(runs[0].flows, RunHistoryTests.faults.flows.count)
        // The summary is stored whole: its metrics recomputed equal those stored.
        let summary = try history.summary(of: runs[0])
        XCTAssertEqual(summary.totals.packets, RunHistoryTests.faults.totals.packets)
        let again = try RunMetrics(summary: summary)
        let stored0 = try XCTUnwrap(try history.metrics(of: runs)[runs[0].id])
        XCTAssertEqual(stored0.count, stored.metrics.values.count)
        for value in stored.metrics.values {
            let read = try XCTUnwrap(stored0.first { $0.scope == value.scope && $0.metric == value.metric })
            XCTAssertEqual(read.value, value.value, accuracy: abs(value.value) * 1e-12, "\(value.metric.rawValue)")
            XCTAssertEqual(again.value(value.metric, value.scope) ?? .nan, value.value, accuracy: abs(value.value) * 1e-12)
        }
    }

    /// Issue 28, row 1: a 1.04 GB summary trapped inside GRDB ("string or blob too
    /// big", SIGILL). Over the limit the run is refused with the reason and nothing
    /// is written; the limit lowered here stands in for SQLite's 10⁹ bytes.
    func testASummaryOverSQLitesLimitIsRefusedWhole() throws {
        var history = try open()
        history.summaryLimitBytes = 10_000
        XCTAssertThrowsError(try history.store(label: "big", summary: RunHistoryTests.faults, files: [], tags: [:],
                                               replace: false)) { error in
            XCTAssertTrue("\(error)".contains("not stored: its summary is"), "\(error)")
            XCTAssertTrue("\(error)".contains("nothing was written"), "\(error)")
        }
        XCTAssertEqual(try history.runs().count, 0)
        history.summaryLimitBytes = 1_000_000_000
        XCTAssertNoThrow(try history.store(label: "big", summary: RunHistoryTests.faults, files: [], tags: [:], replace: false))
    }

    func testALabelIsStoredOnceUnlessReplaced() throws {
        let history = try open()
        _ = try history.store(label: "n1", summary: RunHistoryTests.faults, files: [], tags: [:], replace: false)
        XCTAssertThrowsError(try history.store(label: "n1", summary: RunHistoryTests.usec, files: [], tags: [:], replace: false)) {
            XCTAssertTrue("\($0)".contains("a run labelled 'n1' exists"), "\($0)")
        }
        XCTAssertThrowsError(try history.refuseExisting(label: "n1"))
        XCTAssertNoThrow(try history.refuseExisting(label: "n2"))
        _ = try history.store(label: "n1", summary: RunHistoryTests.usec, files: ["b"], tags: [:], replace: true)
        XCTAssertEqual(try history.runs().map(\.files), [["b"]])
    }

    func testTheBaselineIsTheRunsBeforeTheJudgedOneWithTheTag() throws {
        let history = try open()
        for (index, config) in ["a", "b", "a", "a", "b", "a"].enumerated() {
            _ = try history.store(label: "n\(index + 1)", summary: RunHistoryTests.faults, files: [], tags: ["config": config],
                                  replace: false)
        }
        var config = HealthConfig()
        config.baselineRuns = 2
        let latest = try history.judge(label: nil, config: config)
        XCTAssertEqual(latest.run.record.label, "n6")
        XCTAssertEqual(latest.baseline.map(\.label), ["n4", "n5"])
        XCTAssertEqual(latest.report.baseline, ["n4", "n5"])
        let tagged = try history.judge(label: "n5", config: config, baselineTag: ("config", "a"))
        XCTAssertEqual(tagged.baseline.map(\.label), ["n3", "n4"])
        // Identical nights: no baseline check can find a change.
        XCTAssertFalse(latest.report.checks.contains { $0.name.hasPrefix("baseline/") && $0.status != .ok })
        let trend = try history.trend(endingAt: tagged.run.record, count: 3)
        XCTAssertEqual(trend.map(\.label), ["n3", "n4", "n5"])
        XCTAssertFalse(trend[0].values.isEmpty)
    }

    func testJudgingNamesWhatIsMissing() throws {
        let history = try open()
        XCTAssertThrowsError(try history.judge(label: nil, config: HealthConfig())) {
            XCTAssertTrue("\($0)".contains("no runs yet"), "\($0)")
        }
        _ = try history.store(label: "n1", summary: RunHistoryTests.faults, files: [], tags: [:], replace: false)
        XCTAssertThrowsError(try history.judge(label: "n9", config: HealthConfig())) {
            XCTAssertTrue("\($0)".contains("no run labelled 'n9' (have: n1)"), "\($0)")
        }
    }

    /// Tonight's run is judged from what was stored, without reading it back, and
    /// agrees with judging it from the database.
    func testTonightJudgedInMemoryEqualsJudgedFromTheDatabase() throws {
        let history = try open()
        _ = try history.store(label: "n1", summary: RunHistoryTests.usec, files: [], tags: [:], replace: false)
        let tonight = try history.store(label: "n2", summary: RunHistoryTests.faults, files: [], tags: [:], replace: false)
        let inMemory = try history.judge(label: "n2", config: HealthConfig(), tonight: tonight)
        let read = try history.judge(label: "n2", config: HealthConfig())
        XCTAssertEqual(inMemory.report, read.report)
        XCTAssertEqual(read.report.status, .fail)
    }

    func testPruneKeepsTheNewest() throws {
        let history = try open()
        for index in 1...5 {
            _ = try history.store(label: "n\(index)", summary: RunHistoryTests.faults, files: [], tags: [:], replace: false)
        }
        XCTAssertEqual(try history.prune(keep: 2, addedBefore: nil), ["n1", "n2", "n3"])
        XCTAssertEqual(try history.runs().map(\.label), ["n4", "n5"])
        XCTAssertEqual(try history.prune(keep: nil, addedBefore: Date(timeIntervalSince1970: 0)), [])
        XCTAssertEqual(try history.prune(keep: nil, addedBefore: Date().addingTimeInterval(60)), ["n4", "n5"])
        XCTAssertEqual(try history.runs().count, 0)
    }
}

/// Issue 28, bad input: another program's SQLite database given as --db had our
/// tables migrated into it. It is refused, named, and left byte for byte as it was.
final class ForeignDatabaseTests: XCTestCase {
    func testAnotherProgramsDatabaseIsRefusedUntouched() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fabricscope-foreign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("inventory.db").path
        let other = try DatabaseQueue(path: path)
        try other.write { db in
            try db.execute(sql: "CREATE TABLE switches (name TEXT); INSERT INTO switches VALUES ('leaf1')")
        }
        try other.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunHistory(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not a FabricScope history (its tables: switches); nothing was changed"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        // An empty file and a history of our own open as before.
        let ours = directory.appendingPathComponent("fabric.db").path
        _ = try RunHistory(path: ours)
        XCTAssertNoThrow(try RunHistory(path: ours))
    }
}

/// Issue 28, bad input: a history that cannot be written (full disk, read-only file)
/// is named with the reason; nothing is half-written and earlier runs stay as they were.
final class UnwritableHistoryTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("history-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try FileManager.default.removeItem(at: directory)
    }

    /// SQLite's page cap gives the same SQLITE_FULL as a full disk, at a chosen moment.
    func testAFullDiskRollsTheNightBackAndKeepsEarlierRuns() throws {
        let history = try RunHistory(path: directory.appendingPathComponent("h.db").path)
        try history.add(label: "n1", summary: RunHistoryTests.faults, files: ["a.pcap"], tags: [:], replace: false)
        let before = try history.metrics(of: history.runs())
        try history.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)")
        }
        XCTAssertThrowsError(try history.add(label: "n2", summary: RunHistoryTests.usec, files: ["b.pcap"], tags: [:],
                                             replace: false)) { error in
            XCTAssertTrue("\(error)".contains("cannot add run 'n2': the disk is full (SQLite error 13); the run was rolled back"),
                          "\(error)")
        }
        XCTAssertEqual(try history.runs().map(\.label), ["n1"])
        XCTAssertEqual(try history.metrics(of: history.runs()), before)
    }

    func testAReadOnlyHistoryIsReadButNotWritten() throws {
        let path = directory.appendingPathComponent("h.db").path
        try RunHistory(path: path).add(label: "n1", summary: RunHistoryTests.faults, files: [], tags: [:], replace: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunHistory(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): the history is read-only (mode 444); nothing was added. "
                + "Make it writable (chmod u+w) or give another --db")
        }
        // Read-only it opens, and is left as it was (a directory no user may write:
        // ReportedProblemTests reads it as an unprivileged user).
        let reader = try RunHistory(path: path, access: .readOnly)
        XCTAssertEqual(try reader.runs().map(\.label), ["n1"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes)
    }
}
