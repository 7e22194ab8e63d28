import Foundation

/// Slots that concurrent jobs each fill once, under a lock, read after every job
/// is done: how results come back from threads in input order.
package final class LockedSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]

    package init(count: Int) { storage = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: T) { lock.withLock { storage[index] = value } }

    package var values: [T?] { lock.withLock { storage } }
}
