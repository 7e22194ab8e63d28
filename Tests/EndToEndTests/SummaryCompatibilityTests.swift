import TestSupport
import XCTest

/// Summaries are kept for months (fleet history): one written by version 1 of the
/// format, before pauses, CM announcements and restarts were kept
/// (`Fixtures/summaries/v1-ring4-faults.json`, from `analyze --summary-out` of
/// `generated/ring4-faults.pcap`), must still be read, merged and reported, and give
/// the same counts as analysing the capture today.
final class SummaryCompatibilityTests: XCTestCase {
    let v1 = Run.fixture("summaries/v1-ring4-faults.json")

    func testVersionOneSummaryGivesTodaysCounts() throws {
        let old = try Run.fabricscope(["merge", "-T", "json", v1])
        XCTAssertEqual(old.status, 0, old.stderr)
        let fresh = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("generated/ring4-faults.pcap")])
        func byKey(_ result: RunResult) throws -> [String: [String: Any]] {
            let flows = try XCTUnwrap(try result.json()["flows"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: flows.map { ("\($0["src"]!) \($0["dst"]!) \($0["dest_qp"]!)", $0) })
        }
        let then = try byKey(old), now = try byKey(fresh)
        XCTAssertEqual(Set(then.keys), Set(now.keys))
        XCTAssertEqual(then.count, 8)
        for (key, flow) in now {
            let earlier = try XCTUnwrap(then[key])
            for field in ["packets", "wire_bytes", "payload_bytes", "acks", "cnp_packets", "retransmitted_packets",
                          "retransmission_episode_count", "goodput_bytes"] {
                XCTAssertEqual(earlier[field] as? Int, flow[field] as? Int, "\(key) \(field)")
            }
            let a = earlier["ack_latency_ns"] as? [String: Any], b = flow["ack_latency_ns"] as? [String: Any]
            XCTAssertEqual(a?["count"] as? Int, b?["count"] as? Int, key)
            XCTAssertEqual(a?["p99"] as? Int, b?["p99"] as? Int, key)
        }
        // The older summary has no pauses: its ring's iterations come from its own bursts.
        let ring = try XCTUnwrap((try old.json()["collectives"] as? [[String: Any]])?.first)
        XCTAssertEqual(ring["iteration_boundary"] as? String, "bursts")
        XCTAssertEqual(ring["iterations"] as? Int, 1)
    }

    func testVersionOneMergesWithTodaysAndReports() throws {
        let directory = try Run.scratchDirectory()
        let today = directory.appendingPathComponent("today.json").path
        let other = directory.appendingPathComponent("other.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", other, "--ranks", "2", "--size", "64KiB", "--host-offset", "10"]).status, 0)
        let analyzed = try Run.fabricscope(["analyze", other, "--summary-out", today])
        XCTAssertEqual(analyzed.status, 0, analyzed.stderr)
        let merged = try Run.fabricscope(["merge", "-T", "json", v1, today])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual((try merged.json()["flows"] as? [Any])?.count, 8 + 4)
        let html = directory.appendingPathComponent("r.html").path
        let report = try Run.fabricscope(["report", v1, "-o", html])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: html))
    }
}
