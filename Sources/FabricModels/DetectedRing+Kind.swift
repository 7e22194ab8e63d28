/// Which ring collective a ring's traffic is, from its steps: a ring all-reduce takes
/// 2(n−1) steps (reduce-scatter, then all-gather), a ring all-gather or reduce-scatter
/// n−1, each step one chunk from every rank to its successor. The wire shows steps as
/// messages, so the messages a queue pair starts in a busy period are steps ×
/// iterations × messages per step (NCCL's slices).
///
/// What that can and cannot tell: an odd multiple of n−1 is no all-reduce (which is
/// always an even one), so it is named all-gather or reduce-scatter — the two put the
/// same steps and bytes on the wire and only the data differs. An even multiple is
/// named all-reduce; an all-gather whose every step took an even number of messages
/// looks the same, and no capture can tell them apart (docs/models.md). A count that
/// is no multiple of n−1 is no ring collective we know of: unrecognised, and nothing
/// is modelled on it.
public enum RingKind: String, Sendable, Equatable {
    case allReduce = "ring_allreduce"
    case allGatherOrReduceScatter = "ring_allgather_or_reducescatter"
    case unrecognised = "ring_unrecognised"

    /// The collective whose α-β model fits (all-gather and reduce-scatter cost the same).
    public var modelled: Collective? {
        switch self {
        case .allReduce: .allreduce
        case .allGatherOrReduceScatter: .allgather
        case .unrecognised: nil
        }
    }

    /// Steps of one iteration on `ranks` ranks (nil: unrecognised).
    public func steps(ranks: Int) -> Int? {
        switch self {
        case .allReduce: 2 * (ranks - 1)
        case .allGatherOrReduceScatter: ranks - 1
        case .unrecognised: nil
        }
    }
}

extension DetectedRing {
    /// The ring's kind, with the busy periods whose message counts fit no ring
    /// collective (a capture cut mid-iteration, lost copies of first packets).
    public struct KindReading: Sendable, Equatable {
        public var kind: RingKind
        /// The messages per queue pair that decided it, one per busy period.
        public var messagesPerPeriod: [Int]
        /// Busy periods (by index) whose count is no multiple of n−1.
        public var partialPeriods: [Int]
    }

    /// From each busy period's messages per queue pair where the periods could be cut
    /// with their messages counted, else from the whole capture's. Periods that fit
    /// no ring collective are set aside when others fit (a partial first or last
    /// iteration); when none fits, the ring is unrecognised.
    func readKind() -> KindReading {
        let counts = phases.flatMap { phases in
            phases.allSatisfy { $0.messagesPerFlow != nil } ? phases.map { $0.messagesPerFlow! } : nil
        } ?? medianMessagesPerFlow.map { [$0] }
        guard let counts else {
            // A summary too old to count messages: what rings were always taken for.
            return KindReading(kind: .allReduce, messagesPerPeriod: [], partialPeriods: [])
        }
        let unit = ranks - 1
        let partial = counts.indices.filter { counts[$0] == 0 || counts[$0] % unit != 0 }
        let fitting = counts.indices.filter { !partial.contains($0) }.map { counts[$0] }
        let kind: RingKind = fitting.isEmpty ? .unrecognised
            : fitting.allSatisfy { $0 % (2 * unit) == 0 } ? .allReduce : .allGatherOrReduceScatter
        return KindReading(kind: kind, messagesPerPeriod: counts, partialPeriods: partial)
    }
}
