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

    private var psns: [Int64] = []
    private var times: [Int64] = []

    @inline(__always)
    mutating func record(psn: Int64, timeNs: Int64) {
        if psns.isEmpty {
            psns = Array(repeating: -1, count: RecentTransmissions.initialSize)
            times = Array(repeating: 0, count: RecentTransmissions.initialSize)
        }
        var slot = Int(psn & Int64(psns.count - 1))
        while psns.count < RecentTransmissions.capacity, psns[slot] >= 0, psns[slot] != psn,
              (psns[slot] - psn) & Int64(RecentTransmissions.capacity - 1) != 0 {
            grow()
            slot = Int(psn & Int64(psns.count - 1))
        }
        psns[slot] = psn
        times[slot] = timeNs
    }

    func firstSent(psn: Int64) -> Int64? {
        guard !psns.isEmpty else { return nil }
        let slot = Int(psn & Int64(psns.count - 1))
        return psns[slot] == psn ? times[slot] : nil
    }

    /// Doubles the table; the PSNs held are distinct modulo the old size, so they
    /// stay distinct modulo the new one.
    private mutating func grow() {
        let size = psns.count * 2
        var wider = [Int64](repeating: -1, count: size), widerTimes = [Int64](repeating: 0, count: size)
        for (psn, time) in zip(psns, times) where psn >= 0 {
            let slot = Int(psn & Int64(size - 1))
            wider[slot] = psn
            widerTimes[slot] = time
        }
        psns = wider
        times = widerTimes
    }
}
