import FabricStats
import Foundation
import XCTest

/// `TapeJSONDecoder` against Foundation's `JSONDecoder`: the same values from the
/// summaries FabricScope writes and from the format's corner cases, and a clean
/// error (never a crash) for broken text.
final class TapeJSONDecoderTests: XCTestCase {
    func foundation<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> Result<T, Error> {
        Result { try JSONDecoder().decode(type, from: Data(bytes)) }
    }

    func tape<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> Result<T, Error> {
        Result { try TapeJSONDecoder(parsing: bytes).decode(type) }
    }

    func testSummariesDecodeAsWithFoundation() throws {
        var texts: [(String, [UInt8])] = []
        for capture in ["generated/ring4-faults.pcap", "derived/ring4-faults.ib.pcap", "real/roce-rc-send-real.pcap"] {
            for timeSeries in [false, true] {
                var options = AnalysisOptions()
                options.timeSeries = timeSeries
                texts.append((capture, try Analysis(options).run([TestPaths.fixture(capture)]).jsonBytes()))
            }
        }
        for file in ["summaries/v1-ring4-faults.json", "hostile/summary-negative-count.json", "hostile/summary-near-int-max.json",
                     "hostile/summary-fuzz-huge-jitter.json", "hostile/summary-duplicate-flow.json"] {
            texts.append((file, [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(file))))))
        }
        for (name, bytes) in texts {
            let expected = try foundation(AnalysisSummary.self, bytes).get()
            XCTAssertEqual(try tape(AnalysisSummary.self, bytes).get(), expected, name)
        }
    }

    struct Corners: Codable, Equatable {
        var text: String
        var numbers: [Double]
        var integers: [Int64]
        var unsigned: UInt64
        var small: UInt8
        var flag: Bool
        var missing: Int?
        var explicitNull: String?
        var nested: [[String: [Int]]]
        var dictionary: [String: Int]
    }

    func testCornerCases() throws {
        let text = #"""
        { "text" : "q\" b\\ s\/ t\t n\n u\u00e9 \ud83d\ude42 µs → raw",
          "numbers": [0, -0.0, 0.1, 1e-7, 1E21, -2.5e-300, 1.7976931348623157e308, 5, 123456789.125],
          "integers": [0, -1, 9223372036854775807, -9223372036854775808, 10],
          "unsigned": 18446744073709551615, "small": 255, "flag": true,
          "explicitNull": null, "nested": [{"z": [1], "y": []}, {}],
          "dictionary": {"b": 2, "a": 1, "é": 3} }
        """#
        let bytes = Array(text.utf8)
        let expected = try foundation(Corners.self, bytes).get()
        XCTAssertEqual(try tape(Corners.self, bytes).get(), expected)
        XCTAssertEqual(expected.text, "q\" b\\ s/ t\t n\n ué 🙂 µs → raw")
    }

    /// Windows are read through the tape's own keyed container, not the standard
    /// library's box: the same values, and the same refusals, as `JSONDecoder`'s.
    func testWindowsReadOffTheTape() throws {
        let good = #"{"wire_bytes": 30, "start_ns": 100, "packets": 3, "goodput_bytes": 20, "retransmitted_bytes": 0, "#
            + #""ce_packets": 1, "cnp_packets": 0, "naks": 2, "ack_latency": [416, 3], "gaps": null, "paused_ns": 5}"#
        let window = try tape(FlowTimeSeries.Window.self, Array(good.utf8)).get()
        XCTAssertEqual(window, try foundation(FlowTimeSeries.Window.self, Array(good.utf8)).get())
        XCTAssertEqual([window.startNs, Int64(window.packets), Int64(window.wireBytes), Int64(window.naks), window.pausedNs],
                       [100, 3, 30, 2, 5])
        XCTAssertEqual(window.ackLatency.count, 3)
        XCTAssertTrue(window.gaps.isEmpty)
        let bad = [good.replacingOccurrences(of: #""packets": 3, "#, with: ""),
                   good.replacingOccurrences(of: #""packets": 3"#, with: #""packets": "3""#),
                   good.replacingOccurrences(of: #""packets": 3"#, with: #""packets": null"#),
                   good.replacingOccurrences(of: #""naks": 2"#, with: #""naks": -1.5"#),
                   good.replacingOccurrences(of: "[416, 3]", with: "[416]"), "[]", "3"]
        for text in bad {
            XCTAssertThrowsError(try tape(FlowTimeSeries.Window.self, Array(text.utf8)).get(), text)
            XCTAssertThrowsError(try foundation(FlowTimeSeries.Window.self, Array(text.utf8)).get(), text)
        }
        XCTAssertThrowsError(try tape(FlowTimeSeries.Window.self, Array(bad[0].utf8)).get()) { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(key.stringValue, "packets")
        }
    }

    func testWrongTypesAndRangesAreErrors() {
        for text in [#"{"small": 256}"#, #"{"small": -1}"#, #"{"small": 1.5}"#, #"{"small": "1"}"#, #"{"other": 1}"#] {
            struct Small: Decodable { var small: UInt8 }
            XCTAssertThrowsError(try tape(Small.self, Array(text.utf8)).get(), text)
            XCTAssertThrowsError(try foundation(Small.self, Array(text.utf8)).get(), text)
        }
    }

    /// Every prefix of a real summary, and hostile shapes, give an error, not a crash.
    func testBrokenTextIsAnErrorNotACrash() throws {
        let summary = try Analysis().run([TestPaths.fixture("real/roce-rc-send-real.pcap")]).jsonBytes()
        for length in stride(from: 0, to: summary.count - 1, by: max(1, summary.count / 400)) {
            XCTAssertThrowsError(try TapeJSONDecoder(parsing: Array(summary[..<length])), "\(length)")
        }
        // Text that is not JSON is refused by the scanner itself, before any type is asked for.
        let malformed = [String(repeating: "[", count: 100_000), #"{"a":1,}"#, #"[1,]"#, #"{"a" 1}"#, #""\u12"#,
                         "\"a\u{01}b\"", "[1 2]", "{} {}", "-", "tru", "[-]", ""]
        for text in malformed {
            XCTAssertThrowsError(try TapeJSONDecoder(parsing: Array(text.utf8)), text.prefix(20).description)
        }
        // Bad escapes are found when the string is read.
        for text in [#""\ud800\u0041""#, #""\q""#, #""\u00zz""#] {
            let decoder = try TapeJSONDecoder(parsing: Array(text.utf8))
            XCTAssertThrowsError(try decoder.decode(String.self), text)
            XCTAssertThrowsError(try JSONDecoder().decode(String.self, from: Data(text.utf8)), text)
        }
    }
}
