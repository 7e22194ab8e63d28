import FabricConcurrency
import Synchronization
import XCTest

/// `ParallelMap.array` against a plain `map`: the same elements in the same order, the
/// first error in input order thrown, and every element made before an error freed.
final class ParallelMapArrayTests: XCTestCase {
    /// Counts the instances alive, to see that none is leaked or freed twice.
    final class Tracked: Sendable {
        static let alive = Atomic<Int>(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Tracked.alive.add(1, ordering: .relaxed)
        }
        deinit { Tracked.alive.subtract(1, ordering: .relaxed) }
    }

    struct Failure: Error, Equatable { let index: Int }

    func testElementsAreThePlainMapsInOrder() {
        for (count, slice) in [(0, 4), (1, 4), (7, 3), (1_000, 64), (1_024, 1_024), (5_000, 1_024)] {
            let made = ParallelMap.array(count: count, sliceSize: slice) { index in "\(index * 7)" }
            XCTAssertEqual(made, (0..<count).map { "\($0 * 7)" }, "count \(count), slices of \(slice)")
        }
    }

    func testTheFirstErrorInOrderIsThrownAndNothingLeaks() {
        XCTAssertEqual(Tracked.alive.load(ordering: .relaxed), 0)
        // Errors in several slices, and in the middle of a slice: the lowest index wins.
        let failing: Set<Int> = [4_100, 2_050, 3_000, 2_049 + 1_024]
        XCTAssertThrowsError(try ParallelMap.array(count: 5_000, sliceSize: 512) { index throws(Failure) -> Tracked in
            if failing.contains(index) { throw Failure(index: index) }
            return Tracked(index)
        }) { error in
            XCTAssertEqual(error as? Failure, Failure(index: 2_050))
        }
        XCTAssertEqual(Tracked.alive.load(ordering: .relaxed), 0, "elements made before the error are freed")

        var made: [Tracked]? = try? ParallelMap.array(count: 3_000, sliceSize: 100) { index throws(Failure) -> Tracked in
            Tracked(index)
        }
        XCTAssertEqual(made?.map(\.value), Array(0..<3_000))
        XCTAssertEqual(Tracked.alive.load(ordering: .relaxed), 3_000)
        made = nil
        XCTAssertEqual(Tracked.alive.load(ordering: .relaxed), 0)
    }
}
