import FabricJSON
import TestSupport
import FabricReport
import FabricStats
import Foundation
import XCTest

/// `StreamingJSONEncoder` against Foundation's `JSONEncoder` (sorted keys, slashes
/// not escaped), byte for byte: on the documents and summaries FabricScope writes
/// for real captures, and on the corner cases of the format.
final class StreamingJSONEncoderTests: XCTestCase {
    func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func streaming<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        String(decoding: try StreamingJSONEncoder(prettyPrinted: pretty).encode(value), as: UTF8.self)
    }

    func assertSame<T: Encodable>(_ value: T, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for pretty in [false, true] {
            XCTAssertEqual(try streaming(value, pretty: pretty), try foundation(value, pretty: pretty),
                           "\(name) pretty: \(pretty)", file: file, line: line)
        }
    }

    func testDocumentsAndSummariesOfCaptures() throws {
        let captures = ["generated/ring4-faults.pcap", "generated/ring8-ipv6-vlan-wrap-snap128.pcap",
                        "derived/ring4-faults.ib.pcap", "real/roce-rc-send-real.pcap"]
        for capture in captures {
            var options = AnalysisOptions()
            options.timeSeries = true
            let summary = try Analysis(options).run([TestPaths.fixture(capture)])
            try assertSame(summary, capture + " summary")
            try assertSame(AnalysisDocument(summary: summary), capture + " document")
        }
    }

    struct Corners: Encodable {
        var text = "quote \" backslash \\ slash / tab \t newline \n bell \u{07} nul \u{00} unicode µs → 🙂"
        var doubles: [Double] = [0, -0.0, 0.1, 1.5, 5, 1e-7, 1e21, 123456789.125, -2.5e-300, 1.7976931348623157e308, 4e15, 1e16]
        var floats: [Float] = [0.1, 3, 1e-9]
        var integers: [Int64] = [0, -1, 9, 10, Int64.max, Int64.min]
        var unsigned: [UInt64] = [0, UInt64.max]
        var small: [UInt8] = [0, 255]
        var empty: [Int] = []
        var emptyObject: [String: Int] = [:]
        var dictionary = ["b": 2, "a": 1, "é": 3, "Z": 4, "aa": 5]
        var optional: Int? = nil
        var present: String? = "x"
        var nested: [[String: [Int]]] = [["z": [1], "y": []], [:]]
        var flag = true
        // Declared out of order: the writer sorts members on close.
        var aardvark = 1
    }

    func testCornerCases() throws {
        try assertSame(Corners(), "corners")
        try assertSame([Corners(), Corners()], "array of corners")
        try assertSame(["top": Corners()], "nested corners")
        try assertSame(42, "a top-level number")
        try assertSame("text", "a top-level string")
    }

    /// Windows write their members straight into the buffer, in key order; with every
    /// optional member present, with none, and inside a summary's shape (an array in
    /// an object, beside members declared out of order).
    func testWindowsWrittenDirectlyGiveFoundationsText() throws {
        var full = FlowTimeSeries.Window(startNs: -5_000)
        full.packets = 3
        full.wireBytes = 4_170
        full.goodputBytes = 4_096
        full.retransmittedBytes = 4_170
        full.cePackets = 1
        full.cnpPackets = 2
        full.retransmittedPackets = 1
        full.naks = 4
        full.pausedNs = 77
        full.ackLatency.record(416)
        full.ackLatency.record(9_000_000)
        full.gaps.record(25)
        let empty = FlowTimeSeries.Window(startNs: 0)
        struct Holder: Encodable {
            var zulu = 1
            var windows: [FlowTimeSeries.Window]
            var alpha = "first"
        }
        try assertSame(full, "full window")
        // Both member lists (the direct one and the container one) hold every stored
        // field: with every field set, each comes out under its snake_case key.
        let object = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(full)))
        let keys = Set(try XCTUnwrap(object as? [String: Any]).keys)
        let fields = Set(Mirror(reflecting: full).children.compactMap(\.label).map { label in
            label.reduce(into: "") { text, character in
                text += character.isUppercase ? "_" + character.lowercased() : String(character)
            }
        })
        XCTAssertEqual(keys, fields)
        try assertSame(empty, "empty window")
        try assertSame(Holder(windows: [full, empty, full]), "windows in an object")
        try assertSame([[empty], [], [full]], "nested arrays of windows")
    }

    /// Arrays encoded in slices on all cores give the text of encoding them one by
    /// one: at slice boundaries (512), across waves of slices, and nested deeper.
    func testConcurrentArraysWriteTheSameText() throws {
        struct Item: Encodable, Sendable {
            var zebra: Int
            var alpha: [String: Double]
            var nested: Corners?
        }
        struct Holder: Encodable {
            var items: ConcurrentJSONArray<Item>
            var after = "end"
        }
        for count in [0, 1, 511, 512, 513, 1025, 9 * 512 + 3] {
            let items = (0..<count).map { i in
                Item(zebra: i, alpha: ["b": Double(i) / 7, "a": -Double(i)], nested: i % 97 == 0 ? Corners() : nil)
            }
            let holder = Holder(items: ConcurrentJSONArray(items, concurrentMinimum: 1))
            try assertSame(holder, "\(count) items")
            try assertSame(["outer": [holder]], "\(count) items nested")
        }
    }

    func testNonFiniteNumbersAreRefusedWithTheirPlace() throws {
        struct Element: Encodable, Sendable { var value: Double }
        let elements = (0..<2000).map { Element(value: $0 == 1300 ? .infinity : 1) }
        XCTAssertThrowsError(try StreamingJSONEncoder().encode(["list": ConcurrentJSONArray(elements, concurrentMinimum: 1)])) { error in
            XCTAssertEqual("\(error)", "list[1300].value: inf cannot be written in JSON")
        }

        struct Bad: Encodable { var values = [1.0, .nan] }
        XCTAssertThrowsError(try StreamingJSONEncoder().encode(["outer": Bad()])) { error in
            XCTAssertEqual("\(error)", "outer.values[1]: nan cannot be written in JSON")
        }
    }
}
