import Foundation

/// Frees a large value on a thread of its own, so that the caller goes on at once.
///
/// Why: once the summary is made, the folding state (every flow's state, request
/// streams and tables) is garbage, millions of small allocations. Freed where it was
/// dropped, it took 30–40 ms on one core at 10⁵ flows, between the summary and the
/// report, while the report waited. Kept to the end of the process instead, the
/// report could not reuse its memory: the peak grew by 118 MiB, nearly a third.
/// Freed beside the report, it is off the critical path and its memory returns as
/// it goes.
public enum BackgroundRelease {
    /// Takes `value` and frees it on a new thread. The caller must hold no other copy
    /// (pass it with `consume`), or the last copy is freed wherever it is dropped.
    public static func release<Value: Sendable>(_ value: consuming Value) {
        let holder = Holder(value)
        Thread { holder.drop() }.start()
    }

    /// Owns the value until the thread drops it, whichever side lets go of the
    /// holder last.
    private final class Holder<Value: Sendable>: @unchecked Sendable {
        private var value: Value?
        init(_ value: consuming Value) { self.value = value }
        func drop() { value = nil }
    }
}
