@testable import FabricStats
import FabricRandom
import FabricStats
import XCTest

/// The growing table answers exactly what a full 256-entry direct-mapped table does.
final class RecentTransmissionsTests: XCTestCase {
    /// The reference: a full table from the start.
    struct FullTable {
        var psns = [Int64](repeating: -1, count: RecentTransmissions.capacity)
        var times = [Int64](repeating: 0, count: RecentTransmissions.capacity)
        mutating func record(psn: Int64, timeNs: Int64) {
            let slot = Int(psn & Int64(RecentTransmissions.capacity - 1))
            psns[slot] = psn
            times[slot] = timeNs
        }
        func firstSent(psn: Int64) -> Int64? {
            let slot = Int(psn & Int64(RecentTransmissions.capacity - 1))
            return psns[slot] == psn ? times[slot] : nil
        }
    }

    func testGrowingTableAnswersAsAFullOne() {
        var generator = SplitMix64(seed: 12)
        for trial in 0..<200 {
            var table = RecentTransmissions(), reference = FullTable(), tables = RecentTables()
            // Increasing PSNs with jumps of 1 … 300 (losses before the tap, wraps of the table).
            var psn = Int64(generator.next() % 5000), time: Int64 = 0
            for _ in 0..<Int(generator.next() % 600 + 1) {
                table.record(psn: psn, timeNs: time, in: &tables)
                reference.record(psn: psn, timeNs: time)
                psn += generator.next() % 4 == 0 ? Int64(generator.next() % 300 + 1) : 1
                time += 100
            }
            for probe in max(0, psn - 1200)...psn {
                XCTAssertEqual(table.firstSent(psn: probe, in: tables), reference.firstSent(psn: probe), "trial \(trial), PSN \(probe)")
            }
        }
    }

    /// Many streams' tables in one storage, recorded in turn, grown at different
    /// times, some given back and their space reused by new streams: each still
    /// answers what its own full table does, and a reused table holds nothing of
    /// the stream that had it before.
    func testTablesSharingOneStorageAnswerEachAsItsOwn() {
        var generator = SplitMix64(seed: 29)
        var tables = RecentTables()
        var streams = (0..<24).map { _ in (table: RecentTransmissions(), reference: FullTable(), psn: Int64(0)) }
        for round in 0..<2_000 {
            let which = Int(generator.next() % UInt64(streams.count))
            if round % 300 == 299 {
                // A stream starts over: its table goes back to the storage.
                streams[which].table.release(to: &tables)
                streams[which].reference = FullTable()
                streams[which].psn = 0  // the same PSNs as the streams whose tables it may reuse
            }
            let time = Int64(round) * 10
            streams[which].table.record(psn: streams[which].psn, timeNs: time, in: &tables)
            streams[which].reference.record(psn: streams[which].psn, timeNs: time)
            streams[which].psn += generator.next() % 5 == 0 ? Int64(generator.next() % 40 + 1) : 1
        }
        for (index, stream) in streams.enumerated() {
            for probe in max(0, stream.psn - 600)...stream.psn {
                XCTAssertEqual(stream.table.firstSent(psn: probe, in: tables), stream.reference.firstSent(psn: probe),
                               "stream \(index), PSN \(probe)")
            }
        }
    }
}
