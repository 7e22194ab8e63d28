import TestSupport
import Foundation
import XCTest

/// Inputs that once crashed, hung or misled (Fixtures/hostile, written by
/// scripts/fixtures/make_hostile.py): each ends with status 0 or 2 and a message that
/// says what is wrong, within 60 s and 2 GiB of address space.
final class HostileInputTests: XCTestCase {
    /// Runs fabricscope under `timeout` and `ulimit -v`: a hang or runaway memory fails
    /// the test instead of the suite.
    func bounded(_ arguments: [String], stdin: String? = nil) throws -> RunResult {
        let quoted = ([Run.fabricscope.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let input = stdin.map { " < '\($0)'" } ?? ""
        let script = "ulimit -v 2097152; exec timeout 60 " + quoted.joined(separator: " ") + input
        let result = try Run.program(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        XCTAssertNotEqual(result.status, 124, "hung: \(arguments)")
        XCTAssertTrue(result.status == 0 || result.status == 2, "status \(result.status) (a crash?) for \(arguments): \(result.stderr)")
        XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Backtracing"), result.stderr)
        return result
    }

    func hostile(_ name: String) -> String { Run.fixture("hostile/" + name) }

    func testTimestampsBeyondWhatIsRepresented() throws {
        for name in ["far-future.pcapng", "far-past.pcapng"] {
            let result = try bounded(["analyze", hostile(name)])
            XCTAssertEqual(result.status, 0)
            // Said once, at the end of the table (standard error carries it for JSON and CSV).
            XCTAssertTrue(result.stdout.contains("outside the years 1823–2116"), result.stdout)
        }
    }

    /// One frame, then a 2 µs burst an hour later: the report's axes once looped forever.
    func testReportOfABurstFarFromTheStart() throws {
        let directory = try Run.scratchDirectory()
        let html = directory.appendingPathComponent("r.html").path
        let result = try bounded(["report", hostile("burst-an-hour-later.pcap"), "-o", html])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("<svg"))
    }

    func testDamagedInputsSayWhat() throws {
        for (name, message) in [("corrupt.pcap.gz", "a damaged gzip stream"), ("bad-crc.pcap.gz", "a damaged gzip stream"),
                                ("four-bytes.pcap", "the input holds 4 byte(s), a pcap header needs 24")] {
            let result = try bounded(["analyze", hostile(name)])
            XCTAssertEqual(result.status, 2, name)
            XCTAssertTrue(result.stderr.contains(hostile(name)) && result.stderr.contains(message), result.stderr)
        }
        let directory = try bounded(["analyze", "-"], stdin: "/tmp")
        XCTAssertTrue(directory.stderr.contains("standard input is a directory"), directory.stderr)
        let damaged = try bounded(["analyze", "-"], stdin: hostile("corrupt.pcap.gz"))
        XCTAssertTrue(damaged.stderr.contains("a damaged gzip stream"), damaged.stderr)
    }

    /// Summaries are checked before use: the file and the field are named.
    func testLyingSummariesAreRefusedWithTheField() throws {
        let cases = [
            ("summary-negative-count.json", "field flows[0].counters.packets: -5 is negative"),
            ("summary-duplicate-flow.json", "appears twice"),
            ("summary-zero-window.json", "field windowNs: 0 ns is not a duration"),
            ("summary-huge-resolution.json", "field files[0].resolutionNs"),
            ("summary-near-int-max.json", "is beyond 2^53"),
            ("summary-negative-link-speed.json", "field linkBitsPerSecond"),
            // abs(Int64.min) trapped (SIGILL) in the span check.
            ("summary-span-int64-min.json", "field totals.startNs: -9223372036854775808 ns lies outside"),
            // Found by fuzz-summary: a jitter estimate of 9.3e81 ns trapped the CSV writer.
            ("summary-fuzz-huge-jitter.json", "jitter.smoothed"),
        ]
        for (name, message) in cases {
            let good = Run.fixture("summaries/v1-ring4-faults.json")
            for command in [["merge", hostile(name)], ["report", hostile(name), "-o", "/dev/null"],
                            ["model", "--from", hostile(name)], ["compare", good, hostile(name)],
                            ["history", "add", "--db", try Run.scratchDirectory().appendingPathComponent("h.db").path,
                             "--label", "x", hostile(name)]] {
                let result = try bounded(command)
                XCTAssertEqual(result.status, 2, "\(command)")
                XCTAssertTrue(result.stderr.contains(hostile(name)) && result.stderr.contains(message), result.stderr)
            }
        }
    }

    /// A capture with a header and no record (start and end still at their extremes):
    /// the report's time bins once overflowed on it (found by fuzz-packets).
    func testEmptyCaptureReport() throws {
        let directory = try Run.scratchDirectory()
        let empty = directory.appendingPathComponent("empty.pcap")
        var header = Data([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0])
        header += Data(repeating: 0, count: 8) + Data([0xff, 0xff, 0, 0, 1, 0, 0, 0])
        try header.write(to: empty)
        let html = directory.appendingPathComponent("r.html").path
        let result = try bounded(["report", empty.path, "-o", html])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("fabric: no verdict"))
        XCTAssertEqual(try bounded(["analyze", "-T", "json", empty.path]).status, 0)
    }

    /// Two sides holding the same runs in another order: the detectable change is
    /// unbounded, which once trapped converting it to an integer.
    func testCompareOfTheSameRunsSwapped() throws {
        let directory = try Run.scratchDirectory()
        let a = try CompareRuns.generate(directory, "a", seed: 81)
        let b = try CompareRuns.generate(directory, "b", seed: 82, ["--tail-link", "2:3", "--pfc", "3"])
        for format in ["table", "json", "markdown"] {
            let result = try bounded(["compare", "-T", format, "--baseline", a, "--baseline", b, "--candidate", b, "--candidate", a])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("no_change"), result.stdout)
        }
    }

    /// gzip through a pipe or a FIFO is read once, through zlib (it was reopened and lost).
    func testGzipThroughAFIFO() throws {
        let directory = try Run.scratchDirectory()
        let fifo = directory.appendingPathComponent("in.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/bash")
        writer.arguments = ["-c", "gzip -c '\(Run.fixture("generated/ring4-faults.pcap"))' > '\(fifo)'"]
        try writer.run()
        let result = try bounded(["analyze", "-T", "json", fifo])
        writer.waitUntilExit()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual((try result.json()["capture"] as? [String: Any])?["packets"] as? Int, 440)
    }

    /// A full standard output ends with a message and status 2, not a trap.
    func testFullStandardOutput() throws {
        let quoted = "'" + Run.fabricscope.path + "' analyze '" + Run.fixture("generated/ring4-faults.pcap") + "' > /dev/full"
        let result = try Run.program(URL(fileURLWithPath: "/bin/bash"), ["-c", quoted])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot write to standard output: No space left on device"), result.stderr)
    }

    /// Clamped timestamps at one tap and real ones at the other: no overflow in delays.
    func testTapsWithClampedTimestamps() throws {
        let result = try bounded(["analyze", "--tap", hostile("far-past.pcapng"), "--tap",
                                  Run.fixture("generated/ring4-faults.pcap")])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// `report -o /dev/null` writes no `/dev/null.md` beside the device.
    func testReportToADeviceWritesNoDerivedMarkdown() throws {
        let result = try bounded(["report", Run.fixture("generated/ring4-faults.pcap"), "-o", "/dev/null"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/null.md"))
        XCTAssertTrue(result.stderr.contains("wrote /dev/null\n"), result.stderr)
    }

    /// 70,000 PFC sources: beyond 65,536 tracked (MAC, priority) pairs, frames are counted only.
    func testManyPFCSourcesAreBounded() throws {
        var data = Data([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0])
        for i in 0..<70_000 {
            var frame: [UInt8] = [0x01, 0x80, 0xc2, 0, 0, 0x01, 0x02, 0xbb, UInt8(i >> 16), UInt8(i >> 8 & 0xff), UInt8(i & 0xff), 1]
            frame += [0x88, 0x08, 0x01, 0x01, 0x00, 0x08]  // MAC control, PFC, priority 3 enabled
            frame += [UInt8](repeating: 0, count: 6) + [0xff, 0xff] + [UInt8](repeating: 0, count: 8)
            frame += [UInt8](repeating: 0, count: 60 - frame.count)
            var record = [UInt8]()
            for value in [UInt32(1_700_000_000), UInt32(i), 60, 60] { withUnsafeBytes(of: value.littleEndian) { record += $0 } }
            data += record + frame
        }
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("pfc.pcap")
        try data.write(to: capture)
        let result = try bounded(["analyze", "-T", "json", capture.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("pause(s) from further sources were counted"), result.stderr)
        let json = try result.json()
        XCTAssertEqual((json["pfc"] as? [Any])?.count, 65_536)
        XCTAssertEqual((json["capture"] as? [String: Any])?["pfc_frames"] as? Int, 70_000)
    }
}
