import TestSupport
import Foundation
import XCTest

/// Per-window series add up to the flow totals, sit on window boundaries, and the
/// CSV carries the same rows.
final class TimeSeriesTests: XCTestCase {
    func testWindowsAddUpToFlowTotals() throws {
        let directory = try Run.scratchDirectory()
        let csv = directory.appendingPathComponent("series.csv").path
        let result = try Run.fabricscope([
            "analyze", "-T", "json", "--timeseries", "--window", "5us", "--timeseries-csv", csv,
            Run.fixture("generated/ring4-faults.pcap"),
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let flows = try XCTUnwrap(try result.json()["flows"] as? [[String: Any]])
        var totalWindows = 0
        for flow in flows {
            let series = try XCTUnwrap(flow["timeseries"] as? [String: Any])
            XCTAssertEqual(series["window_ns"] as? Int, 5000)
            let windows = try XCTUnwrap(series["windows"] as? [[String: Any]])
            totalWindows += windows.count
            func sum(_ key: String) -> Int { windows.reduce(0) { $0 + ($1[key] as! Int) } }
            XCTAssertEqual(sum("packets"), flow["packets"] as? Int)
            XCTAssertEqual(sum("wire_bytes"), flow["wire_bytes"] as? Int)
            XCTAssertEqual(sum("cnp_packets"), flow["cnp_packets"] as? Int)
            XCTAssertEqual(sum("ce_packets"), (flow["ecn"] as? [String: Any])?["ce_packets"] as? Int)
            if let goodput = flow["goodput_bytes"] as? Int {  // flows that carry requests
                XCTAssertEqual(sum("goodput_bytes"), goodput)
                XCTAssertEqual(sum("retransmitted_bytes"), flow["retransmitted_bytes"] as? Int)
            }
            let starts = windows.map { $0["start_ns"] as! Int }
            XCTAssertEqual(starts, starts.sorted())
            XCTAssertEqual(Set(starts).count, starts.count)
            XCTAssertTrue(starts.allSatisfy { $0 % 5000 == 0 })
        }
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, totalWindows + 1)
        XCTAssertTrue(rows[0].hasPrefix("src,dst,dest_qp,window_start_ns,window_ns,"))
        let plain = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("generated/ring4-faults.pcap")])
        XCTAssertNil((try plain.json()["flows"] as? [[String: Any]])?.first?["timeseries"], "only when asked for")
    }
}
