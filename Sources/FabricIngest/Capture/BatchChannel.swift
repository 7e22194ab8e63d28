import Foundation

/// Hands full batches of decoded packets from the reading thread to the consuming thread and
/// empty ones back, with a fixed number of batches in flight (so memory is bounded
/// whatever the capture's size).
final class BatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [RecordBatch] = []
    private var empty: [RecordBatch]
    private var finished = false

    init(batches: Int = 4) {
        empty = (0..<batches).map { _ in RecordBatch() }
    }

    /// Reader side: an empty batch to fill (blocks while all are in use).
    func takeEmpty() -> RecordBatch {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty { condition.wait() }
        return empty.removeLast()
    }

    /// Reader side: publishes a filled batch.
    func send(_ batch: RecordBatch) {
        condition.lock()
        full.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// Reader side: no more batches will come.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer side: the next filled batch, or nil once the reader has finished.
    func receive() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty, !finished { condition.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    /// Consumer side: gives a processed batch back for reuse.
    func recycle(_ batch: RecordBatch) {
        batch.reset()
        condition.lock()
        empty.append(batch)
        condition.signal()
        condition.unlock()
    }
}
