import TestSupport
import FabricModels
import Foundation
import XCTest

/// The HTML and Markdown report: self-contained, verdicts first, every section
/// present, and nothing overwritten without --force. (How it looks is checked in a
/// real browser by scripts/report-screenshot.sh.)
final class ReportCommandTests: XCTestCase {
    func testSelfContainedReportWithAllSections() throws {
        let directory = try Run.scratchDirectory()
        let html = directory.appendingPathComponent("r.html").path
        let result = try Run.fabricscope(["report", Run.fixture("generated/ring4-faults.pcap"), "-o", html, "--window", "10us"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let markdown = try String(contentsOfFile: directory.appendingPathComponent("r.md").path, encoding: .utf8)
        let order = ["<h2>Summary</h2>", "<h2>Flows</h2>", "<h2>Latency</h2>", "<h2>Throughput</h2>",
                     "<h2>Congestion</h2>", "Collective model</h2>", "<h2>Limits</h2>"]
        let positions = try order.map { try XCTUnwrap(page.range(of: $0)?.lowerBound, $0) }
        XCTAssertEqual(positions, positions.sorted(), "sections in reading order")
        XCTAssertEqual(page.components(separatedBy: "<svg").count - 1, 4, "percentiles, CDF, throughput, congestion")
        XCTAssertTrue(page.contains("Ring all-reduce over <b>4</b> ranks"))
        XCTAssertTrue(page.contains("PFC frames"), "PFC on the congestion timeline")
        XCTAssertTrue(page.contains("class=\"verdict"))
        // Nothing to fetch: no scripts, no external resources.
        XCTAssertFalse(page.contains("<script"))
        XCTAssertFalse(page.contains("src="))
        XCTAssertNil(page.range(of: #"href="http"#, options: .regularExpression))
        XCTAssertTrue(markdown.hasPrefix("# FabricScope report"))
        XCTAssertTrue(markdown.contains("## Summary") && markdown.contains("**Loss**") && markdown.contains("| src | dst |"))

        let again = try Run.fabricscope(["report", Run.fixture("generated/ring4-faults.pcap"), "-o", html])
        XCTAssertEqual(again.status, 2, "an existing report is kept without --force")
    }

    func testReportFromASummary() throws {
        let directory = try Run.scratchDirectory()
        let summary = directory.appendingPathComponent("s.json").path
        XCTAssertEqual(try Run.fabricscope(["analyze", Run.fixture("generated/ring4-faults.pcap"), "--summary-out", summary]).status, 0)
        let html = directory.appendingPathComponent("from-summary.html").path
        let result = try Run.fabricscope(["report", summary, "-o", html])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("<h2>Throughput</h2>"))
    }

    private func verdict(_ topic: String, of capture: String) throws -> String {
        let directory = try Run.scratchDirectory()
        let html = directory.appendingPathComponent("r.html").path
        let result = try Run.fabricscope(["report", capture, "-o", html])
        XCTAssertEqual(result.status, 0, result.stderr)
        let markdown = try String(contentsOfFile: directory.appendingPathComponent("r.md").path, encoding: .utf8)
        return try XCTUnwrap(markdown.split(separator: "\n").first { $0.hasPrefix("- **\(topic)**") }.map(String.init))
    }

    /// The clean ibdump capture: 30 samples of a 2 µs median at 1 µs resolution once read
    /// "bad" (p99 = its maximum, 9.5× a two-tick median). Not a tail to judge.
    func testTailVerdictNeedsSamplesAndTicks() throws {
        let real = try verdict("Tail latency", of: SharedCaptures.path("ib2-erf-cm.pcap"))
        XCTAssertTrue(real.contains("(info)") && real.contains("no tail to judge"), real)
        // 120 samples per flow at ns resolution: judged, both ways.
        let directory = try Run.scratchDirectory()
        for (jitter, level) in [("0", "(ok)"), ("5us", "(bad)")] {
            let capture = directory.appendingPathComponent("j\(jitter).pcap").path
            let generated = try Run.fabricscope(["generate", capture, "--iterations", "20", "--size", "64KiB",
                                                 "--jitter", jitter, "--snaplen", "128"])
            XCTAssertEqual(generated.status, 0, generated.stderr)
            let judged = try verdict("Tail latency", of: capture)
            XCTAssertTrue(judged.contains(level) && judged.contains("over 120 request→ACK samples"), judged)
        }
    }

    /// Both ends of the IB connection use QP 0x29, so one flow carries requests and the
    /// other direction's responses: the loss verdict counts requests only, as tshark does.
    func testLossVerdictCountsRequestsOnly() throws {
        let path = try SharedCaptures.path("ib2-erf-cm.pcap")
        let requests = try XCTUnwrap(try TSharkTransport(file: path, microseconds: false).requestStreams()["lid:12 lid:18 41"])
        let loss = try verdict("Loss", of: path)
        XCTAssertTrue(loss.contains("worst link lid:12 → lid:18: 0 of \(requests.psns.count) request packets"), loss)
        XCTAssertEqual(requests.psns.count, 40)
    }
}
