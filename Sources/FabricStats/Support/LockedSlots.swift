import Foundation

/// Slots that concurrent jobs each fill once, under a lock, read after every job
/// is done: how results come back from threads in input order.
final class LockedSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) { lock.withLock { storage[index] = value } }

    var values: [T?] { lock.withLock { storage } }
}
