/// A ring all-reduce between `ranks` hosts over RoCEv2, as NCCL's IB transport puts
/// it on the wire: each step every rank RDMA-WRITEs one chunk to its ring successor
/// (WRITE_FIRST/MIDDLE/LAST_WITH_IMM, AckReq on the last packet) and the successor
/// ACKs it. Optional faults: loss after the tap (NAK + go-back-N, or a timeout when
/// the last packet of a message is lost), ECN CE marks answered by rate-limited CNPs,
/// and PFC pause episodes. Everything is drawn from one seed.
public struct RingAllReduceScenario: Sendable {
    public var ranks = 4
    /// All-reduce buffer size S; each of the 2(N−1) steps moves S/N bytes per rank.
    public var bufferBytes = 1 << 20
    public var iterations = 1
    /// Path MTU: payload bytes per packet.
    public var mtu = 4096
    public var linkBitsPerSecond = 400e9
    /// Fixed part of the request→ACK delay seen at the tap.
    public var ackLatencyNs = 3000.0
    /// Mean of the exponential part of that delay (0 = none).
    public var jitterNs = 500.0
    /// Probability that a data packet is lost after the tap.
    public var lossProbability = 0.0
    /// Probability that a data packet is CE-marked.
    public var ceProbability = 0.0
    /// The responder sends at most one CNP per connection per interval.
    public var cnpIntervalNs: Int64 = 4000
    /// PFC pause episodes (XOFF, optional refresh, XON) on random ranks.
    public var pfcEvents = 0
    public var vlan: UInt16?
    public var ipv6 = false
    /// First PSN of every connection; nil draws one per connection.
    public var startPSN: UInt32?
    public var snaplen = 262_144
    public var seed: UInt64 = 1
    /// Numbers hosts (and the switch ports facing them) from this offset, so that
    /// captures of different jobs do not share addresses.
    public var hostOffset = 0
    /// Queue pairs per ring connection; each message is striped across them
    /// (NCCL_IB_QPS_PER_CONNECTION).
    public var queuePairsPerConnection = 1
    /// Set connections up with Communication Manager REQ/REP/RTU exchanges first.
    public var connectionManagement = false
    /// Idle time between iterations (the compute phase of a training step).
    public var iterationGapNs: Int64 = 10_000
    /// A straggler: this rank's link to its successor runs `slowFactor` times slower.
    public var slowRank: Int?
    public var slowFactor = 2.0
    /// A heavier latency tail: the exponential part of the ACK delay on this rank's
    /// link has a mean `tailFactor` times `jitterNs`.
    public var tailRank: Int?
    public var tailFactor = 1.0
    /// A congested link: data packets on this rank's link are CE-marked with
    /// probability `ceRankProbability` (instead of `ceProbability`).
    public var ceRank: Int?
    public var ceRankProbability = 0.0
    /// Queue pair numbers drawn from the seed, as every new run of a job gets new
    /// ones (else 0x1000+rank and 0x2000+rank).
    public var randomQueuePairs = false
    /// Requester retransmission timeout after an unanswered last packet.
    public var retransmitTimeoutNs: Int64 = 131_072
    /// 2026-01-01T00:00:00Z.
    public var startNs: Int64 = 1_767_225_600_000_000_000
    /// Set: nccl-tests as NCCL runs it (channels, clear-to-send writes, slices, warm-up
    /// and timed iterations back to back, a sweep of sizes) instead of one message per
    /// step; `bufferBytes` is then unused.
    public var ncclTests: NCCLTestsPlan?
    /// Every QP sends from this UDP source port (a NIC or driver that does not vary it:
    /// ECMP polarisation); nil: Linux's port per QP pair.
    public var fixedSourcePort: UInt16?
    /// A misconfigured host: rank `dscpRank` sends RoCE data and ACKs on DSCP
    /// `dscpRankValue` instead of the fabric's 26.
    public var dscpRank: Int?
    public var dscpRankValue: UInt8 = 0
    /// The leaf/spine fabric the hosts hang off (`--leaves`), for `--topology-out`
    /// and a congested leaf; nil: no fabric behind the links.
    public var fabric: LeafSpineFabric?
    /// A congested leaf switch: every link with an end on it is CE-marked with
    /// `congestedLeafProbability` (a switch whose ECN threshold or buffer is wrong).
    public var congestedLeaf: Int?
    public var congestedLeafProbability = 0.0

    /// Which ring collective: an all-reduce (2(n−1) steps), or an all-gather or
    /// reduce-scatter (n−1 steps; the same traffic, NCCL's `ncclFuncAllGather` and
    /// `ncclFuncReduceScatter` ring loops). Each step moves S/n per rank either way,
    /// S being nccl-tests' size (the whole gathered or scattered buffer).
    public enum RingCollective: String, CaseIterable, Sendable {
        case allreduce, allgather, reducescatter
        /// Not a ring: NCCL's double binary tree (`DoubleBinaryTree`), each tree
        /// carrying half the buffer up and down.
        case treeAllreduce = "tree-allreduce"
    }

    public var collective = RingCollective.allreduce

    public init() {}

    /// Queue pairs from a rank to its successor: one connection per channel.
    public var connectionsPerRank: Int { queuePairsPerConnection * (ncclTests?.channels ?? 1) }

    /// Steps per iteration: N−1 reduce-scatter + N−1 all-gather for an all-reduce,
    /// N−1 for either half alone.
    public var stepsPerIteration: Int { collective == .allreduce ? 2 * (ranks - 1) : ranks - 1 }

    /// Bytes each rank writes to its successor per step (at least one).
    public var chunkBytes: Int { max(1, bufferBytes / ranks) }

    /// Frames the scenario writes, before faults: every message's data packets (at least
    /// one, however small the message) and its ACK, and with `--nccl-tests` each
    /// slice's clear-to-send and its ACK. (Counting bytes ÷ MTU alone let a 4,096-rank
    /// ring of 1 KiB messages write 67 M packets under a 50 M limit.)
    public var estimatedPackets: Double {
        let qps = Double(queuePairsPerConnection), mtu = Double(max(mtu, 1))
        func message(_ bytes: Double) -> Double { max(1, (bytes / mtu).rounded(.up)) + 1 }
        if let plan = ncclTests {
            return plan.sizes.reduce(0.0) { total, size in
                let perChannel = max(1, Double(size) / Double(ranks) / Double(plan.channels))
                let slices = max(1, (perChannel / Double(plan.sliceBytes)).rounded(.up))
                let slice = min(perChannel, Double(plan.sliceBytes))
                let perSlice = qps * message((slice / qps).rounded(.up)) + (plan.clearToSend ? 2 : 0)
                return total + Double(plan.warmupIterations + iterations) * Double(stepsPerIteration) * Double(ranks)
                    * Double(plan.channels) * slices * perSlice
            }
        }
        if collective == .treeAllreduce {
            // Every chunk of each tree's half goes up and down each of the tree's n−1 edges.
            let half = max(1, bufferBytes / 2), full = half / RingAllReduceGenerator.treeChunkBytes
            let rest = half % RingAllReduceGenerator.treeChunkBytes
            let perChunk = { (bytes: Int) in qps * message(Double(max(1, bytes / queuePairsPerConnection))) }
            return Double(iterations) * 4 * Double(ranks - 1)
                * (Double(full) * perChunk(RingAllReduceGenerator.treeChunkBytes) + (rest > 0 ? perChunk(rest) : 0))
        }
        return Double(iterations) * Double(stepsPerIteration) * Double(ranks) * qps
            * message((Double(chunkBytes) / qps).rounded(.up))
    }

    /// Bounds that keep a typo from writing without end.
    public static let maximumRanks = 4096
    public static let maximumPackets = 50e6

    public func validate() throws(ScenarioError) {
        guard ranks >= 2, ranks <= RingAllReduceScenario.maximumRanks else {
            throw ScenarioError("--ranks must be 2–\(RingAllReduceScenario.maximumRanks)")
        }
        guard pfcEvents >= 0, pfcEvents <= 100_000 else { throw ScenarioError("--pfc must be 0–100000") }
        if let congestedLeaf {
            guard let fabric else { throw ScenarioError("--congested-leaf needs --leaves") }
            guard (0..<fabric.leaves).contains(congestedLeaf), (0...1).contains(congestedLeafProbability) else {
                throw ScenarioError("--congested-leaf: leaf 0–\(fabric.leaves - 1) and a probability 0–1")
            }
        }
        if let fabric, !(1...ranks).contains(fabric.leaves) || !(1...64).contains(fabric.spines) {
            throw ScenarioError("--leaves must be 1–\(ranks) (the hosts are spread over them) and --spines 1–64")
        }
        if let dscpRank, !(0..<ranks).contains(dscpRank) { throw ScenarioError("--host-dscp: rank \(dscpRank) is not in the ring (0–\(ranks - 1))") }
        guard dscpRankValue < 64 else { throw ScenarioError("--host-dscp: a DSCP is 0–63 (got \(dscpRankValue))") }
        guard iterations <= 100_000 else { throw ScenarioError("--iterations must be at most 100000") }
        guard snaplen <= 262_144 else { throw ScenarioError("--snaplen must be at most 262144 bytes") }
        guard bufferBytes >= 1 else { throw ScenarioError("--size must be at least 1 byte") }
        // Each step writes one message of size/ranks per QP, whose RETH DMA length is 32 bits.
        guard chunkBytes / max(1, queuePairsPerConnection) <= Int(UInt32.max) else {
            throw ScenarioError("--size \(bufferBytes) B over \(ranks) ranks makes messages over 4 GiB, more than an "
                + "RDMA WRITE's 32-bit DMA length: use more --ranks or --qps, or a smaller --size")
        }
        guard mtu >= 256, mtu <= 9000 else { throw ScenarioError("--mtu must be 256–9000 bytes") }
        guard iterations >= 1 else { throw ScenarioError("--iterations must be at least 1") }
        guard (0...1).contains(lossProbability), (0...1).contains(ceProbability) else {
            throw ScenarioError("--loss and --ce are probabilities between 0 and 1")
        }
        guard snaplen >= 64 else { throw ScenarioError("--snaplen must be at least 64 bytes") }
        guard linkBitsPerSecond > 0 else { throw ScenarioError("--link-speed must be positive") }
        if let startPSN, startPSN > 0xff_ffff { throw ScenarioError("--start-psn must fit in 24 bits") }
        guard hostOffset >= 0, hostOffset + ranks < 65_000 else { throw ScenarioError("--host-offset out of range") }
        guard (1...16).contains(queuePairsPerConnection) else { throw ScenarioError("--qps must be 1–16") }
        if let tailRank, !(0..<ranks).contains(tailRank) || !(0...1000).contains(tailFactor) {
            throw ScenarioError("--tail-link RANK:FACTOR needs 0 ≤ RANK < ranks and 0 ≤ FACTOR ≤ 1000")
        }
        if let ceRank, !(0..<ranks).contains(ceRank) || !(0...1).contains(ceRankProbability) {
            throw ScenarioError("--ce-link RANK:PROBABILITY needs 0 ≤ RANK < ranks and a probability between 0 and 1")
        }
        if collective == .treeAllreduce, ncclTests != nil || pfcEvents > 0 || ranks < 3 {
            throw ScenarioError("--collective tree-allreduce needs 3 or more ranks and is generated without --nccl-tests or --pfc")
        }
        if let plan = ncclTests {
            guard !plan.sizes.isEmpty, plan.sizes.allSatisfy({ $0 >= 1 && $0 <= 1 << 36 }) else {
                throw ScenarioError("--nccl-tests needs sizes of 1 B to 64 GiB")
            }
            guard (1...32).contains(plan.channels) else { throw ScenarioError("--channels must be 1–32") }
            guard (0...1000).contains(plan.warmupIterations) else { throw ScenarioError("--warmup must be 0–1000") }
        }
        if let slowRank, !(0..<ranks).contains(slowRank) || !(1...1000).contains(slowFactor) {
            throw ScenarioError("--slow-link RANK:FACTOR needs 0 ≤ RANK < ranks and 1 ≤ FACTOR ≤ 1000")
        }
        // Last: the estimate needs every other parameter in range (channels, MTU, QPs).
        let packets = estimatedPackets
        guard packets.isFinite, packets <= RingAllReduceScenario.maximumPackets else {
            throw ScenarioError("that scenario writes about \(packets.isFinite ? String(Int(packets)) : "too many") packets; "
                + "at most \(Int(RingAllReduceScenario.maximumPackets)) are generated (lower --size, --ranks or --iterations)")
        }
    }
}

/// A scenario parameter that makes no sense.
public struct ScenarioError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
