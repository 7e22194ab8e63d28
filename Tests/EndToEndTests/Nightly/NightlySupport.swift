import TestSupport
import Foundation
import XCTest

/// Nights of the same generated job for `nightly`/`health` tests (the job of
/// `CompareRuns`: a 4-rank ring, 100 iterations of 64 KiB, snaplen 128).
enum Nights {
    /// Writes `count` nights into `directory` and returns their paths.
    static func generate(_ directory: URL, count: Int, seed: Int, _ extra: [String] = []) throws -> [String] {
        let result = try Run.fabricscope(["generate", directory.path, "--nights", String(count), "--seed", String(seed)]
            + CompareRuns.job.filter { $0 != "--random-qps" } + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return (1...count).map { directory.appendingPathComponent(String(format: "night-%02d.pcap", $0)).path }
    }

    /// A checker the tests rely on; missing under CI is a failure, elsewhere a skip.
    /// `probe` (arguments that must succeed) is skipped when empty: some programs
    /// cannot run before their configuration exists.
    static func require(_ program: String, probe: [String]) throws -> URL {
        for directory in ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(program)
            guard FileManager.default.isExecutableFile(atPath: url.path) else { continue }
            if probe.isEmpty { return url }
            if let result = try? Run.program(url, probe), result.status == 0 { return url }
        }
        if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("\(program) is missing (scripts/setup.sh --test installs it)") }
        throw XCTSkip("\(program) is not installed")
    }

    /// `sqlite3 DB SQL`: the command-line shell, an independent reader of the file.
    static func sqlite(_ database: String, _ sql: String) throws -> String {
        let sqlite3 = try require("sqlite3", probe: ["-version"])
        let result = try Run.program(sqlite3, [database, sql])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
