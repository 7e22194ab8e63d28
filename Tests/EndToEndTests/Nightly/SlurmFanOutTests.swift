import TestSupport
import Foundation
import XCTest

/// The fan-out recipe run for real on a single-node Slurm cluster
/// (scripts/slurm/start-cluster.sh, Debian's slurm-wlm and munge): a job array
/// analyses one node's capture per task, a dependent job merges the summaries into
/// the night and judges it. Missing Slurm fails under CI, skips elsewhere.
final class SlurmFanOutTests: XCTestCase {
    func testJobArrayThenNightly() throws {
        _ = try Nights.require("sbatch", probe: [])
        _ = try Nights.require("slurmd", probe: ["-V"])
        _ = try Nights.require("munged", probe: ["--version"])
        guard getuid() == 0 else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("the Slurm test needs root (slurmd)") }
            throw XCTSkip("the Slurm test needs root to start slurmd")
        }
        let scripts = Run.repository.appendingPathComponent("scripts/slurm")
        let started = Date()
        // Stopped on every path: a failed assertion, a thrown error or a half-started cluster.
        addTeardownBlock {
            let stop = try Run.program(scripts.appendingPathComponent("stop-cluster.sh"), [])
            XCTAssertEqual(stop.status, 0, stop.stdout + stop.stderr)
            for daemon in ["slurmd", "slurmctld"] {
                let left = try Run.program(URL(fileURLWithPath: "/usr/bin/pgrep"), ["-x", daemon])
                XCTAssertNotEqual(left.status, 0, "\(daemon) still runs after the test")
            }
        }
        let start = try Run.program(scripts.appendingPathComponent("start-cluster.sh"), [])
        XCTAssertEqual(start.status, 0, start.stdout + start.stderr)
        guard start.status == 0 else { return }

        // Eight nodes, each holding the capture of its own 4-rank ring.
        let directory = try Run.scratchDirectory()
        var captures: [String] = []
        for node in 0..<8 {
            captures.append(try CompareRuns.generate(directory, "node\(node)", seed: 1000 + node,
                                                     ["--host-offset", String(node * 4)]))
        }
        let database = directory.appendingPathComponent("fabric.db").path
        let prometheus = directory.appendingPathComponent("fabricscope.prom").path
        let fanout = try Run.program(scripts.appendingPathComponent("fanout.sh"), [
            "--db", database, "--label", "2026-12-01", "--out", directory.appendingPathComponent("slurm").path,
            "--bin", Run.fabricscope.path] + captures + ["--", "--prometheus", prometheus])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(fanout.status, 0, fanout.stdout + fanout.stderr)
        XCTAssertTrue(fanout.stdout.contains("submitted array"), fanout.stdout)
        XCTAssertTrue(fanout.stdout.contains("2026-12-01: fabric OK"), fanout.stdout)
        // The night holds every node's flows: 8 rings × 8 flows.
        XCTAssertEqual(try Nights.sqlite(database, "SELECT flows FROM run WHERE label = '2026-12-01'"), "64")
        XCTAssertEqual(try Nights.sqlite(database, "SELECT count(*) FROM run_metric WHERE metric = 'throughput_bps' AND scope = 'link'"), "32")
        XCTAssertTrue(FileManager.default.fileExists(atPath: prometheus))
        print("slurm fan-out: cluster start to a judged 8-task night in \(String(format: "%.1f", seconds)) s")
    }
}
