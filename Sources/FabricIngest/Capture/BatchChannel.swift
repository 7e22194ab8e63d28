import FabricWire
import CPcap
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Hands filled batches from the reading thread to the consuming thread, and
/// empty ones back, through a fixed ring of batches (so memory is bounded whatever
/// the capture's size).
///
/// Why not a lock and a condition variable: waking a sleeping thread costs a
/// system call and, on a virtual machine, an inter-processor interrupt that
/// stalls the thread sending it by tens of microseconds. Signalled once per
/// batch, that was more than a tenth of the reading thread's time. Here each
/// side publishes a counter; the other side polls it, briefly spinning, then
/// yielding, then sleeping in short steps (`Backoff`), so neither ever needs
/// to be woken.
///
/// Batch `k` of the run lives in slot `k % slots`. One reader, and one or more
/// consumers that each read every batch (they share the work out among
/// themselves by packet, see `CaptureReader.forEach(consumers:_:)`); a slot is
/// refilled once every consumer has released it.
final class BatchChannel: Sendable {
    private let batches: [RecordBatch]
    /// Batches the reader has filled and published (grows by one per batch).
    private let published = Atomic<Int>(0)
    /// Per consumer: batches it has finished with (grows by one per batch).
    private let released: [ReleaseCounter]
    /// The reader has published its last batch.
    private let finished = Atomic<Bool>(false)

    /// One consumer's progress. A class, because `Atomic` cannot be copied into an array.
    private final class ReleaseCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    init(slots: Int = 16, consumers: Int = 1) {
        batches = (0..<slots).map { _ in RecordBatch() }
        released = (0..<max(1, consumers)).map { _ in ReleaseCounter() }
    }

    /// Batches every consumer has finished with.
    private func releasedByAll() -> Int {
        var slowest = Int.max
        for counter in released { slowest = min(slowest, counter.value.load(ordering: .acquiring)) }
        return slowest
    }

    /// Reader side: the empty batch for the run's `index`-th batch, once every
    /// consumer has released it.
    func emptyBatch(_ index: Int) -> RecordBatch {
        var backoff = Backoff()
        while index - releasedByAll() >= batches.count { backoff.wait() }
        let batch = batches[index % batches.count]
        batch.reset()
        return batch
    }

    /// Reader side: batch `index` is filled.
    func publish(_ index: Int) {
        published.store(index + 1, ordering: .releasing)
    }

    /// Reader side: no batch after the last published one will come.
    func finish() {
        finished.store(true, ordering: .releasing)
    }

    /// Consumer side: the run's `index`-th batch once filled, or nil when the
    /// reader finished before it.
    func filledBatch(_ index: Int) -> RecordBatch? {
        var backoff = Backoff()
        while published.load(ordering: .acquiring) <= index {
            // `finish` follows the last `publish`, so look at the count once more.
            if finished.load(ordering: .acquiring) {
                return published.load(ordering: .acquiring) > index ? batches[index % batches.count] : nil
            }
            backoff.wait()
        }
        return batches[index % batches.count]
    }

    /// Consumer side: `consumer` has read batch `index`; the slot is refilled once
    /// every consumer has.
    func release(_ index: Int, consumer: Int = 0) {
        released[consumer].value.store(index + 1, ordering: .releasing)
    }
}

/// How a thread waits for the other side of `BatchChannel`: spin first (the
/// usual wait is a fraction of one batch), then give up the core, then sleep in
/// 50 µs steps so that a stalled peer (a slow disk, a paused pipe) costs no CPU.
///
/// Spinning only pays when the peer runs on another core at the same time: with
/// one usable CPU (`taskset`, a one-core container) it would only delay the peer,
/// so then the wait starts at yielding.
struct Backoff {
    static let spinRounds = 2_000
    static let yieldRounds = 100

    private var rounds = Backoff.firstRound

    /// Where the rounds start: at spinning when this process may use several CPUs,
    /// past it when it may use one.
    static let firstRound = fabricscope_usable_cpus() > 1 ? 0 : spinRounds

    mutating func wait() {
        rounds += 1
        if rounds < Backoff.spinRounds {
            fabricscope_cpu_relax()
        } else if rounds < Backoff.spinRounds + Backoff.yieldRounds {
            sched_yield()
        } else {
            usleep(50)
        }
    }
}
