@testable import FabricStats
import FabricStats
import XCTest

/// Finding the pause that separates iterations from the pauses themselves.
final class PauseHistogramTests: XCTestCase {
    private func histogram(_ groups: [(ns: Int64, count: Int)]) -> PauseHistogram {
        var pauses = PauseHistogram()
        for group in groups { for _ in 0..<group.count { pauses.record(group.ns) } }
        return pauses
    }

    /// A 3-rank ring, 3 iterations 10 µs apart: steps pause 4.4–7.6 µs, iterations ~15 µs.
    func testTwoGroupsSplitBetweenThem() throws {
        let pauses = histogram([(4520, 3), (5155, 12), (5527, 6), (5912, 3), (7605, 3), (14953, 3), (16239, 3)])
        let split = try XCTUnwrap(pauses.split())
        XCTAssertGreaterThan(split, 7605)
        XCTAssertLessThanOrEqual(split, 14953)
        XCTAssertEqual(pauses.above(split).count, 6)
        XCTAssertEqual(pauses.above(split).sumNs, 3 * 14953 + 3 * 16239)
    }

    /// One busy period: pauses that vary, but form one group.
    func testOneGroupDoesNotSplit() {
        XCTAssertNil(histogram([(4400, 5), (4900, 9), (5300, 7), (5800, 4), (6400, 2), (7000, 1)]).split())
        XCTAssertNil(histogram([(5000, 20)]).split())
        XCTAssertNil(PauseHistogram().split())
    }

    /// Idle periods are the exception: a long group larger than the short one is no split.
    func testLongGroupLargerThanShortIsNoSplit() {
        XCTAssertNil(histogram([(1000, 2), (50_000, 10)]).split())
    }

    func testMergeAddsBucketsExactly() {
        var a = histogram([(1000, 2), (50_000, 1)])
        a.merge(histogram([(1000, 1), (7000, 1)]))
        XCTAssertEqual(a.count, 5)
        XCTAssertEqual(a.above(0).sumNs, 3000 + 50_000 + 7000)
        XCTAssertEqual(a.buckets.map(\.index), a.buckets.map(\.index).sorted())
    }
}
