import XCTest
import FabricJSON
import FabricRandom
@testable import FabricStats

/// `LongPauses` holds the shortest kept pause's index and duration instead of scanning
/// the 64 kept ones on every offer; these hold it to the plain scan it replaced, with
/// many ties, and check that a decoded value (whose initializer runs no `didSet`) and a
/// merged one go on choosing the same pause to replace.
final class LongPausesTests: XCTestCase {
    /// The algorithm before the cache: scan for the first shortest on every offer.
    private struct Reference {
        var pauses: [LongPauses.Pause] = []
        var dropped = 0
        var droppedLongest: Double = 0

        mutating func offer(_ pause: LongPauses.Pause) {
            guard pause.durationNs >= LongPauses.floorNs else { return }
            guard pauses.count == LongPauses.capacity else { return insert(pause) }
            let shortest = pauses.indices.min { pauses[$0].durationNs < pauses[$1].durationNs }!
            guard pause.durationNs > pauses[shortest].durationNs else { return drop(pause) }
            drop(pauses.remove(at: shortest))
            insert(pause)
        }

        mutating func insert(_ pause: LongPauses.Pause) {
            if let last = pauses.last, last.startNs > pause.startNs {
                pauses.insert(pause, at: pauses.firstIndex { $0.startNs > pause.startNs }!)
            } else {
                pauses.append(pause)
            }
        }

        mutating func drop(_ pause: LongPauses.Pause) {
            dropped += 1
            droppedLongest = max(droppedLongest, Double(pause.durationNs))
        }
    }

    /// Pauses in time order with durations from a few values (ties on the shortest are
    /// the case where which one is replaced matters), some under the floor.
    private func pauses(seed: UInt64, count: Int) -> [LongPauses.Pause] {
        var generator = SplitMix64(seed: seed)
        let durations: [Int64] = [5_000, 10_000, 10_000, 12_000, 40_000, 40_000, 1_000_000]
        var now: Int64 = 1_000_000
        return (0..<count).map { message in
            let duration = durations[Int(generator.next() % UInt64(durations.count))]
                + (generator.chance(0.3) ? Int64(generator.next() % 50_000) : 0)
            defer { now += duration + 1_000 }
            return LongPauses.Pause(startNs: now, endNs: now + duration, bytesBefore: message * 4096, messagesBefore: message)
        }
    }

    private func assertSame(_ kept: LongPauses, _ reference: Reference, _ message: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(kept.pauses, reference.pauses, message, file: file, line: line)
        XCTAssertEqual(kept.dropped, reference.dropped, message, file: file, line: line)
        XCTAssertEqual(kept.droppedLongest, reference.droppedLongest, message, file: file, line: line)
    }

    func testKeepsWhatTheScanKept() {
        for seed in UInt64(1)...100 {
            var kept = LongPauses(), reference = Reference()
            for pause in pauses(seed: seed, count: 400) {
                kept.offer(pause)
                reference.offer(pause)
            }
            XCTAssertEqual(kept.pauses.count, LongPauses.capacity, "seed \(seed)")
            XCTAssertGreaterThan(kept.dropped, 0, "seed \(seed)")
            assertSame(kept, reference, "seed \(seed)")
        }
    }

    func testADecodedValueReplacesTheSamePause() throws {
        for seed in UInt64(1)...20 {
            let all = pauses(seed: seed, count: 300)
            var kept = LongPauses(), reference = Reference()
            for pause in all.prefix(150) {
                kept.offer(pause)
                reference.offer(pause)
            }
            let text = try JSONEncoder().encode(kept)
            var viaTape = try TapeJSONDecoder(parsing: Array(text)).decode(LongPauses.self)
            var viaFoundation = try JSONDecoder().decode(LongPauses.self, from: text)
            XCTAssertEqual(viaTape, kept, "seed \(seed)")
            for pause in all.dropFirst(150) {
                viaTape.offer(pause)
                viaFoundation.offer(pause)
                reference.offer(pause)
            }
            assertSame(viaTape, reference, "seed \(seed), decoded from the tape")
            assertSame(viaFoundation, reference, "seed \(seed), decoded by Foundation")
        }
    }

    func testMergeOffersEachPauseAsTheScanDid() {
        for seed in UInt64(1)...20 {
            var first = LongPauses(), second = LongPauses(), reference = Reference()
            for (index, pause) in pauses(seed: seed, count: 300).enumerated() {
                if index % 3 == 0 { first.offer(pause) } else { second.offer(pause) }
            }
            for pause in first.pauses { reference.offer(pause) }
            reference.dropped = first.dropped
            reference.droppedLongest = first.droppedLongest
            reference.dropped += second.dropped
            reference.droppedLongest = max(reference.droppedLongest, second.droppedLongest)
            for pause in second.pauses { reference.offer(pause) }
            first.merge(second)
            assertSame(first, reference, "seed \(seed)")
        }
    }

    func testPauseHistogramCountsAfterDecoding() throws {
        var histogram = PauseHistogram()
        for ns: Int64 in [0, 1, 900, 1_000, 1_100, 50_000, 50_000, 2_000_000] { histogram.record(ns) }
        XCTAssertEqual(histogram.count, 8)
        let decoded = try JSONDecoder().decode(PauseHistogram.self, from: JSONEncoder().encode(histogram))
        XCTAssertEqual(decoded.count, 8)
        XCTAssertEqual(decoded, histogram)
        var merged = decoded
        merged.merge(histogram)
        XCTAssertEqual(merged.count, 16)
        XCTAssertEqual(merged.buckets.map(\.count).reduce(0, +), 16)
    }
}
