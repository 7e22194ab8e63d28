#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back a large allocation with 2 MiB pages where it can.
///
/// Why: what a large run fills once and then reads across its whole length (a
/// 10⁵-flow summary's text and tape, 260 and 500 MB; the per-flow state of a
/// capture with 10⁴–10⁵ queue pairs) costs a page fault every 4 KiB and misses the
/// TLB on most records in 4 KiB pages. With transparent huge pages in `madvise`
/// mode (Debian's default) nothing is backed by 2 MiB pages unless asked. Only whole
/// 2 MiB spans inside the allocation are advised; a kernel without THP refuses and
/// nothing changes. Here because two layers use it (the JSON tape's memory and the
/// capture reading's heap, `HeapPages`), and this is their one common dependency.
public enum HugePages {
    public static let size = 2 << 20

    /// The user asked glibc not to use huge pages for malloc
    /// (`GLIBC_TUNABLES=glibc.malloc.hugetlb=0`): then nothing is advised here either
    /// (docs/analyze.md says when that is worth it).
    public static let turnedOff: Bool = {
        guard let tunables = getenv("GLIBC_TUNABLES") else { return false }
        return String(cString: tunables).contains("glibc.malloc.hugetlb=0")
    }()

    /// Advises the whole 2 MiB spans of `bytes` at `pointer`, when `bytes` is at least
    /// `threshold` (smaller allocations gain little and may share pages with others).
    public static func advise(_ pointer: UnsafeRawPointer, bytes: Int, threshold: Int = 16 << 20) {
        guard bytes >= threshold, !turnedOff else { return }
        let start = (UInt(bitPattern: pointer) + UInt(size - 1)) & ~UInt(size - 1)
        let end = (UInt(bitPattern: pointer) + UInt(bytes)) & ~UInt(size - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, Int(end - start), MADV_HUGEPAGE)
    }
}
