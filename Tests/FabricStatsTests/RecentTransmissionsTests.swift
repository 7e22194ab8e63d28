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
}
