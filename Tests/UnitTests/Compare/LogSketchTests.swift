@testable import FabricCompare
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
