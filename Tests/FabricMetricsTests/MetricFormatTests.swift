import FabricCompare
import FabricMetrics
import XCTest

/// The one formatter per unit, at each precision, on values people see in the
/// outputs (the golden files hold the same figures in context).
final class MetricFormatTests: XCTestCase {
    func testEachUnitAtEachPrecision() {
        let cases: [(MetricUnit, Double, cell: String, compact: String, prose: String)] = [
            (.nanoseconds, 3_175.6, "3.18 µs", "3.18 µs", "3.18 µs"),
            (.nanoseconds, 850, "850 ns", "850 ns", "850 ns"),
            (.nanoseconds, 1_500_000, "1.50 ms", "1.50 ms", "1.50 ms"),
            (.bitsPerSecond, 34.6e9, "34.6 Gb/s", "34.6 Gb/s", "34.6 Gb/s"),
            (.fraction, 0.0588, "5.9%", "5.88 %", "5.88 %"),
            (.fraction, 0.0012, "0.1%", "0.120 %", "0.12 %"),
            (.perSecond, 17_900, "17900.0/s", "17.9 k/s", "17.9 k/s"),
            (.count, 440, "440", "440", "440"),
            (.bytes, 123_456, "123 kB", "123 kB", "123 kB"),
        ]
        for (unit, value, cell, compact, prose) in cases {
            XCTAssertEqual(unit.format(value, .cell), cell, "\(unit) \(value)")
            XCTAssertEqual(unit.format(value, .compact), compact, "\(unit) \(value)")
            XCTAssertEqual(unit.format(value, .prose), prose, "\(unit) \(value)")
        }
    }

    func testValuesThatCannotBeWholeNumbersDoNotTrap() {
        XCTAssertEqual(MetricUnit.count.format(.infinity, .cell), "inf")
        XCTAssertEqual(Units.whole(1e300), nil)
        XCTAssertEqual(Units.duration(Double.nan), "nan ns")
    }

    func testResolutionAndRoundedDurations() {
        XCTAssertEqual(Units.resolution(1000), "1 µs")
        XCTAssertEqual(Units.resolution(100), "100 ns")
        XCTAssertEqual(Units.resolution(0.5), "0.5 ns")
        XCTAssertEqual(Units.roundedDuration(32_470), "32.47 µs")
        XCTAssertEqual(Units.roundedDuration(1_500_000), "1.5 ms")
    }

    /// The catalog's own invariants (the surfaces' are in FabricReportTests).
    func testEveryRunMetricIsATypedCompareMetricWithAdvice() {
        XCTAssertEqual(CompareMetric.allCases.map(\.rawValue), Metrics.run.map(\.name))
        for metric in CompareMetric.allCases {
            XCTAssertEqual(CompareMetric(rawValue: metric.rawValue), metric)
            XCTAssertNotNil(metric.definition.advice, metric.rawValue)
            XCTAssertFalse(metric.label.isEmpty)
        }
        XCTAssertNil(CompareMetric(rawValue: "throughput_mean_bps"), "a flow-only metric is not compared")
        XCTAssertEqual(Set(Metrics.all.map(\.name)).count, Metrics.all.count)
    }
}
