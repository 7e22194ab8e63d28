import TestSupport
import Foundation
import XCTest

/// Options either work or are refused with a message that points the right way;
/// none silently does nothing.
final class OptionValidationTests: XCTestCase {
    let capture = Run.fixture("generated/ring4-faults.pcap")
    let summary = Run.fixture("summaries/v1-ring4-faults.json")

    private func refused(_ arguments: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Run.fabricscope(arguments)
        XCTAssertEqual(result.status, 2, "\(arguments)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
    }

    func testQuantitiesNeedUnitsAndSaneRanges() throws {
        try refused(["analyze", capture, "--window", "100"], "'100' has no unit; write it with one of ns, us")
        try refused(["analyze", capture, "--window", "inf"], "cannot read 'inf'")
        try refused(["analyze", capture, "--window", "-1"], "'-1' is negative")
        try refused(["analyze", capture, "--idle-gap", "1e19s"], "is out of range (1 ns to 86400 s)")
        try refused(["analyze", capture, "--link-speed", "1bps"], "is out of range")
        try refused(["analyze", capture, "--top", "-1"], "--top must be at least 1 (got -1)")
        try refused(["analyze", capture, "--top", "0"], "--top must be at least 1")
    }

    /// --threads changes how the work is shared, never the result.
    func testThreadsChangeNothingButTheWork() throws {
        try refused(["analyze", capture, "--threads", "0"], "--threads must be 1–8 (got 0)")
        try refused(["analyze", capture, "--threads", "9"], "--threads must be 1–8 (got 9)")
        let one = try Run.fabricscope(["analyze", capture, "-T", "json", "--threads", "1"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertGreaterThan(one.stdout.count, 1000)
        for threads in ["2", "4"] {
            let several = try Run.fabricscope(["analyze", capture, "-T", "json", "--threads", threads])
            XCTAssertEqual(several.status, 0, several.stderr)
            XCTAssertEqual(several.stdout, one.stdout, "--threads \(threads)")
        }
    }

    func testTimeseriesOnlyWhereItAppears() throws {
        try refused(["analyze", capture, "--timeseries"], "--timeseries adds per-window traffic to JSON output")
        try refused(["analyze", capture, "--timeseries", "-T", "csv"], "--timeseries-csv FILE")
        let json = try Run.fabricscope(["analyze", capture, "--timeseries", "-T", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertNotNil((try json.json()["flows"] as? [[String: Any]])?.first?["timeseries"])
    }

    /// --top and --sort apply to every format, and JSON says what was left out.
    func testTopAndSortInEveryFormat() throws {
        let csv = try Run.fabricscope(["analyze", capture, "-T", "csv", "--top", "2", "--sort", "retx"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, csv.stdout)
        let json = try Run.fabricscope(["analyze", capture, "-T", "json", "--top", "2", "--sort", "retx"]).json()
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.count, 2)
        XCTAssertEqual(flows.map { $0["retransmitted_packets"] as? Int }, [7, 6], "most retransmitted first")
        XCTAssertTrue((json["notes"] as? [String] ?? []).contains { $0.contains("Only the first 2 of 8 flows") })
        XCTAssertEqual((json["capture"] as? [String: Any])?["packets"] as? Int, 440, "totals still cover all")
    }

    func testReportTakesAnalyzeInputOptions() throws {
        let directory = try Run.scratchDirectory()
        let html = directory.appendingPathComponent("r.html").path
        let result = try Run.fabricscope(["report", capture, "-o", html, "--filter", "udp", "--roce-port", "4791",
                                          "--idle-gap", "50us", "--storm-threshold", "10ms", "--window", "20us"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // A summary was read with its own settings: capture options cannot apply to it.
        try refused(["report", summary, "-o", html, "--force", "--window", "10us"],
                    "holds traffic in 100000 ns windows, which cannot be split finer")
        try refused(["report", summary, "-o", html, "--force", "--filter", "udp"], "--filter shape how captures are read")
        try refused(["report", summary, summary, "-o", html, "--force"], "give one summary at a time (got 2)")
        try refused(["report", summary, capture, "-o", html, "--force"], "give either captures or one summary")
        try refused(["analyze", summary], "is a summary, not a capture")
        try refused(["model", "--from", summary, "--idle-gap", "1ms"], "--idle-gap shape how captures are read")
        try refused(["model", "--from", summary, "--protocol", "ll"], "the measured bandwidth already includes it")
    }

    /// The help says what --roce-port does to the default.
    func testRocePortHelpSaysItReplacesTheDefault() throws {
        let help = try Run.fabricscope(["analyze", "--help"])
        XCTAssertTrue(help.stdout.contains("Replaces the default 4791"), help.stdout)
    }

    /// No RoCE packet found: the warning says what was there instead.
    func testZeroRoCEPacketsSaysWhatItFound() throws {
        let result = try Run.fabricscope(["analyze", capture, "--roce-port", "4792"])
        XCTAssertEqual(result.status, 0)
        // Said once, at the end of the table (standard error carries it for JSON and CSV).
        XCTAssertTrue(result.stdout.contains("no RoCE/IB packet among 440 records"), result.stdout)
        XCTAssertTrue(result.stdout.contains("to port 4791 carry what looks like an InfiniBand BTH: try --roce-port 4791"),
                      result.stdout)
        let json = try Run.fabricscope(["analyze", "-T", "json", capture, "--roce-port", "4792"])
        XCTAssertTrue(json.stderr.contains("no RoCE/IB packet among 440 records"), json.stderr)
        let filtered = try Run.fabricscope(["analyze", capture, "--filter", "tcp"])
        XCTAssertTrue(filtered.stdout.contains("--filter matched nothing"), filtered.stdout)
    }

    /// libpcap cannot filter ERF or InfiniBand: say so, and select by host instead.
    func testFilterOnERFPointsToHost() throws {
        for file in ["derived/ring4-faults.erf-ib.pcap", "derived/ring4-faults.ib.pcap"] {
            try refused(["analyze", Run.fixture(file), "-f", "udp"], "libpcap cannot apply --filter to")
        }
        let byHost = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("derived/ring4-faults.erf-ib.pcap"),
                                          "--host", "lid:2"])
        XCTAssertEqual(byHost.status, 0, byHost.stderr)
        let flows = try XCTUnwrap(try byHost.json()["flows"] as? [[String: Any]])
        XCTAssertFalse(flows.isEmpty)
        XCTAssertTrue(flows.allSatisfy { $0["src"] as? String == "lid:2" || $0["dst"] as? String == "lid:2" }, "\(flows)")
        try refused(["analyze", capture, "--host", "not-a-host"], "--host: cannot read 'not-a-host'")
    }

    /// Values that used to trap or write without end are refused up front.
    func testGenerateAndModelBounds() throws {
        let directory = try Run.scratchDirectory()
        let out = directory.appendingPathComponent("g.pcap").path
        try refused(["generate", out, "--ranks", "64999"], "--ranks must be 2–4096")
        try refused(["generate", out, "--pfc=-1"], "--pfc must be 0–100000")
        try refused(["generate", out, "--size", "17GiB"], "is out of range")
        try refused(["generate", out, "--size", "4GiB", "--ranks", "64"], "at most 50000000 are generated")
        try refused(["generate", out, "--size", "100"], "'100' has no unit")
        try refused(["generate", out, "--size", "16GiB", "--ranks", "2", "--snaplen", "128"], "32-bit DMA length")
        try refused(["generate", out, "--truth", out], "the capture and --truth name the same file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
        let zero = try Run.fabricscope(["generate", out, "--size", "64KiB", "--jitter", "0"])
        XCTAssertEqual(zero.status, 0, "a bare 0 is zero in any unit: \(zero.stderr)")
        try refused(["model", "--size", "1:9e18"], "'1' has no unit")
        try refused(["model", "--ranks", "9223372036854775807"], "--ranks must be 2–1048576")
        try refused(["model", "--collective", "foo"], "Please provide one of 'allreduce'")
        try refused(["model", "--collective", "allgather", "--algorithm", "tree"], "--algorithm for allgather must be one of")
        let sweep = try Run.fabricscope(["model", "--size", "1B:1TiB", "-T", "json"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        XCTAssertEqual((try sweep.json()["results"] as? [Any])?.count, 41, "1 B … 2^40 B, powers of two")
    }
}
