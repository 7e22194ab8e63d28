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
