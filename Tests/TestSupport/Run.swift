import Foundation
import XCTest

/// Runs programs the way a user would, capturing exit status and output.
public struct RunResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// stdout parsed as a JSON object.
    public func json(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], "stdout is not a JSON object", file: file, line: line)
    }
}

public enum Run {
    public static let repository = TestPaths.repository

    public static func fixture(_ name: String) -> String { repository.appendingPathComponent("Fixtures/" + name).path }

    /// The `fabricscope` executable SwiftPM built beside the test bundle.
    public static var fabricscope: URL {
        // On Linux the bundle URL is the build directory itself; on macOS, the .xctest bundle in it.
        let bundle = Bundle(for: Marker.self).bundleURL
        let directory = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return directory.appendingPathComponent("fabricscope")
    }

    public final class Marker {}

    public static func fabricscope(_ arguments: [String], stdin: URL? = nil) throws -> RunResult {
        try program(fabricscope, arguments, stdin: stdin)
    }

    public static func program(_ executable: URL, _ arguments: [String], stdin: URL? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let directory = FileManager.default.temporaryDirectory
        let out = directory.appendingPathComponent("fabricscope-test-\(UUID().uuidString).out")
        let err = directory.appendingPathComponent("fabricscope-test-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
        try process.run()
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// A capture of `2 × connections` flows (WRITEs and their ACKs, round robin),
    /// written by the flows benchmark's own generator (`scripts/bench/make_flows.py`)
    /// into a fresh directory; returns the directory and the capture's path.
    public static func flowsCapture(connections: Int, packets: Int) throws -> (directory: URL, path: String) {
        let directory = try scratchDirectory()
        let path = directory.appendingPathComponent("flows.pcap").path
        let made = try program(URL(fileURLWithPath: "/usr/bin/python3"), [
            repository.appendingPathComponent("scripts/bench/make_flows.py").path, path, String(connections), String(packets),
        ])
        guard made.status == 0 else { throw RunFailure("make_flows.py exited \(made.status): \(made.stderr)") }
        return (directory, path)
    }

    /// A fresh empty directory for files a test writes, inside `scratchRoot`.
    public static func scratchDirectory() throws -> URL {
        let url = scratchRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One directory for this test process's scratch directories, removed when the
    /// process exits. Why: each was left behind, and a run of the tests left about
    /// 1.5 GB of captures and reports in the temporary directory, every run.
    static let scratchRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fabricscope-tests-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: Run.scratchRoot) }
        return url
    }()
}

/// A helper program a test needed that did not do its work.
public struct RunFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One row of per-flow results, keyed as both FabricScope and tshark can express it.
public struct FlowCount: Equatable, CustomStringConvertible {
    public var packets = 0
    public var wireBytes = 0
    public var description: String { "\(packets) packets, \(wireBytes) bytes" }
}

extension RunResult {
    /// `src dst qp` → counts, from `analyze --format json`.
    public func flowCounts() throws -> [String: FlowCount] {
        let flows = try XCTUnwrap(try json()["flows"] as? [[String: Any]])
        var counts: [String: FlowCount] = [:]
        for flow in flows {
            let key = "\(flow["src"]!) \(flow["dst"]!) \(flow["dest_qp"]!)"
            counts[key] = FlowCount(packets: flow["packets"] as! Int, wireBytes: flow["wire_bytes"] as! Int)
        }
        return counts
    }
}
