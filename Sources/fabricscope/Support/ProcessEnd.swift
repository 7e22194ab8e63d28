import Synchronization

/// What a command keeps until the process exits instead of freeing it.
///
/// Why: a summary of 10⁵ flows is millions of small allocations (windows, sketches,
/// names). Freeing them one by one after the output is written took 0.3 s of a 3 s
/// `merge`, on one core, while nobody waits for anything but the exit. The kernel
/// takes the whole heap back at once when the process ends (compilers skip the same
/// teardown for the same reason). Only the command line's entry point turns this on:
/// tests that run commands in their own process free everything as usual.
enum ProcessEnd {
    private static let kept = Mutex<(enabled: Bool, values: [any Sendable])>((false, []))

    /// Called once by `Entry.main`, before the command runs.
    static func keepValuesUntilExit() {
        kept.withLock { $0.enabled = true }
    }

    /// Holds `value` to the end of the process when the entry point asked for it.
    /// Pass a value after its last change: a kept copy makes a later change copy it.
    static func keep(_ value: some Sendable) {
        kept.withLock { state in
            if state.enabled { state.values.append(value) }
        }
    }
}
