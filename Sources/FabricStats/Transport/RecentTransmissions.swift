/// When each of the last `capacity` PSNs of a stream was first sent, in a
/// direct-mapped table (PSN modulo capacity): O(1) per packet and a fixed 4 KiB
/// per stream. A retransmission further back than that has no known delay.
struct RecentTransmissions: Sendable, Equatable {
    static let capacity = 256

    private var psns: [Int64] = []
    private var times: [Int64] = []

    @inline(__always)
    mutating func record(psn: Int64, timeNs: Int64) {
        if psns.isEmpty {
            psns = Array(repeating: -1, count: RecentTransmissions.capacity)
            times = Array(repeating: 0, count: RecentTransmissions.capacity)
        }
        let slot = Int(psn & Int64(RecentTransmissions.capacity - 1))
        psns[slot] = psn
        times[slot] = timeNs
    }

    func firstSent(psn: Int64) -> Int64? {
        guard !psns.isEmpty else { return nil }
        let slot = Int(psn & Int64(RecentTransmissions.capacity - 1))
        return psns[slot] == psn ? times[slot] : nil
    }
}
