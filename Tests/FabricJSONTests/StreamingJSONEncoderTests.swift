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

    /// A request stream's long pauses and pause histogram list their members in key
    /// order by hand: the text is Foundation's, with a pause's message count present
    /// and absent, for a list that filled and dropped some.
    func testPausesWriteFoundationsText() throws {
        var long = LongPauses(), histogram = PauseHistogram()
        for index in 0..<80 {
            let start = Int64(index) * 1_000_000, length = Int64(10_000 + (index * 7_919) % 50_000)
            long.offer(.init(startNs: start, endNs: start + length, bytesBefore: index * 4096,
                             messagesBefore: index % 3 == 0 ? nil : index))
            histogram.record(length)
        }
        XCTAssertEqual(long.pauses.count, LongPauses.capacity)
        XCTAssertGreaterThan(long.dropped, 0)
        XCTAssertTrue(long.pauses.contains { $0.messagesBefore == nil } && long.pauses.contains { $0.messagesBefore != nil })
        try assertSame(long, "long pauses")
        try assertSame(histogram, "pause histogram")
        try assertSame(["streams": [long, LongPauses()]], "long pauses in an object")
    }

    /// Numbers write their own digits into the buffer: random bit patterns of every
    /// magnitude, and rates and means as a report has them, give Foundation's text.
    func testNumbersGiveFoundationsText() throws {
        var random = SystemRandomNumberGenerator()
        var doubles = (0..<5_000).map { _ in Double(bitPattern: random.next()) }.filter(\.isFinite)
        doubles += (0..<5_000).map { _ in Double.random(in: 0..<1e11, using: &random) }
        doubles += (0..<1_000).map { (index: Int) -> Double in Double(index) * 1e15 }
        doubles += (0..<1_000).map { (index: Int) -> Double in 1 / Double(index + 1) }
        let floats = (0..<2_000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random)) }.filter(\.isFinite)
        XCTAssertGreaterThan(doubles.count, 11_000)
        try assertSame(doubles, "doubles")
        try assertSame(floats, "floats")
        try assertSame(["rates": doubles], "doubles in an object")
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

    /// A value that lists its own members (`KeyOrderedEncodable`) is opened straight
    /// in the writer when nested, and each member's separator, indentation, key and
    /// integer go into one reservation of the buffer (`ByteCursor`): the text is
    /// Foundation's at the integers' extremes, at depth, with the nested value
    /// present and absent, and for counts by name of none, one and several names.
    struct Extremes: KeyOrderedEncodable {
        enum CodingKeys: String, CodingKey {
            case counts, inner, largest, least, max, min, none, one, zero
            case aVeryLongMemberNameThatNeedsMoreRoomThanMost = "a_very_long_member_name_that_needs_more_room_than_most"
        }
        var counts = ["b": 2, "a": -1, "é": 3]
        var one = ["only": Int.max]
        var none: [String: Int] = [:]
        var nested: Extremes.Box?

        final class Box: Encodable {
            let value: Extremes
            init(_ value: Extremes) { self.value = value }
            func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
        }

        func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(Int64.max, forKey: CodingKeys.aVeryLongMemberNameThatNeedsMoreRoomThanMost)
            try object.encode(counts, forKey: CodingKeys.counts)
            try object.encodeIfPresent(nested?.value, forKey: CodingKeys.inner)
            try object.encode(UInt64.max, forKey: CodingKeys.largest)
            try object.encode(Int64.min, forKey: CodingKeys.least)
            try object.encode(UInt8.max, forKey: CodingKeys.max)
            try object.encode(Int32.min, forKey: CodingKeys.min)
            try object.encode(none, forKey: CodingKeys.none)
            try object.encode(one, forKey: CodingKeys.one)
            try object.encode(0, forKey: CodingKeys.zero)
        }
    }

    func testKeyOrderedValuesGiveFoundationsText() throws {
        var deep = Extremes()
        for _ in 0..<12 { deep.nested = Extremes.Box(deep) }
        try assertSame(Extremes(), "extremes")
        try assertSame(deep, "extremes 12 deep")
        try assertSame(["z": [deep, Extremes()], "a": []], "extremes in arrays")
    }

    /// A summary's window columns go a run of 256 values to a reservation: columns
    /// of 0, 1, 255, 256, 257 and 700 windows, with negative starts, give
    /// Foundation's text (its windows, written through keyed containers).
    func testWindowColumnsAcrossRunsGiveFoundationsText() throws {
        for count in [0, 1, 255, 256, 257, 700] {
            var series = FlowTimeSeries(windowNs: 1_000)
            for index in 0..<count {
                series.add({ window in
                    window.packets = index
                    window.wireBytes = index * 1_000_003
                    window.pausedNs = index % 3 == 0 ? Int64.max / 4 : 0
                }, at: Int64(index - count / 2) * 1_000)
            }
            try assertSame(series, "\(count) windows")
        }
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

    /// Streamed (`encode(_:into:)`), the pieces joined are the text `encode` makes,
    /// and a long array inside key-ordered objects leaves in several pieces (a wave of
    /// elements each), none near the whole; inside an object that sorts its members
    /// afterwards nothing can leave early, and the text is still the same.
    func testStreamedPiecesJoinToTheSameText() throws {
        struct Item: Encodable, Sendable { var zebra: Int; var alpha: String }
        struct Ordered: Encodable {
            var items: ConcurrentJSONArray<Item>
            func encode(to encoder: any Encoder) throws {
                var object = SortedJSONObject(encoder)
                try object.encode("first", forKey: Holder.CodingKeys.after)
                try object.encode(items, forKey: Holder.CodingKeys.items)
            }
        }
        struct Holder: Encodable {
            var items: ConcurrentJSONArray<Item>
            var after = "end"
            enum CodingKeys: String, CodingKey { case items, after }
        }
        let wave = 4 * 512 * ProcessInfo.processInfo.activeProcessorCount
        for count in [0, 1, 1025, 4 * wave + 3] {
            let items = ConcurrentJSONArray((0..<count).map { Item(zebra: $0, alpha: "item \($0)") }, concurrentMinimum: 1)
            for pretty in [false, true] {
                let encoder = StreamingJSONEncoder(prettyPrinted: pretty)
                var pieces: [[UInt8]] = []
                try encoder.encode(Ordered(items: items)) { pieces.append(Array($0)) }
                let whole = try encoder.encode(Ordered(items: items))
                XCTAssertEqual(pieces.flatMap { $0 }, whole, "\(count) items, pretty: \(pretty)")
                // One piece per wave, ending with it, and the rest; an empty array is
                // written as any array.
                let waves = (count + wave - 1) / wave
                XCTAssertEqual(pieces.count, waves + 1, "\(count) items, pretty: \(pretty)")
                if waves > 1 {
                    XCTAssertLessThan(pieces.map(\.count).max()!, whole.count / 3, "\(count) items, pretty: \(pretty)")
                }
                var sorted: [[UInt8]] = []
                try encoder.encode(Holder(items: items)) { sorted.append(Array($0)) }
                XCTAssertEqual(sorted, [try encoder.encode(Holder(items: items))], "\(count) items, members sorted afterwards")
            }
        }
    }

    func testNonFiniteNumbersAreRefusedWithTheirPlace() throws {
        struct Element: Encodable, Sendable { var value: Double }
        let elements = (0..<2000).map { Element(value: $0 == 1300 ? .infinity : 1) }
        XCTAssertThrowsError(try StreamingJSONEncoder().encode(["list": ConcurrentJSONArray(elements, concurrentMinimum: 1)])) { error in
            XCTAssertEqual("\(error)", "list[1300].value: inf cannot be written in JSON")
        }

        // Streamed, the error is the same, thrown after the waves before it have left.
        let wave = 4 * 512 * ProcessInfo.processInfo.activeProcessorCount
        let later = (0..<3 * wave).map { Element(value: $0 == 2 * wave + 100 ? .nan : 1) }
        var streamed = 0
        XCTAssertThrowsError(try StreamingJSONEncoder().encode(ConcurrentJSONArray(later, concurrentMinimum: 1)) {
            streamed += $0.count
        }) { error in
            XCTAssertEqual("\(error)", "value[\(2 * wave + 100)].value: nan cannot be written in JSON")
        }
        XCTAssertGreaterThan(streamed, 0, "the waves before the bad element left before it was found")

        struct Bad: Encodable { var values = [1.0, .nan] }
        XCTAssertThrowsError(try StreamingJSONEncoder().encode(["outer": Bad()])) { error in
            XCTAssertEqual("\(error)", "outer.values[1]: nan cannot be written in JSON")
        }
    }
}
