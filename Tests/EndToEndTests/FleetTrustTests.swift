import TestSupport
import Foundation
import XCTest

/// What goes wrong when captures are combined: two runs read as one capture, and a
/// bad link hidden by pooling it with healthy ones.
final class FleetTrustTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try Run.scratchDirectory() }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func generate(_ name: String, _ options: [String]) throws {
        let result = try Run.fabricscope(["generate", path(name)] + options)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Two runs of the same job (same QP numbers) given to one `analyze`: the PSNs
    /// start over, which is said, and not read as thousands of retransmissions.
    func testTwoRunsReadTogetherAreNamedNotRetransmissions() throws {
        try generate("a.pcap", ["--ranks", "4", "--size", "1MiB", "--seed", "3"])
        try generate("b.pcap", ["--ranks", "4", "--size", "1MiB", "--seed", "4"])
        let together = try Run.fabricscope(["analyze", "-T", "json", path("a.pcap"), path("b.pcap")])
        XCTAssertEqual(together.status, 0, together.stderr)
        XCTAssertTrue(together.stderr.contains("start over in another input file"), together.stderr)
        XCTAssertTrue(together.stderr.contains("average more than the link speed"), together.stderr)
        let flows = try XCTUnwrap(try together.json()["flows"] as? [[String: Any]])
        let retransmitted = flows.compactMap { $0["retransmitted_packets"] as? Int }
        XCTAssertEqual(retransmitted.count, 4)
        XCTAssertEqual(retransmitted, [0, 0, 0, 0], "neither run lost a packet")
        // Each run alone: no warning.
        let alone = try Run.fabricscope(["analyze", path("a.pcap")])
        XCTAssertFalse(alone.stderr.contains("warning"), alone.stderr)
    }

    /// A link losing 2 % stays "bad" in the report of a merged fleet: the verdict
    /// names the worst link, not the pooled share.
    func testBadLinkStaysBadWhenHealthyJobsAreMerged() throws {
        // (A 128-byte snaplen spares the generator the ICRC over every payload.)
        try generate("lossy.pcap", ["--ranks", "2", "--size", "1MiB", "--loss", "0.02", "--seed", "11", "--snaplen", "128"])
        try generate("healthy1.pcap", ["--ranks", "8", "--size", "8MiB", "--seed", "12", "--host-offset", "10", "--snaplen", "128"])
        try generate("healthy2.pcap", ["--ranks", "8", "--size", "8MiB", "--seed", "13", "--host-offset", "20", "--snaplen", "128"])
        for name in ["lossy", "healthy1", "healthy2"] {
            let result = try Run.fabricscope(["analyze", path("\(name).pcap"), "--summary-out", path("\(name).json")])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        func lossVerdict(_ summary: String) throws -> String {
            let html = path(UUID().uuidString + ".html")
            let result = try Run.fabricscope(["report", summary, "-o", html])
            XCTAssertEqual(result.status, 0, result.stderr)
            let markdown = try String(contentsOfFile: html.replacingOccurrences(of: ".html", with: ".md"), encoding: .utf8)
            return try XCTUnwrap(markdown.split(separator: "\n").first { $0.hasPrefix("- **Loss**") }.map(String.init))
        }
        let alone = try lossVerdict(path("lossy.json"))
        XCTAssertTrue(alone.contains("(bad)"), alone)
        let merge = try Run.fabricscope(["merge", path("lossy.json"), path("healthy1.json"), path("healthy2.json"),
                                         "--summary-out", path("fleet.json")])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let fleet = try lossVerdict(path("fleet.json"))
        XCTAssertTrue(fleet.contains("(bad)"), fleet)
        XCTAssertTrue(fleet.contains("worst link 10.0.0."), fleet)
        XCTAssertFalse(fleet.contains("worst link 10.0.0.1") && fleet.contains("10.0.0.11"), fleet)
        XCTAssertTrue(fleet.contains("1 link(s) bad") || fleet.contains("2 link(s) bad"), fleet)
        // Pooled, the fleet is under the 1 % line: exactly what the old verdict reported.
        let pooled = try XCTUnwrap(fleet.split(separator: " ").last.flatMap { Double($0.dropLast()) })
        XCTAssertLessThan(pooled, 1, fleet)
    }
}
