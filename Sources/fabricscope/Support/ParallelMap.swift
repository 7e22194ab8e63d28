import Dispatch
import Foundation

/// Runs independent jobs (one capture or summary each) on all cores and returns
/// their results in order; the first error, in input order, is thrown.
enum ParallelMap {
    static func map<T: Sendable>(_ count: Int, _ job: @Sendable (Int) throws -> T) throws -> [T] {
        let results = Results<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { try job(index) })
        }
        return try results.values.map { try $0!.get() }
    }

    /// Slots written once each from concurrent jobs, under a lock.
    private final class Results<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Result<T, any Error>?]
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { storage[index] = result } }
        var values: [Result<T, any Error>?] { lock.withLock { storage } }
    }
}
