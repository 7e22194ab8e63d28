@testable import FabricCompare
import FabricCompare
import TestSupport
import Foundation
import XCTest

/// Student's t, Welch's test and Benjamini–Hochberg against scipy's answers
/// (scripts/vectors/scipy_compare_vectors.py wrote them).
final class CompareStatisticsTests: XCTestCase {
    struct Vectors: Decodable {
        struct TCase: Decodable { var t: Double; var df: Double; var two_sided_p: Double }
        struct Quantile: Decodable { var p: Double; var df: Double; var t: Double }
        struct Welch: Decodable { var a: [Double]; var b: [Double]; var statistic: Double; var df: Double; var p: Double }
        struct BH: Decodable { var p: [Double]; var adjusted: [Double] }
        var student_t: [TCase]
        var t_quantiles: [Quantile]
        var welch: [Welch]
        var benjamini_hochberg: [BH]
    }

    func vectors() throws -> Vectors {
        try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: TestPaths.vectors("scipy-compare.json")))
    }

    func testStudentTMatchesScipy() throws {
        let cases = try vectors().student_t
        XCTAssertEqual(cases.count, 63)
        for c in cases {
            let p = StudentT.twoSidedP(t: c.t, df: c.df)
            XCTAssertEqual(p, c.two_sided_p, accuracy: max(1e-12, 1e-9 * c.two_sided_p), "t=\(c.t) df=\(c.df)")
        }
    }

    func testQuantilesMatchScipy() throws {
        for c in try vectors().t_quantiles {
            XCTAssertEqual(StudentT.quantile(c.p, df: c.df), c.t, accuracy: 1e-8 * max(1, abs(c.t)), "p=\(c.p) df=\(c.df)")
        }
    }

    /// The comparison's test works on two estimates and their variances; fed the
    /// sample means and var/n it must be scipy's Welch test.
    func testWelchTestMatchesScipy() throws {
        for c in try vectors().welch {
            func estimate(_ x: [Double]) -> SideEstimate {
                let mean = x.reduce(0, +) / Double(x.count)
                let sampleVariance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
                return SideEstimate(value: mean, variance: sampleVariance / Double(x.count), units: x.count)
            }
            let test = WelchTest(baseline: estimate(c.a), candidate: estimate(c.b), logScale: false)
            XCTAssertEqual(test.pValue!, c.p, accuracy: max(1e-12, 1e-9 * c.p))
        }
    }

    func testBenjaminiHochbergMatchesScipy() throws {
        for c in try vectors().benjamini_hochberg {
            let adjusted = BenjaminiHochberg.adjust(c.p.map { $0 })
            for (ours, theirs) in zip(adjusted, c.adjusted) { XCTAssertEqual(ours!, theirs, accuracy: 1e-12) }
        }
        // Untested entries stay nil and do not count as tests.
        XCTAssertEqual(BenjaminiHochberg.adjust([0.01, nil, 0.04]).map { $0 ?? -1 }, [0.02, -1, 0.04])
    }

    /// A value known only to within its buckets: a deterministic change gets an
    /// interval as wide as the reading error, not zero.
    func testReadingErrorWidensTheInterval() throws {
        let b = SideEstimate(value: 100, variance: 0, units: 20), c = SideEstimate(value: 150, variance: 0, units: 20)
        let exact = try XCTUnwrap(WelchTest(baseline: b, candidate: c).interval(level: 0.99))
        XCTAssertEqual(exact.low, 0.5, accuracy: 1e-12)
        XCTAssertEqual(exact.high, 0.5, accuracy: 1e-12)
        let read = WelchTest(baseline: b, candidate: c, resolution: (0.01, 0.01))
        let widened = try XCTUnwrap(read.interval(level: 0.99))
        XCTAssertEqual(widened.low, 1.5 / (1.01 * 1.01) - 1, accuracy: 1e-12)
        XCTAssertEqual(widened.high, 1.5 * 1.01 * 1.01 - 1, accuracy: 1e-12)
        XCTAssertEqual(read.pValue, 0)
        // Nothing to test with one unit a side.
        XCTAssertNil(WelchTest(baseline: SideEstimate(value: 1, variance: nil, units: 1),
                               candidate: SideEstimate(value: 2, variance: nil, units: 1)).pValue)
    }

    /// On the log scale the interval excludes 0 exactly when p is below 1 − level:
    /// the interval and the test say the same thing.
    func testIntervalAgreesWithTheTest() throws {
        let b = SideEstimate(value: 100, variance: 40, units: 24)
        for (candidate, variance) in [(104.0, 40.0), (110, 40), (118, 300), (90, 10), (101, 1)] {
            let test = WelchTest(baseline: b, candidate: SideEstimate(value: candidate, variance: variance, units: 22))
            for level in [0.95, 0.99, 0.9998] {
                let interval = try XCTUnwrap(test.interval(level: level))
                XCTAssertEqual(interval.low > 0 || interval.high < 0, test.pValue! < 1 - level, "\(candidate) at \(level)")
                XCTAssertTrue(interval.low < test.relativeChange! && test.relativeChange! < interval.high)
            }
        }
    }
}
