import FabricWire
import FabricIngest

/// When each of the last `capacity` PSNs of a stream was first sent, in a
/// direct-mapped table (PSN modulo the table size): O(1) per packet. A
/// retransmission further back than `capacity` PSNs has no known delay.
///
/// The table starts small and doubles, up to `capacity`, only when a PSN would push
/// out one that a full-sized table would still hold: it answers exactly what a
/// full table answers, while a stream of a few messages (most streams, at fabric
/// scale) costs a few dozen bytes instead of 4 KiB.
///
/// The entries live in a `RecentTables` shared by every stream of an accumulator;
/// a stream holds only where its table starts and how large it is. Each stream
/// owning its own array made every request read that array's header (its length,
/// its reference count) before the entry, two misses one after the other at 10⁴
/// flows, which were three quarters of `RequestStream.request`'s samples (perf
/// annotate). In the shared storage the entry's place follows from the stream's own
/// fields, and the storage's one header stays cached.
struct RecentTransmissions: Sendable, Equatable {
    static let capacity = 256
    static let initialSize = 8

    /// Where the stream's table starts in its `RecentTables` (−1: no table yet).
    private var start = -1
    /// The table's size, a power of two (0: no table yet).
    private var size = 0

    @inline(__always)
    mutating func record(psn: Int64, timeNs: Int64, in tables: inout RecentTables) {
        if size == 0 {
            size = RecentTransmissions.initialSize
            start = tables.allocate(size)
        }
        var slot = start + Int(psn & Int64(size - 1))
        while size < RecentTransmissions.capacity, tables.entries[slot].psn >= 0, tables.entries[slot].psn != psn,
              (tables.entries[slot].psn - psn) & Int64(RecentTransmissions.capacity - 1) != 0 {
            grow(in: &tables)
            slot = start + Int(psn & Int64(size - 1))
        }
        tables.entries[slot] = RecentTables.Entry(psn: psn, timeNs: timeNs)
    }

    func firstSent(psn: Int64, in tables: borrowing RecentTables) -> Int64? {
        guard size > 0 else { return nil }
        let entry = tables.entries[start + Int(psn & Int64(size - 1))]
        return entry.psn == psn ? entry.timeNs : nil
    }

    /// Gives the table back (the stream starts over).
    mutating func release(to tables: inout RecentTables) {
        if size > 0 { tables.release(start, size: size) }
        self = RecentTransmissions()
    }

    /// Doubles the table; the PSNs held are distinct modulo the old size, so they
    /// stay distinct modulo the new one.
    private mutating func grow(in tables: inout RecentTables) {
        let wider = size * 2
        let widerStart = tables.allocate(wider)
        for index in start..<(start + size) {
            let entry = tables.entries[index]
            if entry.psn >= 0 { tables.entries[widerStart + Int(entry.psn & Int64(wider - 1))] = entry }
        }
        tables.release(start, size: size)
        start = widerStart
        size = wider
    }
}

/// The storage of every `RecentTransmissions` table of one accumulator: one array,
/// cut into tables of 8 … 256 entries. A table given back (grown, or its stream
/// started over) is reused by the next table of its size.
struct RecentTables: Sendable {
    /// A PSN (−1: none) and when it was first sent, side by side: one cache line
    /// per packet where two arrays cost two.
    struct Entry: Equatable {
        var psn: Int64 = -1
        var timeNs: Int64 = 0
    }

    fileprivate(set) var entries: [Entry] = []
    /// Starts of tables given back, by size (8 · 2^index).
    private var free: [[Int]] = Array(repeating: [], count: 6)

    init() {}

    /// Where a table of `size` empty entries starts.
    fileprivate mutating func allocate(_ size: Int) -> Int {
        let sizeClass = size.trailingZeroBitCount - 3
        if let reused = free[sizeClass].popLast() {
            for index in reused..<(reused + size) { entries[index] = Entry() }
            return reused
        }
        let start = entries.count
        if entries.count + size > entries.capacity {
            // Doubled into a buffer advised for huge pages before the copy (`HeapPages`).
            var bigger: [Entry] = HeapPages.reserved(max(1024, 2 * entries.capacity))
            bigger.append(contentsOf: entries)
            entries = bigger
        }
        entries.append(contentsOf: repeatElement(Entry(), count: size))
        return start
    }

    fileprivate mutating func release(_ start: Int, size: Int) {
        free[size.trailingZeroBitCount - 3].append(start)
    }
}
