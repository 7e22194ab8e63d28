import FabricJSON
import TestSupport
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
        for file in ["summaries/v1-ring4-faults.json", "summaries/v2-ring4-faults.json", "hostile/summary-negative-count.json", "hostile/summary-near-int-max.json",
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

    /// Numbers read as `Double` are Foundation's values bit for bit, whether read from
    /// their digits (plain integers of up to 18 digits: most sums in a summary) or
    /// through the standard library's parser (fractions, exponents, longer integers).
    func testDoublesAreFoundationsValues() throws {
        let numbers = ["0", "-0", "7", "-42", "9007199254740993", "123456789012345678", "-999999999999999999",
                       "1234567890123456789", "12345678901234567890123", "1.5", "2e3", "-1.25e-7", "1e308", "0.1"]
        struct Numbers: Decodable { var values: [Double] }
        let text = Array(#"{"values": [\#(numbers.joined(separator: ", "))]}"#.utf8)
        let reference = try foundation(Numbers.self, text).get().values.map(\.bitPattern)
        XCTAssertEqual(reference.count, numbers.count)
        XCTAssertEqual(try tape(Numbers.self, text).get().values.map(\.bitPattern), reference)
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

    /// A stream's longest pauses walk each pause's members once, straight off the tape:
    /// the same values as `JSONDecoder`'s whatever the order, unknown members and an
    /// absent or null `messagesBefore` (summaries written before it was kept), and
    /// the same errors at the same coding paths.
    func testLongPausesReadOffTheTape() throws {
        let good = #"{"dropped": 2, "droppedLongest": 12500.5, "pauses": ["#
            + #"{"bytesBefore": 4096, "endNs": 1767225600000500000, "messagesBefore": 1, "startNs": 1767225600000000000}, "#
            + #"{"startNs": 20, "extra": [1, {"x": null}], "endNs": 90, "bytesBefore": 8192}, "#
            + #"{"messagesBefore": null, "bytesBefore": 0, "startNs": -5, "endNs": 7}]}"#
        let pauses = try tape(LongPauses.self, Array(good.utf8)).get()
        XCTAssertEqual(pauses, try foundation(LongPauses.self, Array(good.utf8)).get())
        XCTAssertEqual(pauses.pauses.map(\.durationNs), [500_000, 70, 12])
        XCTAssertEqual(pauses.pauses.map(\.messagesBefore), [1, nil, nil])
        XCTAssertEqual(pauses.pauses.map(\.bytesBefore), [4096, 8192, 0])
        XCTAssertEqual(pauses.dropped, 2)
        XCTAssertFalse(pauses.isComplete(above: 12_000))
        let bad = [good.replacingOccurrences(of: #""startNs": 20, "#, with: ""),
                   good.replacingOccurrences(of: #""endNs": 90"#, with: #""endNs": "90""#),
                   good.replacingOccurrences(of: #""bytesBefore": 8192"#, with: #""bytesBefore": null"#),
                   good.replacingOccurrences(of: #""messagesBefore": 1"#, with: #""messagesBefore": 1.5"#),
                   good.replacingOccurrences(of: #""pauses": ["#, with: #""pauses": [3, "#),
                   good.replacingOccurrences(of: #""dropped": 2, "#, with: "")]
        let paths = [["pauses", "1", "missing startNs"], ["pauses", "1", "endNs"], ["pauses", "1", "bytesBefore"],
                     ["pauses", "0", "messagesBefore"], ["pauses", "0"], ["missing dropped"]]
        for (text, expected) in zip(bad, paths) {
            let fromTape = tape(LongPauses.self, Array(text.utf8)), fromFoundation = foundation(LongPauses.self, Array(text.utf8))
            guard case .failure(let tapeError) = fromTape, case .failure(let foundationError) = fromFoundation else {
                XCTFail("decoded: \(text)")
                continue
            }
            XCTAssertEqual(path(tapeError), expected, text)
            // Foundation gives no path for a number that does not fit; elsewhere the same.
            if !path(foundationError).isEmpty { XCTAssertEqual(path(foundationError), expected, text) }
        }
    }

    /// A coding path as text, array indices as numbers (Foundation names them "Index n").
    func path(_ error: Error) -> [String] {
        let context: DecodingError.Context
        switch error as? DecodingError {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c): return path(c.codingPath) + ["missing " + key.stringValue]
        default: return ["not a DecodingError: \(error)"]
        }
        return path(context.codingPath)
    }

    func path(_ keys: [CodingKey]) -> [String] { keys.map { $0.intValue.map(String.init) ?? $0.stringValue } }

    /// Time series walk each window's members once, straight off the tape: the same
    /// values as `JSONDecoder`'s whatever the members' order, escapes, unknown members
    /// and nulls, and the same errors at the same coding paths.
    func testTimeSeriesReadOffTheTape() throws {
        let first = #"{"wire_bytes": 30, "start_ns": 100, "packets": 3, "goodput_bytes": 20, "retransmitted_bytes": 0, "#
            + #""ce_packets": 1, "cnp_packets": 0, "naks": 2, "ack_latency": [416, 3], "gaps": null, "paused_ns": 5}"#
        let second = #"{"ack_latency": [1, 2, 416, 1], "ce_packets": 0, "cnp_packets": 4, "extra": {"a": [1, {}]}, "#
            + #""gaps": [7, 1], "goodput_bytes": 0, "naks": null, "pack\u0065ts": 9, "retransmitted_bytes": 10, "#
            + #""retransmitted_packets": 1, "start_ns": 200, "wire_bytes": 90}"#
        func series(_ windows: [String]) -> [UInt8] {
            Array((#"{"currentEndNs": 300, "windowNs": 100, "windows": ["# + windows.joined(separator: ", ") + "]}").utf8)
        }
        let good = series([first, second])
        let decoded = try tape(FlowTimeSeries.self, good).get()
        XCTAssertEqual(decoded, try foundation(FlowTimeSeries.self, good).get())
        XCTAssertEqual(decoded.windows.map(\.packets), [3, 9])
        XCTAssertEqual(decoded.windows.map(\.cnpPackets), [0, 4])
        XCTAssertEqual(decoded.windows.map(\.gaps.count), [0, 1])
        XCTAssertEqual(decoded.windows.map(\.ackLatency.count), [3, 3])
        XCTAssertEqual(decoded.windows.map(\.retransmittedPackets), [0, 1])
        XCTAssertEqual(try tape(FlowTimeSeries.self, series([])).get().windows, [])

        // Each broken second window, and the coding path its error names.
        let bad: [(String, [String])] = [
            (second.replacingOccurrences(of: #""cnp_packets": 4, "#, with: ""), ["windows", "1", "missing cnp_packets"]),
            (second.replacingOccurrences(of: #""start_ns": 200"#, with: #""start_ns": null"#), ["windows", "1", "start_ns"]),
            (second.replacingOccurrences(of: #""retransmitted_bytes": 10"#, with: #""retransmitted_bytes": "10""#),
             ["windows", "1", "retransmitted_bytes"]),
            (second.replacingOccurrences(of: #""retransmitted_packets": 1"#, with: #""retransmitted_packets": 1.5"#),
             ["windows", "1", "retransmitted_packets"]),
            (second.replacingOccurrences(of: "[7, 1]", with: "[7]"), ["windows", "1", "gaps", "1"]),
            (second.replacingOccurrences(of: "[7, 1]", with: "[7, 0]"), ["windows", "1", "gaps", "2"]),
            (second.replacingOccurrences(of: "[1, 2, 416, 1]", with: "[416, 2, 1, 1]"), ["windows", "1", "ack_latency", "4"]),
            (second.replacingOccurrences(of: "[1, 2, 416, 1]", with: #"[1, "2"]"#), ["windows", "1", "ack_latency", "1"]),
            (second.replacingOccurrences(of: "[7, 1]", with: "{}"), ["windows", "1", "gaps"]),
            ("[]", ["windows", "1"]),
        ]
        for (window, expectedPath) in bad {
            let text = series([first, window])
            XCTAssertThrowsError(try foundation(FlowTimeSeries.self, text).get(), window)
            XCTAssertThrowsError(try tape(FlowTimeSeries.self, text).get(), window) { error in
                XCTAssertEqual(path(error), expectedPath, window)
            }
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

    /// A flow record is read straight off the tape, every object of it (key,
    /// addresses, counters, requester statistics, distributions, episodes, markings,
    /// time series) without a keyed container: the same values as `JSONDecoder`'s,
    /// whatever the members' order, and each damaged member refused with its coding
    /// path, worked out from the tape.
    func testFlowsReadOffTheTape() throws {
        let summary = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("summaries/v2-ring4-faults.json")))
        let flows = try XCTUnwrap((try JSONSerialization.jsonObject(with: summary) as? [String: Any])?["flows"] as? [[String: Any]])
        // The richest record: a requester with an episode, long pauses and markings.
        let record = try XCTUnwrap(flows.first {
            (($0["requester"] as? [String: Any])?["episodes"] as? [Any])?.isEmpty == false && $0["markings"] != nil
        })
        let sorted = String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
        // The same record with its members in reverse order at every level.
        func reversed(_ value: Any) -> String {
            if let object = value as? [String: Any] {
                return "{" + object.keys.sorted(by: >).map { "\"\($0)\": " + reversed(object[$0]!) }.joined(separator: ", ") + "}"
            }
            if let array = value as? [Any] { return "[" + array.map(reversed).joined(separator: ", ") + "]" }
            return String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
        }
        let flow = try tape(AnalysisSummary.Flow.self, Array(sorted.utf8)).get()
        XCTAssertEqual(flow, try foundation(AnalysisSummary.Flow.self, Array(sorted.utf8)).get())
        XCTAssertEqual(try tape(AnalysisSummary.Flow.self, Array(reversed(record).utf8)).get(), flow)
        let requester = try XCTUnwrap(flow.requester)
        XCTAssertEqual(requester.episodes.count, requester.episodeCount)
        XCTAssertGreaterThan(requester.ackLatency.count, 0)
        XCTAssertGreaterThan(flow.counters.packets, 0)
        XCTAssertNotNil(flow.markings)
        XCTAssertFalse(flow.timeSeries?.windows.isEmpty ?? true)

        // Each damage (a pattern's first match replaced), and the path its error names.
        let damages: [(pattern: String, replacement: String, path: [String])] = [
            (#""truncatedHeaders":[0-9]+,"#, "", ["counters", "missing truncatedHeaders"]),
            (#""dscp":[0-9]+"#, #""dscp":300"#, ["counters", "dscp"]),
            (#""encapsulation":"[a-z0-9]+""#, #""encapsulation":"carrier-pigeon""#, ["counters", "encapsulation"]),
            (#""windowNs":[0-9]+\}"#, #""windowNs":"100"}"#, ["counters", "throughput", "windowNs"]),
            (#""psnSequenceError":[0-9]+"#, #""psnSequenceError":1.5"#, ["counters", "naks", "psnSequenceError"]),
            (#""source":\{"high":0,"kind":[0-9]"#, #""source":{"high":0,"kind":9"#, ["key", "source", "kind"]),
            (#""destQP":[0-9]+,"#, "", ["key", "missing destQP"]),
            (#""cause":"[a-z_]+""#, #""cause":"gremlins""#, ["requester", "episodes", "0", "cause"]),
            (#""ackLatency":\{"count":[0-9]+"#, #""ackLatency":{"count":9999"#, ["requester", "ackLatency", "count"]),
            (#""smoothed":[0-9.e-]+"#, #""smoothed":null"#, ["requester", "jitter", "smoothed"]),
            (#""sumNs":[0-9]+"#, #""sumNs":"x""#, ["requester", "pauses", "buckets", "0", "sumNs"]),
            (#""requesterQP":[0-9]+"#, #""requesterQP":-1"#, ["requesterQP"]),
            (#""RC_RDMA_WRITE_[A-Z_]+":[0-9]+"#, #""RC_RDMA_WRITE_FIRST":"six""#, ["opcodes", "RC_RDMA_WRITE_FIRST"]),
            (#""markings":\[[0-9-]+,"#, #""markings":[0,"#, []),  // still valid: port 0
            (#""markings":\[[0-9,-]+\]"#, #""markings":[1,2,3]"#, ["markings", "3"]),
            (#""start_ns_deltas":\[[0-9]+"#, #""start_ns_deltas":["x""#, ["timeSeries", "windowColumns", "start_ns_deltas", "0"]),
            (#""notifications":\{"count":[0-9]+,"#, #""notifications":{"#, ["notifications", "missing count"]),
        ]
        for (pattern, replacement, expected) in damages {
            let range = try XCTUnwrap(sorted.range(of: pattern, options: .regularExpression), pattern)
            let text = Array(sorted.replacingCharacters(in: range, with: replacement).utf8)
            let fromTape = tape(AnalysisSummary.Flow.self, text), fromFoundation = foundation(AnalysisSummary.Flow.self, text)
            guard !expected.isEmpty else {
                XCTAssertEqual(try fromTape.get(), try fromFoundation.get(), pattern)
                continue
            }
            guard case .failure(let tapeError) = fromTape, case .failure(let foundationError) = fromFoundation else {
                XCTFail("decoded: \(pattern)")
                continue
            }
            XCTAssertEqual(path(tapeError), expected, pattern)
            // Foundation gives no path for a number that does not fit; elsewhere the same.
            if !path(foundationError).isEmpty { XCTAssertEqual(path(foundationError), expected, pattern) }
        }
        // Inside a summary the path starts at the flow's place in it.
        var document = try XCTUnwrap(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        var damaged = flows
        damaged[2]["requesterQP"] = "x"
        document["flows"] = damaged
        let text = [UInt8](try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]))
        XCTAssertThrowsError(try TapeJSONDecoder(parsing: text).decode(AnalysisSummary.self)) { error in
            XCTAssertEqual(path(error), ["flows", "2", "requesterQP"])
        }
    }

    /// A summary of more flows than one slice is read on all cores (`FlowList`):
    /// the flows come back in document order, equal to `JSONDecoder`'s, and of two
    /// damaged flows in different slices the first in the document is the one named.
    func testManyFlowsReadInSlicesInOrder() throws {
        let summary = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("summaries/v2-ring4-faults.json")))
        var document = try XCTUnwrap(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        let flows = try XCTUnwrap(document["flows"] as? [[String: Any]])
        var many: [[String: Any]] = []
        for copy in 0..<160 {
            for var flow in flows {
                var key = try XCTUnwrap(flow["key"] as? [String: Any])
                key["destQP"] = 100_000 + many.count
                flow["key"] = key
                flow["requesterQP"] = copy
                many.append(flow)
            }
        }
        XCTAssertGreaterThan(many.count, 1024)  // two slices
        document["flows"] = many
        let text = [UInt8](try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]))
        let decoded = try tape(AnalysisSummary.self, text).get()
        XCTAssertEqual(decoded, try foundation(AnalysisSummary.self, text).get())
        XCTAssertEqual(decoded.flows.map(\.key.destQP), (0..<many.count).map { UInt32(100_000 + $0) })

        for (first, second) in [(300, 1100), (20, 1250)] {
            var damaged = many
            damaged[second]["opcodes"] = [1]
            damaged[first]["requesterQP"] = "x"
            document["flows"] = damaged
            let text = [UInt8](try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]))
            XCTAssertThrowsError(try TapeJSONDecoder(parsing: text).decode(AnalysisSummary.self)) { error in
                XCTAssertEqual(path(error), ["flows", "\(first)", "requesterQP"])
            }
        }
    }

    /// A large text is parsed on two threads, split at a flow record a little past its middle (11/20)
    /// (`TapeParser`): the same values as one pass, a wrong guess (the pattern
    /// deeper down) parsed as one pass, and an error in either half given in the words
    /// of one pass.
    func testTextsSplitAcrossThreadsParseAsOnePass() throws {
        let summary = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("summaries/v2-ring4-faults.json")))
        var document = try XCTUnwrap(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        let flows = try XCTUnwrap(document["flows"] as? [[String: Any]])
        var many: [[String: Any]] = []
        for _ in 0..<30 {
            for var flow in flows {
                var key = try XCTUnwrap(flow["key"] as? [String: Any])
                key["destQP"] = 100_000 + many.count
                flow["key"] = key
                many.append(flow)
            }
        }
        document["flows"] = many
        let text = [UInt8](try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]))
        XCTAssertNotNil(String(decoding: text, as: UTF8.self).range(of: #"},{"counters":"#))
        func decode(_ text: [UInt8], split: Bool) -> Result<AnalysisSummary, Error> {
            Result { try TapeJSONDecoder(parsing: text, splitAbove: split ? 0 : .max).decode(AnalysisSummary.self) }
        }
        let whole = try decode(text, split: false).get()
        XCTAssertEqual(try decode(text, split: true).get(), whole)
        XCTAssertEqual(whole, try foundation(AnalysisSummary.self, text).get())
        XCTAssertEqual(whole.flows.count, many.count)

        // The pattern three levels down: the first thread never stops there.
        let deeper = Array(#"{"a": [1, 2], "b": [[{"counters": 1},{"counters": 2},{"counters": 3},{"counters": 4}]], "c": "x"}"#.utf8)
        struct Deeper: Decodable, Equatable { var a: [Int]; var b: [[[String: Int]]]; var c: String }
        XCTAssertEqual(try TapeJSONDecoder(parsing: deeper, splitAbove: 0).decode(Deeper.self),
                       try TapeJSONDecoder(parsing: deeper, splitAbove: .max).decode(Deeper.self))

        // Broken text in the first part, in the second (past the flow record where the
        // split falls), and at the array's end.
        let string = String(decoding: text, as: UTF8.self)
        let splitGuess = string.utf8.index(string.startIndex, offsetBy: string.utf8.count / 20 * 11)
        let split = try XCTUnwrap(string.range(of: #"},{"counters":"#, range: splitGuess..<string.endIndex))
        let second = try XCTUnwrap(string.range(of: #""packets":"#, range: split.upperBound..<string.endIndex))
        let first = try XCTUnwrap(string.range(of: #""packets":"#, options: .backwards, range: string.startIndex..<splitGuess))
        let end = try XCTUnwrap(string.range(of: #"],"format":"fabricscope-summary""#))
        let last = end.lowerBound..<string.index(after: end.lowerBound)
        for broken in [string.replacingCharacters(in: first, with: #""packets"::"#),
                       string.replacingCharacters(in: second, with: #""packets"::"#),
                       string.replacingCharacters(in: last, with: "}"), String(string.dropLast(200))] {
            func message(_ split: Bool) -> String {
                switch Result(catching: { try TapeJSONDecoder(parsing: Array(broken.utf8), splitAbove: split ? 0 : .max) }) {
                case .success: return "parsed"
                case .failure(let error): return "\(error)"
                }
            }
            XCTAssertNotEqual(message(false), "parsed")
            XCTAssertEqual(message(true), message(false))
        }
        // Bytes of the text replaced at random (seeded): split or not, the same tape
        // (the same values decoded) or the same error.
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array(#"{}[],:"0 1-e.\ntfa"#.utf8)
        for _ in 0..<30 {
            var damaged = text
            for _ in 0..<(1 + next() % 3) { damaged[next() % damaged.count] = alphabet[next() % alphabet.count] }
            func outcome(_ split: Bool) -> String {
                switch Result(catching: { try TapeJSONDecoder(parsing: damaged, splitAbove: split ? 0 : .max) }) {
                case .success(let decoder): return (try? decoder.decode(AnalysisSummary.self)).map { "\($0.flows.map(\.key))" } ?? "undecodable"
                case .failure(let error): return "\(error)"
                }
            }
            XCTAssertEqual(outcome(true), outcome(false))
        }
    }
}
