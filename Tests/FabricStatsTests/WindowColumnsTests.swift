import XCTest
import FabricJSON
import Foundation
@testable import FabricStats

/// Summary version 2 stores a flow's windows as columns (`WindowColumns`). These hold
/// the columns to the windows they came from through both writers and both readers,
/// version 1's window objects to the same values, and damaged columns to errors that
/// name the column.
final class WindowColumnsTests: XCTestCase {
    /// A series with every field used in some window, a negative start, a gap of
    /// several windows, and columns that are zero throughout (CNPs, NAKs).
    private func series() -> FlowTimeSeries {
        var series = FlowTimeSeries(windowNs: 1_000)
        series.add({ $0.packets += 2; $0.wireBytes += 200; $0.goodputBytes += 100; $0.ackLatency.record(416) }, at: -1_500)
        series.add({ $0.packets += 1; $0.wireBytes += 4_170; $0.cePackets += 1; $0.gaps.record(25) }, at: 300)
        series.add({ $0.packets += 3; $0.retransmittedBytes += 4_170; $0.retransmittedPackets += 1 }, at: 7_999)
        series.add({ $0.packets += 1; $0.ackLatency.record(9_000_000); $0.ackLatency.record(417) }, at: 1_000_000_000_000_000_000)
        series.addPause(from: 7_100, to: 7_600)
        return series
    }

    private func foundationText<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func streamingText<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try StreamingJSONEncoder(prettyPrinted: pretty).encode(value), as: UTF8.self)
    }

    private func bothDecoders(_ text: String) -> [(String, Result<FlowTimeSeries, Error>)] {
        [("tape", Result { try TapeJSONDecoder(parsing: Array(text.utf8)).decode(FlowTimeSeries.self) }),
         ("Foundation", Result { try JSONDecoder().decode(FlowTimeSeries.self, from: Data(text.utf8)) })]
    }

    func testColumnsGiveBackTheWindowsThroughBothWritersAndReaders() throws {
        let original = series()
        XCTAssertEqual(original.windows.count, 4)
        for pretty in [false, true] {
            XCTAssertEqual(try streamingText(original, pretty: pretty), try foundationText(original, pretty: pretty))
        }
        let text = try streamingText(original)
        for (name, decoded) in bothDecoders(text) {
            XCTAssertEqual(try decoded.get(), original, name)
        }
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertNil(object["windows"])
        let columns = try XCTUnwrap(object["windowColumns"] as? [String: Any])
        // The starts: the first window's, then each distance from the one before.
        XCTAssertEqual(columns["start_ns_deltas"] as? [Int64], [-2_000, 2_000, 7_000, 1_000_000_000_000_000_000 - 7_000])
        XCTAssertEqual(columns["packets"] as? [Int], [2, 1, 3, 1])
        XCTAssertEqual(columns["paused_ns"] as? [Int], [0, 0, 500, 0])
        XCTAssertEqual(columns["ack_latency"] as? [[Int]], [[LogSketch.bucket(of: 416), 1], [], [],
                                                            [LogSketch.bucket(of: 417), 1, LogSketch.bucket(of: 9_000_000), 1]])
        // Columns that are zero in every window are left out.
        XCTAssertEqual(Set(columns.keys), ["ack_latency", "ce_packets", "gaps", "goodput_bytes", "packets", "paused_ns",
                                           "retransmitted_bytes", "retransmitted_packets", "start_ns_deltas", "wire_bytes"])
    }

    /// Every stored field of a window has its column: with every field set, each comes
    /// out under its snake_case key (the start as `start_ns_deltas`).
    func testEveryWindowFieldHasAColumn() throws {
        var series = FlowTimeSeries(windowNs: 1_000)
        series.add({ window in
            window.packets = 3; window.wireBytes = 4_170; window.goodputBytes = 4_096; window.retransmittedBytes = 4_170
            window.cePackets = 1; window.cnpPackets = 2; window.retransmittedPackets = 1; window.naks = 4
            window.pausedNs = 77; window.ackLatency.record(416); window.gaps.record(25)
        }, at: 5_000)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try streamingText(series).utf8)) as? [String: Any])
        let columns = Set(try XCTUnwrap(object["windowColumns"] as? [String: Any]).keys)
        let fields = Set(Mirror(reflecting: series.windows[0]).children.compactMap(\.label).map { label in
            label.reduce(into: "") { text, character in
                text += character.isUppercase ? "_" + character.lowercased() : String(character)
            }
        })
        XCTAssertEqual(columns, fields.subtracting(["start_ns"]).union(["start_ns_deltas"]))
        for (name, decoded) in bothDecoders(try streamingText(series)) { XCTAssertEqual(try decoded.get(), series, name) }
    }

    func testAnEmptySeriesKeepsItsStartsColumn() throws {
        let empty = FlowTimeSeries(windowNs: 500)
        let text = try streamingText(empty)
        XCTAssertTrue(text.contains(#""windowColumns":{"start_ns_deltas":[]}"#), text)
        for (name, decoded) in bothDecoders(text) { XCTAssertEqual(try decoded.get(), empty, name) }
    }

    func testVersionOneWindowObjectsReadAsTheSameSeries() throws {
        let original = series()
        // Version 1's form, as that writer wrote it: each window an object.
        let windows = try original.windows.map { window in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try streamingText(window).utf8)) as? [String: Any])
        }
        let columnsText = try streamingText(original)
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(columnsText.utf8)) as? [String: Any])
        object["windowColumns"] = nil
        object["windows"] = windows
        let v1 = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        for (name, decoded) in bothDecoders(v1) { XCTAssertEqual(try decoded.get(), original, name) }
    }

    func testDamagedColumnsNameTheColumn() throws {
        let text = try streamingText(series())
        let cases: [(String, String, String)] = [
            (#""packets":[2,1,3,1]"#, #""packets":[2,1,3]"#, "packets"),
            (#""start_ns_deltas":[-2000,"#, #""start_ns_deltas":[9223372036854775807,"#, "start_ns_deltas"),
            (#""wire_bytes":["#, #""wire_bytes":["x","#, "wire_bytes"),
            (#""start_ns_deltas":"#, #""start_ns_deltaz":"#, "start_ns_deltas"),
        ]
        for (from, to, column) in cases {
            let damaged = text.replacingOccurrences(of: from, with: to)
            XCTAssertNotEqual(damaged, text, from)
            for (name, decoded) in bothDecoders(damaged) {
                guard case .failure(let error) = decoded else {
                    XCTFail("\(name) decoded \(damaged)")
                    continue
                }
                XCTAssertTrue("\(error)".contains(column), "\(name): \(error)")
            }
        }
    }
}
