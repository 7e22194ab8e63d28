import TestSupport
import Foundation
import XCTest

/// Nothing a user has is lost or changed without asking: devices and FIFOs are
/// written into, links are not replaced, a missing directory is named, and two
/// outputs of one command never land in one file.
final class OutputFileTests: XCTestCase {
    let capture = Run.fixture("generated/ring4-faults.pcap")

    /// The case: `-o /dev/null --force` as root replaced /dev/null with a file.
    func testDeviceIsWrittenIntoNotReplaced() throws {
        for arguments in [["-o", "/dev/null"], ["-o", "/dev/null", "--force"]] {
            let result = try Run.fabricscope(["analyze", capture] + arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
            XCTAssertEqual(type, .typeCharacterSpecial, "/dev/null is still a device")
        }
    }

    func testFIFOIsWrittenInPlace() throws {
        let directory = try Run.scratchDirectory()
        let fifo = directory.appendingPathComponent("out.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        let pipe = Pipe()
        reader.standardOutput = pipe
        try reader.run()
        let result = try Run.fabricscope(["analyze", capture, "-T", "csv", "-o", fifo])
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(text.hasPrefix("src,dst,dest_qp"), text)
        var status = stat()
        XCTAssertEqual(lstat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO)
    }

    func testSymbolicLinksAreNotReplaced() throws {
        let directory = try Run.scratchDirectory()
        let target = directory.appendingPathComponent("target.txt").path
        let link = directory.appendingPathComponent("link.txt").path
        let dangling = directory.appendingPathComponent("dangling.txt").path
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory.appendingPathComponent("nowhere").path)
        for path in [link, dangling] {
            let refused = try Run.fabricscope(["analyze", capture, "-o", path])
            XCTAssertEqual(refused.status, 2)
            XCTAssertTrue(refused.stderr.contains("symbolic link") && refused.stderr.contains("--force"), refused.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep me\n")
        let forced = try Run.fabricscope(["analyze", capture, "-o", link, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stderr.contains("is a symbolic link: writing"), forced.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target, "the link is still a link")
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).contains("TOTAL"))
    }

    func testMissingDirectoryIsNamed() throws {
        let result = try Run.fabricscope(["analyze", capture, "-o", "/missing/dir/x.txt"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("the directory /missing/dir does not exist"), result.stderr)
    }

    func testTwoOutputsNeverOneFile() throws {
        let directory = try Run.scratchDirectory()
        let same = directory.appendingPathComponent("same.out").path
        let analyze = try Run.fabricscope(["analyze", capture, "-o", same, "--summary-out", same])
        XCTAssertEqual(analyze.status, 2)
        XCTAssertTrue(analyze.stderr.contains("same file"), analyze.stderr)
        let report = try Run.fabricscope(["report", capture, "-o", same, "--markdown", same])
        XCTAssertEqual(report.status, 2)
        XCTAssertTrue(report.stderr.contains("same file"), report.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: same), "nothing written")
    }

    /// A full disk ends with a message and status 2, not a trap.
    func testFullDeviceIsAnError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let result = try Run.fabricscope(["analyze", capture, "-o", "/dev/full"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("/dev/full") && result.stderr.contains("No space"), result.stderr)
    }

    /// A replaced file is replaced whole: no temporary file is left beside it.
    func testReplacementLeavesNoTemporaryFile() throws {
        let directory = try Run.scratchDirectory()
        let out = directory.appendingPathComponent("r.json").path
        XCTAssertEqual(try Run.fabricscope(["analyze", capture, "-T", "json", "-o", out]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["analyze", capture, "-T", "json", "-o", out, "--force"]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["r.json"])
    }

    /// A report and a summary long enough to be written a wave of flows at a time
    /// (6,000 flows): standard output, a file and a replaced file hold the same text,
    /// which is whole JSON listing every flow; the summary reads back to the same
    /// report; and a device that fills up is an error naming it.
    func testStreamedReportsAreWholeWherever() throws {
        let (directory, pcap) = try Run.flowsCapture(connections: 3_000, packets: 24_000)
        let out = directory.appendingPathComponent("r.json").path, summary = directory.appendingPathComponent("s.json").path
        let printed = try Run.fabricscope(["analyze", pcap, "-T", "json"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(try Run.fabricscope(["analyze", pcap, "-T", "json", "-o", out, "--summary-out", summary]).status, 0)
        let written = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(written, printed.stdout)
        let flows = try XCTUnwrap(try printed.json()["flows"] as? [Any])
        XCTAssertEqual(flows.count, 6_000)
        XCTAssertTrue(written.hasSuffix("}\n"))

        XCTAssertEqual(try Run.fabricscope(["analyze", pcap, "-T", "json", "-o", out, "--force"]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), printed.stdout)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)), ["flows.pcap", "r.json", "s.json"])

        let merged = try Run.fabricscope(["merge", summary, "-T", "json"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try XCTUnwrap(try merged.json()["flows"] as? [Any]) as NSArray, flows as NSArray)

        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let full = try Run.fabricscope(["analyze", pcap, "-T", "json", "-o", "/dev/full"])
        XCTAssertEqual(full.status, 2, full.stderr)
        XCTAssertTrue(full.stderr.contains("/dev/full") && full.stderr.contains("No space"), full.stderr)
    }

    /// `generate` writes its capture beside the target and renames it: replacing one
    /// leaves no temporary file, and a device stays a device.
    func testGenerateWritesAtomically() throws {
        let directory = try Run.scratchDirectory()
        let out = directory.appendingPathComponent("g.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", out, "--size", "64KiB"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        XCTAssertEqual(try Run.fabricscope(["generate", out, "--size", "64KiB", "--seed", "2", "--force"]).status, 0)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: out)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["g.pcap"])
        XCTAssertEqual(try Run.fabricscope(["generate", "/dev/null", "--size", "64KiB"]).status, 0)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType,
                       .typeCharacterSpecial)
    }
}
