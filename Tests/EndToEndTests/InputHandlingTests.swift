import TestSupport
import Foundation
import XCTest

/// Inputs as users have them: compressed, piped, several files, cut short, wrong.
final class InputHandlingTests: XCTestCase {
    let base = Run.fixture("generated/ring4-faults-snap256.pcap")

    func analyzeJSON(_ arguments: [String], stdin: URL? = nil) throws -> [String: Any] {
        let result = try Run.fabricscope(["analyze", "-T", "json"] + arguments, stdin: stdin)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try result.json()
    }

    func testContainersGiveIdenticalFlows() throws {
        let reference = try Run.fabricscope(["analyze", "-T", "json", base]).flowCounts()
        XCTAssertEqual(reference.count, 8)
        for variant in ["derived/ring4-faults.pcapng", "derived/ring4-faults.pcap.gz", "derived/ring4-faults-usec.pcap"] {
            XCTAssertEqual(try Run.fabricscope(["analyze", "-T", "json", Run.fixture(variant)]).flowCounts(), reference, variant)
        }
        let piped = try Run.fabricscope(["analyze", "-T", "json", "-"], stdin: URL(fileURLWithPath: Run.fixture("derived/ring4-faults.pcap.gz")))
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(try piped.flowCounts(), reference, "gzip on standard input")
    }

    func testTimestampResolutionIsTheFilesOwn() throws {
        func resolution(_ fixture: String) throws -> Double? {
            ((try analyzeJSON([Run.fixture(fixture)])["capture"] as? [String: Any])?["timestamp_resolution_ns"]) as? Double
        }
        XCTAssertEqual(try resolution("generated/ring4-faults-snap256.pcap"), 1)
        XCTAssertEqual(try resolution("derived/ring4-faults-usec.pcap"), 1000)
        XCTAssertEqual(try resolution("derived/ring4-faults.pcapng"), 1)
        // Two interfaces, µs and ns: the coarser one bounds what can be resolved.
        XCTAssertEqual(try resolution("derived/two-interfaces.pcapng"), 1000)
    }

    func testSeveralFilesAnalyseAsOneCapture() throws {
        let a = Run.fixture("generated/ring4-faults.pcap")
        let b = Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap")
        let together = try analyzeJSON([a, b])
        let first = try analyzeJSON([a]), second = try analyzeJSON([b])
        func capture(_ json: [String: Any]) -> [String: Any] { json["capture"] as! [String: Any] }
        XCTAssertEqual(capture(together)["packets"] as? Int,
                       (capture(first)["packets"] as! Int) + (capture(second)["packets"] as! Int))
        XCTAssertEqual((together["flows"] as! [Any]).count, (first["flows"] as! [Any]).count + (second["flows"] as! [Any]).count)
        XCTAssertEqual(capture(together)["start_ns"] as? Int, min(capture(first)["start_ns"] as! Int, capture(second)["start_ns"] as! Int))
        XCTAssertEqual((capture(together)["files"] as? [Any])?.count, 2)
    }

    func testTruncatedCaptureGivesPartialResultsAndWarning() throws {
        let result = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("derived/ring4-faults-truncated.pcap")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("truncated"), result.stderr)
        let capture = try XCTUnwrap(try result.json()["capture"] as? [String: Any])
        let complete = try XCTUnwrap(try analyzeJSON([base])["capture"] as? [String: Any])
        XCTAssertEqual(capture["packets"] as? Int, (complete["packets"] as! Int) - 1, "all records before the cut")
        XCTAssertEqual((capture["warnings"] as? [String])?.count, 1)
    }

    func testBadInputsFailWithTheFileNamed() throws {
        let directory = try Run.scratchDirectory()
        let empty = directory.appendingPathComponent("empty.pcap")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
        let text = directory.appendingPathComponent("notes.txt")
        try Data("not a capture\n".utf8).write(to: text)
        let wlan = directory.appendingPathComponent("wlan.pcap")
        var header = Data([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 8))
        header += Data([0xff, 0xff, 0, 0, 105, 0, 0, 0])  // LINKTYPE_IEEE802_11
        try header.write(to: wlan)
        let cases: [(String, String)] = [
            (directory.appendingPathComponent("missing.pcap").path, "No such file"),
            (empty.path, "empty"),
            (text.path, "not a pcap or pcapng"),
            (directory.path, "directory"),
            (wlan.path, "unsupported link type 105"),
            (Run.fixture("derived/mixed-snaplen.pcapng"), "snapshot length"),
        ]
        for (path, problem) in cases {
            let result = try Run.fabricscope(["analyze", path])
            XCTAssertEqual(result.status, 2, path)
            XCTAssertTrue(result.stderr.contains(path) && result.stderr.contains(problem), result.stderr)
            XCTAssertEqual(result.stdout, "", path)
        }
    }

    func testBadUsageExitsTwo() throws {
        for arguments in [["analyze"], ["analyze", base, "--format", "xml"], ["analyze", base, "--window", "fast"],
                          ["analyze", base, "--filter", "udp port"], ["analyze", base, "--roce-port", "70000"],
                          ["analyze", "--no-such-flag", base]] {
            let result = try Run.fabricscope(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.isEmpty)
        }
    }

    func testBPFFilterGoesThroughLibpcap() throws {
        let json = try analyzeJSON([base, "--filter", "src host 10.0.0.1"])
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        XCTAssertEqual(Set(flows.map { $0["src"] as! String }), ["10.0.0.1"])
        XCTAssertEqual(flows.count, 2, "data to 10.0.0.2 and ACK/CNP traffic to 10.0.0.4")
        let capture = try XCTUnwrap(json["capture"] as? [String: Any])
        XCTAssertEqual(capture["other_packets"] as? Int, 0, "PFC frames have no IP source")
    }

    func testOutputFileIsNeverSilentlyReplaced() throws {
        let directory = try Run.scratchDirectory()
        let output = directory.appendingPathComponent("result.csv")
        try Data("precious\n".utf8).write(to: output)
        let refused = try Run.fabricscope(["analyze", base, "-T", "csv", "-o", output.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: output, encoding: .utf8), "precious\n")
        let replaced = try Run.fabricscope(["analyze", base, "-T", "csv", "-o", output.path, "--force"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let csv = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 9, "header + 8 flows")
        XCTAssertTrue(csv[0].hasPrefix("src,dst,dest_qp,"))
        let refusedGenerate = try Run.fabricscope(["generate", output.path])
        XCTAssertEqual(refusedGenerate.status, 2)
    }

    func testNonDefaultRocePort() throws {
        // With RoCE moved to port 5000, the real capture's port-4791 traffic is not RoCE.
        let json = try analyzeJSON([Run.fixture("real/roce-rc-send-real.pcap"), "--roce-port", "5000"])
        XCTAssertEqual((json["capture"] as? [String: Any])?["roce_packets"] as? Int, 0)
    }
}
