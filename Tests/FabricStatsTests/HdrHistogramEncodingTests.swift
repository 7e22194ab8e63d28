@testable import FabricStats
import FabricStats
import TestSupport
import Foundation
import Histogram
import XCTest

/// The V2 encoding against HdrHistogram_py (scripts/vectors/hdrhistogram_vectors.py):
/// its encodings decode here to its buckets, and encodings written here decode in
/// HdrHistogram_py to the same buckets.
final class HdrHistogramEncodingTests: XCTestCase {
    struct Vector: Decodable {
        let name: String
        let encoded: String
        let total: UInt64
        let buckets: [[UInt64]]
        let samples: [UInt64]
    }

    static let vectors: [Vector] = {
        let data = try! Data(contentsOf: TestPaths.vectors("hdrhistogram-python.json"))
        return try! JSONDecoder().decode([Vector].self, from: data)
    }()

    func buckets(_ histogram: Histogram<UInt64>) -> [[UInt64]] {
        histogram.recordedValues().map { [histogram.lowestEquivalentForValue($0.value), $0.count] }
    }

    func histogram(_ samples: [UInt64]) -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        for sample in samples { _ = histogram.record(sample) }
        return histogram
    }

    func testDecodesPythonEncodings() throws {
        XCTAssertEqual(HdrHistogramEncodingTests.vectors.count, 5)
        for vector in HdrHistogramEncodingTests.vectors {
            let decoded = try HdrHistogramEncoding.decode(vector.encoded)
            XCTAssertEqual(decoded.totalCount, vector.total, vector.name)
            XCTAssertEqual(buckets(decoded), vector.buckets, vector.name)
        }
    }

    func testSameBucketsAsPythonFromTheSameSamples() {
        for vector in HdrHistogramEncodingTests.vectors {
            XCTAssertEqual(buckets(histogram(vector.samples)), vector.buckets, vector.name)
        }
    }

    func testRoundTrip() throws {
        for vector in HdrHistogramEncodingTests.vectors {
            let original = histogram(vector.samples)
            let text = HdrHistogramEncoding.encode(original)
            XCTAssertTrue(text.hasPrefix("HISTF"), vector.name)
            XCTAssertEqual(buckets(try HdrHistogramEncoding.decode(text)), buckets(original), vector.name)
        }
    }

    func testVarintsMatchTheReferenceLayout() {
        // ZigZag: 0→0, −1→1, 1→2, −2→3; LEB128 continuation bits; 9-byte maximum.
        var bytes: [UInt8] = []
        for value: Int64 in [0, -1, 1, -2, 63, 64, -1000, Int64.max, Int64.min] {
            HdrHistogramEncoding.putVarint(&bytes, value)
        }
        XCTAssertEqual(Array(bytes.prefix(7)), [0x00, 0x01, 0x02, 0x03, 0x7e, 0x80, 0x01])
        var cursor = 0
        var decoded: [Int64] = []
        while cursor < bytes.count { decoded.append(try! HdrHistogramEncoding.getVarint(bytes, &cursor, end: bytes.count)) }
        XCTAssertEqual(decoded, [0, -1, 1, -2, 63, 64, -1000, Int64.max, Int64.min])
    }

    func testPythonDecodesOurEncodings() throws {
        let probe = try runPython("from hdrh.histogram import HdrHistogram")
        if probe.status != 0 {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("python3 hdrhistogram missing: \(probe.error)") }
            throw XCTSkip("python3 with the hdrhistogram package is not available")
        }
        for vector in HdrHistogramEncodingTests.vectors {
            let text = HdrHistogramEncoding.encode(histogram(vector.samples))
            let result = try runPython("""
                import json, sys
                from hdrh.histogram import HdrHistogram
                h = HdrHistogram.decode(sys.argv[1])
                print(json.dumps([h.get_total_count(), [[h.get_lowest_equivalent_value(i.value_iterated_to),
                    i.count_at_value_iterated_to] for i in h.get_recorded_iterator()]]))
                """, text)
            XCTAssertEqual(result.status, 0, result.error)
            let answer = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [Any]
            XCTAssertEqual((answer[0] as! NSNumber).uint64Value, vector.total, vector.name)
            let pythonBuckets = (answer[1] as! [[NSNumber]]).map { $0.map(\.uint64Value) }
            XCTAssertEqual(pythonBuckets, vector.buckets, vector.name)
        }
    }

    func runPython(_ script: String, _ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    /// The counts read through the histogram's `Codable` conformance are the ones its
    /// iterator yields, index for index. If a new hdrhistogram-swift encodes itself
    /// differently, `bucketCounts` turns nil and this fails: percentiles and
    /// encodings still come out right (they fall back to the iterators), only slower.
    func testBucketCountsAreTheIteratorsCounts() throws {
        for vector in HdrHistogramEncodingTests.vectors {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 1 << 40,
                                              numberOfSignificantValueDigits: .three)
            for sample in vector.samples { _ = histogram.record(sample) }
            let counts = try XCTUnwrap(histogram.bucketCounts, vector.name)
            let iterated = histogram.allValues().map(\.count)
            XCTAssertEqual(Array(counts.prefix(iterated.count)), iterated, vector.name)
            XCTAssertTrue(counts.dropFirst(iterated.count).allSatisfy { $0 == 0 }, vector.name)
            for (index, count) in counts.enumerated() where count > 0 {
                XCTAssertEqual(histogram.countForValue(HdrLayout.lowestValue(atIndex: index)), count, vector.name)
            }
        }
    }
}
