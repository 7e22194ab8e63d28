import TestSupport
import Foundation
import XCTest

/// `compare` on the real captures (../shared/captures): a capture against itself is
/// no_change, and the two halves of the ibdump capture (the first holding the CM
/// set-up long before the data) are named as different spans, not a 500× change.
final class RealCaptureCompareTests: XCTestCase {
    func testRealCapturesAgainstThemselvesAndTheirHalves() throws {
        let ib = try SharedCaptures.path("ib2-erf-cm.pcap")
        for name in ["ib2-erf-cm.pcap", "roce-rc-send-real.pcap", "softroce-send-cm.pcap"] {
            let path = try SharedCaptures.path(name)
            let (status, document, stderr) = try CompareRuns.compare([path, path])
            XCTAssertEqual(status, 0, stderr)
            XCTAssertEqual(document["verdict"] as? String, "no_change", name)
            XCTAssertEqual((document["workload"] as? [String: Any])?["comparable"] as? Bool, true, name)
        }
        let editcap = try Nights.require("editcap", probe: [])
        let directory = try Run.scratchDirectory()
        let first = directory.appendingPathComponent("first.pcap").path, second = directory.appendingPathComponent("second.pcap").path
        XCTAssertEqual(try Run.program(editcap, ["-r", ib, first, "1-63"]).status, 0)
        XCTAssertEqual(try Run.program(editcap, ["-r", ib, second, "64-127"]).status, 0)
        let (status, document, stderr) = try CompareRuns.compare([first, second])
        XCTAssertEqual(status, 0, stderr)
        let workload = try XCTUnwrap(document["workload"] as? [String: Any])
        XCTAssertEqual(workload["comparable"] as? Bool, false)
        XCTAssertTrue((workload["notes"] as? [String] ?? []).contains { $0.contains("traffic spans differ") }, "\(workload)")
    }
}
