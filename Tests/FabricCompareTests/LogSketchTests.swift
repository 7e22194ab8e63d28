@testable import FabricCompare
import TestSupport
import FabricStats
import Foundation
import XCTest

final class LogSketchTests: XCTestCase {
    /// Nearest-rank quantiles read from the sketch stay within half a bucket
    /// (0.55 %) of numpy's on the same samples.
    func testQuantilesWithinHalfABucketOfNumpy() throws {
        struct Case: Decodable { var name: String; var samples: [Int64]; var percentiles: [String: Int64] }
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: TestPaths.vectors("numpy-distributions.json")))
        XCTAssertFalse(cases.isEmpty)
        for c in cases {
            var sketch = LogSketch()
            for sample in c.samples { sketch.record(sample) }
            XCTAssertEqual(sketch.count, c.samples.count)
            var dense = DenseBuckets()
            dense.add(sketch)
            for (percentile, expected) in c.percentiles {
                let value = dense.quantile(Double(percentile)! / 100)!
                XCTAssertEqual(value, Double(expected), accuracy: Double(expected) * 0.0055, "\(c.name) p\(percentile)")
            }
        }
    }

    /// One sketch is kept as it is and several are added into flat counts: both
    /// forms give the same quantiles for the same samples.
    func testOneSketchAndSeveralGiveTheSameQuantiles() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let samples = (0..<(1 + round * 37)).map { _ in Int64.random(in: 0...5_000_000, using: &generator) }
            var whole = LogSketch()
            var parts = [LogSketch(), LogSketch(), LogSketch()]
            for (i, sample) in samples.enumerated() {
                whole.record(sample)
                parts[i % 3].record(sample)
            }
            var one = DenseBuckets(), several = DenseBuckets()
            one.add(whole)
            for part in parts { several.add(part) }
            several.add(LogSketch())
            XCTAssertEqual(one.total, samples.count)
            XCTAssertEqual(several.total, samples.count)
            let sorted = samples.sorted()
            for q in [0.0, 0.01, 0.5, 0.9, 0.99, 0.999, 1] {
                XCTAssertEqual(one.quantile(q), several.quantile(q), "round \(round) q \(q)")
                // The nearest-rank sample lies in the bucket read (q·n a hair above an
                // integer counts as that integer).
                let exact = q * Double(samples.count)
                let rank = max(1, Int((exact - 1e-9 * max(1, exact)).rounded(.up)))
                XCTAssertEqual(one.quantile(q), LogSketch.value(ofBucket: LogSketch.bucket(of: sorted[rank - 1])), "round \(round) q \(q)")
            }
        }
        XCTAssertNil(DenseBuckets().quantile(0.5))
    }

    func testSketchesAddAndRoundTrip() throws {
        var a = LogSketch(), b = LogSketch()
        for value in [3000, 3100, 5000, 0, 3000] as [Int64] { a.record(value) }
        for value in [3000, 90_000] as [Int64] { b.record(value) }
        a.add(b)
        XCTAssertEqual(a.count, 7)
        XCTAssertEqual(a.buckets, a.buckets.sorted())
        XCTAssertEqual(a.counts[a.buckets.firstIndex(of: UInt16(LogSketch.bucket(of: 3000)))!], 3)
        let data = try JSONEncoder().encode(a)
        XCTAssertEqual(try JSONDecoder().decode(LogSketch.self, from: data), a)
        // Buckets out of order, beyond the range, or without a count are refused.
        for bad in ["[5,1,4,1]", "[99999,1]", "[5]", "[5,0]"] {
            XCTAssertThrowsError(try JSONDecoder().decode(LogSketch.self, from: Data(bad.utf8)), bad)
        }
    }
}
