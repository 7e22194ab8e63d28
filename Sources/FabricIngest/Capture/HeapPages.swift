import CPcap
import FabricConcurrency
import Glibc
import Synchronization

/// Transparent huge pages for the heap that per-flow state grows in.
///
/// At 10⁴ flows and more a packet's flow state is rarely near the last packet's, so
/// with 4 KiB pages the TLB misses as well as the cache, and the kernel takes a page
/// fault for every 4 KiB the state grows by. Debian's kernels give huge pages only to
/// memory advised with `MADV_HUGEPAGE` (THP mode `madvise`). glibc advises its heap
/// when started with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, which a process cannot
/// turn on for itself once started, and which users do not set. So the consuming
/// thread does what that tunable does, from outside malloc: the heap grows in steps
/// of `step` (`M_TOP_PAD`), and after each batch of records the new part of the
/// heap is advised, before most of it has been touched.
///
/// Advice only: a kernel without THP, or in mode `never`, changes nothing, and
/// nothing here changes what is allocated or computed.
public enum HeapPages {
    /// How far the heap grows at a time.
    static let step = 64 << 20
    private static let pageSize = 4096

    /// Whether the kernel gives huge pages only where advised and glibc is not
    /// already advising its heap.
    static let applies: Bool = {
        if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("hugetlb") { return false }
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        let text = line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self).contains("[madvise]")
    }()

    /// The end of the heap as far as it has been advised.
    private static let advisedTop = Atomic<UInt>(0)

    /// Before folding a capture: grow the heap in large steps, advised from here on.
    static func prepare() {
        guard applies else { return }
        fabricscope_heap_grow_in_steps(Int32(step))
        advisedTop.store(UInt(fabricscope_heap_top()), ordering: .relaxed)
    }

    /// Advises what the heap grew by since the last call (once per batch).
    @inline(__always)
    static func adviseGrowth() {
        guard applies else { return }
        let top = UInt(fabricscope_heap_top())
        let advised = advisedTop.load(ordering: .relaxed)
        guard top > advised, advisedTop.compareExchange(expected: advised, desired: top, ordering: .relaxed).exchanged
        else { return }
        let start = advised & ~UInt(pageSize - 1)
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(top - start), MADV_HUGEPAGE)
    }

    /// Makes room for one more element, growing a full array as `append` would
    /// (to twice its capacity), but advising the new buffer before the elements are
    /// copied in: arrays of a few MiB and more are not on the heap that
    /// `adviseGrowth` follows (glibc maps each on its own), and an array grown by
    /// `append` has touched half its new buffer before anyone could advise it. For the
    /// per-flow arrays that every packet indexes (flow records, request streams).
    @inlinable
    public static func reserveOneMore<Element>(_ array: inout [Element]) {
        if array.count == array.capacity { grow(&array) }
    }

    @usableFromInline
    static func grow<Element>(_ array: inout [Element]) {
        var bigger: [Element] = reserved(max(16, array.capacity * 2))
        bigger.append(contentsOf: array)
        array = bigger
    }

    /// An empty array with room for `capacity` elements, its buffer advised before
    /// anything is written to it: for large arrays filled once (the flow table, a
    /// summary's flows).
    public static func reserved<Element>(_ capacity: Int) -> [Element] {
        var array: [Element] = []
        array.reserveCapacity(capacity)
        advise(array)
        return array
    }

    /// Advises the whole 2 MiB spans of an array's buffer (its capacity, not only
    /// its elements).
    static func advise<Element>(_ array: [Element]) {
        guard applies else { return }
        array.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            HugePages.advise(base, bytes: array.capacity * MemoryLayout<Element>.stride, threshold: 2 * HugePages.size)
        }
    }
}
