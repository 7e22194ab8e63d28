import FabricConcurrency
import Foundation
import Synchronization
import XCTest

/// `BackgroundRelease`: the value is freed, once, and not on the caller's thread.
final class BackgroundReleaseTests: XCTestCase {
    /// Says on which thread it was freed.
    final class Witness: Sendable {
        let freed: @Sendable (Bool) -> Void
        init(freed: @escaping @Sendable (Bool) -> Void) { self.freed = freed }
        deinit { freed(Thread.isMainThread) }
    }

    /// A value holding the witness among other storage, as the folding state holds
    /// its arrays.
    struct State: Sendable {
        var witness: Witness
        var padding = [Int](repeating: 7, count: 1_000)
    }

    func testTheValueIsFreedOnAnotherThread() {
        XCTAssertTrue(Thread.isMainThread, "XCTest runs test methods on the main thread")
        let freed = expectation(description: "freed")
        let onMain = Mutex<[Bool]>([])
        var state = State(witness: Witness { main in
            onMain.withLock { $0.append(main) }
            freed.fulfill()
        })
        state.padding[0] = 1
        BackgroundRelease.release(consume state)
        wait(for: [freed], timeout: 10)
        XCTAssertEqual(onMain.withLock { $0 }, [false])
    }

    func testManyReleasesFreeEveryValueOnce() {
        let count = 200
        let freed = expectation(description: "all freed")
        freed.expectedFulfillmentCount = count
        freed.assertForOverFulfill = true
        for _ in 0..<count {
            BackgroundRelease.release(State(witness: Witness { _ in freed.fulfill() }))
        }
        wait(for: [freed], timeout: 30)
    }
}
