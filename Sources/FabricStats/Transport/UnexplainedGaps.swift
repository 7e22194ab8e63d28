/// PSN gaps in a request stream that are still waiting for an explanation.
///
/// A PSN the tap never saw was lost either in the fabric or by the capture itself
/// (an oversubscribed mirror port, ibdump's bursts). RC tells the two apart: a packet
/// the fabric lost is retransmitted (after a NAK or a timeout) before the responder
/// acknowledges past it; a packet the capture lost had reached the responder, whose
/// cumulative ACK (or a NAK for a later PSN) covers it with no retransmission ever
/// seen. So each gap stays open until a retransmission into it (fabric) or an
/// acknowledgement past it (capture) closes it; what is still open at the end stays
/// unexplained. Bounded: a stream keeps its last `capacity` gaps, and older ones stay
/// unexplained.
struct UnexplainedGaps: Sendable {
    static let capacity = 8

    private var ranges: [(first: Int64, last: Int64)] = []

    var isEmpty: Bool { ranges.isEmpty }

    /// PSNs `first…last` (unwrapped) were skipped by the requests the tap saw.
    mutating func open(first: Int64, last: Int64) {
        if ranges.count == UnexplainedGaps.capacity { ranges.removeFirst() }
        ranges.append((first, last))
    }

    /// A retransmission of `psn`: the gap holding it was fabric loss, not the capture's.
    mutating func retransmitted(_ psn: Int64) {
        ranges.removeAll { $0.first <= psn && psn <= $0.last }
    }

    /// The responder acknowledged everything up to `psn`: the PSNs of open gaps up to
    /// there reached it without being seen or retransmitted. Returns how many.
    mutating func acknowledged(through psn: Int64) -> Int {
        var lost = 0
        var index = 0
        while index < ranges.count {
            let range = ranges[index]
            if range.first > psn {
                index += 1
                continue
            }
            let covered = min(range.last, psn)
            lost += Int(covered - range.first + 1)
            if covered == range.last {
                ranges.remove(at: index)
            } else {
                ranges[index].first = covered + 1
                index += 1
            }
        }
        return lost
    }

    mutating func removeAll() { ranges.removeAll() }
}
