import TestSupport
import Foundation
import XCTest

/// `merge` of per-capture summaries against analysing the captures together.
final class MergeTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Run.scratchDirectory()
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func generate(_ name: String, _ options: [String]) throws {
        let result = try Run.fabricscope(["generate", path(name)] + options)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testMergedSummariesOfDifferentJobsEqualOneAnalysis() throws {
        try generate("a.pcap", ["--ranks", "4", "--size", "2MiB", "--loss", "0.002", "--ce", "0.05", "--pfc", "2", "--seed", "5"])
        try generate("b.pcap", ["--ranks", "3", "--size", "1MiB", "--loss", "0.003", "--ce", "0.03", "--pfc", "3",
                                "--seed", "6", "--host-offset", "10", "--ipv6"])
        try generate("c.pcap", ["--ranks", "2", "--size", "256KiB", "--seed", "7", "--host-offset", "20", "--snaplen", "128"])
        for name in ["a", "b", "c"] {
            let result = try Run.fabricscope(["analyze", path("\(name).pcap"), "--summary-out", path("\(name).json")])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let together = try Run.fabricscope(["analyze", "-T", "json", path("a.pcap"), path("b.pcap"), path("c.pcap")])
        let merged = try Run.fabricscope(["merge", "-T", "json", path("a.json"), path("b.json"), path("c.json")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(merged.stdout, together.stdout, "byte for byte")
        XCTAssertGreaterThan((try merged.json()["flows"] as? [Any])?.count ?? 0, 15)
        // With --top, JSON and CSV build entries for the listed flows alone: the same text.
        for format in ["json", "csv"] {
            let top = try Run.fabricscope(["merge", "-T", format, "--top", "3", path("a.json"), path("b.json"), path("c.json")])
            let analyzed = try Run.fabricscope(["analyze", "-T", format, "--top", "3", path("a.pcap"), path("b.pcap"), path("c.pcap")])
            XCTAssertEqual(top.status, 0, top.stderr)
            XCTAssertEqual(top.stdout, analyzed.stdout, "--top 3, \(format)")
            XCTAssertFalse(top.stdout.isEmpty)
        }

        // Merging in stages gives the same: (a + b) + c.
        let stage = try Run.fabricscope(["merge", path("a.json"), path("b.json"), "--summary-out", path("ab.json")])
        XCTAssertEqual(stage.status, 0, stage.stderr)
        let staged = try Run.fabricscope(["merge", "-T", "json", path("ab.json"), path("c.json")])
        XCTAssertEqual(staged.stdout, together.stdout)
    }

    func testSameFlowsAddExactly() throws {
        try generate("a.pcap", ["--ranks", "3", "--size", "1MiB", "--loss", "0.002", "--seed", "9"])
        XCTAssertEqual(try Run.fabricscope(["analyze", path("a.pcap"), "--summary-out", path("a.json")]).status, 0)
        let single = try Run.fabricscope(["merge", "-T", "json", path("a.json")]).json()
        // Refused by default: the same flows over the same time would be counted twice.
        let refused = try Run.fabricscope(["merge", "-T", "json", path("a.json"), path("a.json")])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("over the same time") && refused.stderr.contains("--allow-overlap"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        let twice = try Run.fabricscope(["merge", "-T", "json", "--allow-overlap", path("a.json"), path("a.json")]).json()
        let one = try XCTUnwrap(single["flows"] as? [[String: Any]]), two = try XCTUnwrap(twice["flows"] as? [[String: Any]])
        XCTAssertEqual(one.count, two.count)
        for (a, b) in zip(one, two) {
            XCTAssertEqual((b["packets"] as! Int), 2 * (a["packets"] as! Int))
            if let latency = a["ack_latency_ns"] as? [String: Any] {
                let doubled = try XCTUnwrap(b["ack_latency_ns"] as? [String: Any])
                XCTAssertEqual(doubled["count"] as? Int, 2 * (latency["count"] as! Int))
                for key in ["min", "p50", "p99", "max"] { XCTAssertEqual(doubled[key] as? Int, latency[key] as? Int, key) }
            }
            // The same windows twice: twice the bytes in the busiest window.
            let peakA = (a["throughput_bps"] as! [String: Any])["peak"] as! Double
            let peakB = (b["throughput_bps"] as! [String: Any])["peak"] as! Double
            XCTAssertEqual(peakB, 2 * peakA, accuracy: 1e-6 * peakB)
        }
    }

    func testBadSummariesAreRefusedWithTheFileNamed() throws {
        try generate("a.pcap", ["--ranks", "2", "--size", "64KiB"])
        XCTAssertEqual(try Run.fabricscope(["analyze", path("a.pcap"), "--summary-out", path("a.json")]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["analyze", path("a.pcap"), "--window", "1ms", "--summary-out", path("w.json")]).status, 0)
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: path("other.json")))
        var truncated = try Data(contentsOf: URL(fileURLWithPath: path("a.json")))
        truncated.removeLast(truncated.count / 2)
        try truncated.write(to: URL(fileURLWithPath: path("cut.json")))
        for (file, problem) in [("other.json", "not a FabricScope summary"), ("cut.json", "not a FabricScope summary"),
                                ("missing.json", "cannot read"), ("w.json", "different --window")] {
            let result = try Run.fabricscope(["merge", path("a.json"), path(file)])
            XCTAssertEqual(result.status, 2, file)
            XCTAssertTrue(result.stderr.contains(file) && result.stderr.contains(problem), result.stderr)
        }
    }
}
