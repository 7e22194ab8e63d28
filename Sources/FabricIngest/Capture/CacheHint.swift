import FabricWire
import CPcap

/// Prefetching for consumers of records: at 10⁴ flows and more, nearly every
/// packet looks up a flow whose table slot has left the cache, and that one load
/// was 45 % of `TrafficAccumulator.add`'s samples (perf annotate). Started a few
/// packets ahead, the load overlaps the work on the packets in between. The
/// pointer is formed here, inside `withUnsafeBufferPointer`, and never leaves.
public enum CacheHint {
    /// Starts loading the cache line of `array[index]` (nothing when `index` is
    /// out of range).
    @inlinable
    public static func prefetch<Element>(_ array: [Element], at index: Int) {
        array.withUnsafeBufferPointer { buffer in
            guard index >= 0, index < buffer.count, let base = buffer.baseAddress else { return }
            fabricscope_prefetch(base + index)
        }
    }
}
