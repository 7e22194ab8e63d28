import Dispatch
import Foundation

/// Runs independent jobs (one capture, summary or slice of a report each) on all
/// cores and returns their results in order; the first error, in input order, is
/// thrown.
public enum ParallelMap {
    public static func map<T: Sendable, E: Error>(_ count: Int, _ job: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        let results = LockedSlots<Result<T, E>>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { () throws(E) -> T in try job(index) })
        }
        return try results.values.map { result throws(E) -> T in try result!.get() }
    }

    /// Two different jobs side by side.
    public static func both<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
        let results = LockedSlots<Result<Either<A, B>, Never>>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            results.set(index, .success(index == 0 ? .first(first()) : .second(second())))
        }
        guard case .success(.first(let a)) = results.values[0], case .success(.second(let b)) = results.values[1] else {
            preconditionFailure("each job fills its own slot")
        }
        return (a, b)
    }

    private enum Either<A: Sendable, B: Sendable>: Sendable {
        case first(A), second(B)
    }
}
