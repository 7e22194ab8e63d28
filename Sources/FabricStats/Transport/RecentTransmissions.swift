import FabricWire

/// When each of the last `capacity` PSNs of a stream was first sent, in a
/// direct-mapped table (PSN modulo the table size): O(1) per packet. A
/// retransmission further back than `capacity` PSNs has no known delay.
///
/// The table starts small and doubles, up to `capacity`, only when a PSN would push
/// out one that a full-sized table would still hold: it answers exactly what a
/// full table answers, while a stream of a few messages (most streams, at fabric
/// scale) costs a few dozen bytes instead of 4 KiB.
struct RecentTransmissions: Sendable, Equatable {
    static let capacity = 256
    static let initialSize = 8

    /// A PSN (−1: none) and when it was first sent, side by side: one cache line
    /// per packet where two arrays cost two (at 10^4 flows every packet misses).
    private struct Entry: Equatable {
        var psn: Int64 = -1
        var timeNs: Int64 = 0
    }

    private var entries: [Entry] = []

    @inline(__always)
    mutating func record(psn: Int64, timeNs: Int64) {
        if entries.isEmpty { entries = Array(repeating: Entry(), count: RecentTransmissions.initialSize) }
        var slot = Int(psn & Int64(entries.count - 1))
        while entries.count < RecentTransmissions.capacity, entries[slot].psn >= 0, entries[slot].psn != psn,
              (entries[slot].psn - psn) & Int64(RecentTransmissions.capacity - 1) != 0 {
            grow()
            slot = Int(psn & Int64(entries.count - 1))
        }
        entries[slot] = Entry(psn: psn, timeNs: timeNs)
    }

    func firstSent(psn: Int64) -> Int64? {
        guard !entries.isEmpty else { return nil }
        let entry = entries[Int(psn & Int64(entries.count - 1))]
        return entry.psn == psn ? entry.timeNs : nil
    }

    /// Doubles the table; the PSNs held are distinct modulo the old size, so they
    /// stay distinct modulo the new one.
    private mutating func grow() {
        let size = entries.count * 2
        var wider = [Entry](repeating: Entry(), count: size)
        for entry in entries where entry.psn >= 0 { wider[Int(entry.psn & Int64(size - 1))] = entry }
        entries = wider
    }
}
