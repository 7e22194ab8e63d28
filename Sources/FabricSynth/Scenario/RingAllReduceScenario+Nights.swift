extension RingAllReduceScenario {
    /// Night `night` (from 1) of the same job run night after night: its own seed and
    /// new queue pair numbers, as every new run of a job gets; the faults asked for
    /// (slow, tail, CE link) only from `degradeFrom` on (every night without it).
    public func night(_ night: Int, degradeFrom: Int?) -> RingAllReduceScenario {
        var tonight = self
        tonight.seed = seed &+ UInt64(night - 1) &* 7919
        tonight.randomQueuePairs = true
        if let degradeFrom, night < degradeFrom {
            tonight.slowRank = nil
            tonight.tailRank = nil
            tonight.ceRank = nil
            tonight.congestedLeaf = nil
        }
        return tonight
    }

    /// Whether a fault is injected on some link.
    public var hasLinkFault: Bool { slowRank != nil || tailRank != nil || ceRank != nil || congestedLeaf != nil }
}
