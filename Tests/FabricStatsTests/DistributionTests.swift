@testable import FabricStats
import FabricJSON
import FabricRandom
import FabricStats
import TestSupport
import Foundation
import Histogram
import XCTest

/// `Distribution` against numpy on seeded samples (scripts/vectors/numpy_distribution_vectors.py):
/// count, min, max exactly; mean and standard deviation to floating-point rounding;
/// percentiles (nearest rank) within HdrHistogram's 3 significant digits.
final class DistributionTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let samples: [Int64]
        let count: Int
        let min: Int64
        let max: Int64
        let mean: Double
        let std: Double
        let percentiles: [String: Int64]
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: TestPaths.vectors("numpy-distributions.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    func testAgainstNumpy() {
        XCTAssertEqual(DistributionTests.cases.count, 4)
        for vector in DistributionTests.cases {
            var distribution = Distribution()
            for sample in vector.samples { distribution.record(sample) }
            XCTAssertEqual(distribution.count, vector.count, vector.name)
            XCTAssertEqual(distribution.minimum, vector.min, vector.name)
            XCTAssertEqual(distribution.maximum, vector.max, vector.name)
            XCTAssertEqual(distribution.mean, vector.mean, accuracy: abs(vector.mean) * 1e-12, vector.name)
            XCTAssertEqual(distribution.standardDeviation, vector.std, accuracy: vector.std * 1e-6 + 1e-9, vector.name)
            for (key, expected) in vector.percentiles {
                let value = distribution.value(atPercentile: Double(key)!)
                XCTAssertEqual(Double(value), Double(expected), accuracy: Double(expected) * 0.001 + 0.5,
                               "\(vector.name) p\(key)")
            }
        }
    }

    func testMergeIsExact() {
        let samples = DistributionTests.cases[0].samples
        var whole = Distribution(), first = Distribution(), second = Distribution()
        for (index, sample) in samples.enumerated() {
            whole.record(sample)
            if index % 3 == 0 { first.record(sample) } else { second.record(sample) }
        }
        first.merge(second)
        XCTAssertEqual(first.count, whole.count)
        XCTAssertEqual(first.minimum, whole.minimum)
        XCTAssertEqual(first.maximum, whole.maximum)
        XCTAssertEqual(first.histogram, whole.histogram)
        for p in [50.0, 99.0, 99.9] { XCTAssertEqual(first.value(atPercentile: p), whole.value(atPercentile: p)) }
    }

    /// With few samples a distribution keeps the samples, not a histogram; its
    /// percentiles, buckets and encoding must equal what a histogram of the same
    /// samples gives, before and after merging, and after a round trip.
    func testFewSamplesAnswerAsTheHistogramDoes() throws {
        var generator = SystemRandomNumberGenerator()
        let percentiles = [0.1, 1, 5, 25, 50, 75, 90, 99, 99.9, 99.99, 100]
        func walked(_ distribution: Distribution, _ samples: [Int64]) -> [Int64] {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 1 << 40,
                                              numberOfSignificantValueDigits: .three)
            for sample in samples { _ = histogram.record(UInt64(max(0, sample))) }
            let ranks = percentiles.map { UInt64(Distribution.rank(percentile: $0, count: samples.count)) }
            return distribution.values(atRanks: ranks, counts: histogram.countsByIndex)
        }
        let sorted = JSONEncoder()
        sorted.outputFormatting = .sortedKeys
        func roundTrip(_ distribution: Distribution) throws -> Distribution {
            try JSONDecoder().decode(Distribution.self, from: JSONEncoder().encode(distribution))
        }
        for size in [1, 2, 3, 7, 31, 64, 128, 255, 256, 257, 600, 3000] {
            for _ in 0..<3 {
                var distribution = Distribution(), samples: [Int64] = []
                for _ in 0..<size {
                    // Log-uniform over 1 ns … 100 ms, with ties and zeros now and then.
                    let value = Int64(exp(Double.random(in: 0...18.4, using: &generator)))
                    samples.append(Bool.random(using: &generator) ? value : value / 1000 * 1000)
                    distribution.record(samples.last!)
                }
                XCTAssertEqual(distribution.values(atPercentiles: percentiles), walked(distribution, samples), "\(size) samples")
                let decoded = try roundTrip(distribution)
                XCTAssertEqual(decoded, distribution)
                XCTAssertEqual(decoded.values(atPercentiles: percentiles), walked(distribution, samples), "\(size) decoded")
                XCTAssertEqual(try sorted.encode(decoded), try sorted.encode(distribution), "\(size) re-encoded")
                var merged = distribution
                merged.merge(decoded)
                XCTAssertEqual(merged.values(atPercentiles: percentiles), walked(merged, samples + samples), "\(size) merged")
                var recordedTwice = distribution
                for sample in samples { recordedTwice.record(sample) }
                XCTAssertEqual(merged, recordedTwice)
                // The histogram text, that is (a sum of squares adds up in another order).
                func histogramText(_ d: Distribution) throws -> String? {
                    let object = try JSONSerialization.jsonObject(with: sorted.encode(d)) as? [String: Any]
                    return object?["histogram"] as? String
                }
                XCTAssertEqual(try histogramText(merged), try histogramText(recordedTwice), "\(size) merged histogram")
                XCTAssertEqual(merged.logSketch(), recordedTwice.logSketch())
                XCTAssertEqual(merged.cdf().map(\.valueNs), recordedTwice.cdf().map(\.valueNs))
            }
        }
    }

    /// Distributions in different forms (samples, buckets, histogram) merge into what
    /// recording every sample into one gives.
    /// An empty distribution's histogram text is taken as it is written, without
    /// inflating it; the count is still held to the histogram: a count of 0 beside a
    /// histogram with samples is refused, and a full distribution reads back.
    func testEmptyHistogramTextReadsWithoutDecodingAndCountsStillAgree() throws {
        var full = Distribution()
        for value: Int64 in [10, 20, 30_000] { full.record(value) }
        let fullText = try XCTUnwrap(String(data: try JSONEncoder().encode(full), encoding: .utf8))
        let emptyText = try XCTUnwrap(String(data: try JSONEncoder().encode(Distribution()), encoding: .utf8))
        XCTAssertTrue(emptyText.contains(Distribution.emptyHistogramText))
        for decoder in [{ (text: String) in try JSONDecoder().decode(Distribution.self, from: Data(text.utf8)) },
                        { (text: String) in try TapeJSONDecoder(parsing: Array(text.utf8)).decode(Distribution.self) }] {
            XCTAssertEqual(try decoder(emptyText), Distribution())
            XCTAssertEqual(try decoder(fullText), full)
            let zeroCount = fullText.replacingOccurrences(of: #""count":3"#, with: #""count":0"#)
            XCTAssertNotEqual(zeroCount, fullText)
            XCTAssertThrowsError(try decoder(zeroCount)) { error in
                XCTAssertTrue("\(error)".contains("disagrees with the histogram"), "\(error)")
            }
        }
    }

    func testMergesAcrossForms() {
        var generator = SplitMix64(seed: 3)
        func samples(_ n: Int, spread: Double) -> [Int64] {
            (0..<n).map { _ in Int64(exp(Double(generator.next() % 10_000) / 10_000 * spread)) + 1000 }
        }
        let percentiles = [1, 50, 90, 99, 99.9, 100.0]
        // Narrow spreads stay in few buckets (the second form); wide ones need a histogram.
        let shapes = [samples(3, spread: 2), samples(600, spread: 1), samples(5000, spread: 18), samples(300, spread: 18)]
        for a in shapes {
            for b in shapes {
                var left = Distribution(), right = Distribution(), whole = Distribution()
                for v in a { left.record(v); whole.record(v) }
                for v in b { right.record(v); whole.record(v) }
                left.merge(right)
                XCTAssertEqual(left.buckets(), whole.buckets(), "\(a.count) + \(b.count)")
                XCTAssertEqual(left.values(atPercentiles: percentiles), whole.values(atPercentiles: percentiles))
                XCTAssertEqual(left.count, whole.count)
            }
        }
    }

    /// `HdrLayout`'s arithmetic is hdrhistogram-swift's for 3 digits, lowest value 1.
    func testLayoutMatchesTheLibrary() {
        let histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 1 << 62,
                                          numberOfSignificantValueDigits: .three)
        var generator = SplitMix64(seed: 7)
        var values: [UInt64] = Array(0...5000) + [(1 << 62) - 1, 1 << 61, 18000, 1 << 40]
        for _ in 0..<20000 { values.append(generator.next() >> UInt64(generator.next() % 63 + 2)) }
        for value in values {
            XCTAssertEqual(HdrLayout.lowestEquivalent(value), histogram.lowestEquivalentForValue(value), "\(value)")
            XCTAssertEqual(HdrLayout.middleValue(atIndex: HdrLayout.index(of: value)), histogram.medianEquivalentForValue(value), "\(value)")
        }
        XCTAssertEqual(HdrLayout.highestTrackable(forMaximum: 0), 2048)
        XCTAssertEqual(HdrLayout.highestTrackable(forMaximum: 2048), 4096)
        XCTAssertEqual(HdrLayout.highestTrackable(forMaximum: 5000), 8192)
    }

    /// Percentiles from the raw bucket counts equal those read through
    /// hdrhistogram-swift's own iterator, at every rank of the numpy vectors.
    func testCountsWalkMatchesIteratorWalk() throws {
        for vector in DistributionTests.cases {
            var distribution = Distribution()
            for sample in vector.samples { distribution.record(sample) }
            let counts = try XCTUnwrap(distribution.histogram.bucketCounts)
            let ranks = (1...distribution.count).map(UInt64.init)
            XCTAssertEqual(distribution.values(atRanks: ranks, counts: counts),
                           DistributionTests.iteratorWalk(distribution, ranks: ranks), vector.name)
        }
    }

    /// The reference, for increasing `ranks`: for each rank, the lowest value of the
    /// first recorded bucket whose running count reaches it, clamped to the exact
    /// min and max.
    static func iteratorWalk(_ distribution: Distribution, ranks: [UInt64]) -> [Int64] {
        let histogram = distribution.histogram
        var answers: [Int64] = []
        for bucket in histogram.recordedValues() {
            while answers.count < ranks.count, bucket.totalCountToThisValue >= ranks[answers.count] {
                let value = Int64(clamping: histogram.lowestEquivalentForValue(bucket.value))
                answers.append(min(max(value, distribution.minimum), distribution.maximum))
            }
        }
        return answers
    }
}
