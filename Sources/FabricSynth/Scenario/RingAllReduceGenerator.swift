import FabricRandom
import FabricWire

/// Runs a `RingAllReduceScenario` and hands out frames in timestamp order.
public struct RingAllReduceGenerator {
    public let scenario: RingAllReduceScenario
    var random: SplitMix64
    var builder: FrameBuilder
    var connections: [Connection]
    var pending: [TrafficEvent] = []
    private var order = 0
    var truth = GroundTruth()
    var truthIndex: [String: Int] = [:]
    var pauseIndex: [String: Int] = [:]
    /// When each rank's link is next free: its QPs and channels share one link, so a
    /// message waits for the one before it to leave the wire.
    var linkFreeNs: [Int64] = []
    /// (switch port, start, end) of each pause episode, recorded into the truth at the end.
    var pauseEpisodes: [(Int, Int64, Int64)] = []

    /// Connection r carries rank r's writes to rank r+1 (mod N); in a tree, one
    /// direction of a tree edge.
    struct Connection {
        /// The rank that writes (whose link the data leaves by), and the one written to.
        var rank: Int
        var peer: Int
        var requester: Endpoint
        var responder: Endpoint
        var requesterQP: UInt32
        var responderQP: UInt32
        var nextPSN: UInt32
        var msn: UInt32 = 0
        /// The responder's own requests on this QP pair (NCCL's clear-to-send writes).
        var reversePSN: UInt32 = 0
        var reverseMSN: UInt32 = 0
        var lastCNPNs: Int64 = .min / 2
    }

    /// The UDP source port Linux gives an RC connection whose flow label is 0, as NCCL
    /// leaves it (include/rdma/ib_verbs.h: `rdma_calc_flow_label`, a symmetric hash of
    /// the two QP numbers, then `rdma_flow_label_to_udp_sport`): both directions send
    /// from the same port, and nearly every QP gets its own.
    static func linuxSourcePort(_ localQP: UInt32, _ remoteQP: UInt32) -> UInt16 {
        let label = linuxFlowLabel(localQP, remoteQP)
        let low = label & 0x3fff, high = label & 0xf_c000
        return UInt16(truncatingIfNeeded: (low ^ (high >> 14)) | 0xc000)
    }

    /// `rdma_calc_flow_label`: the 20-bit flow label an RC connection whose label is 0
    /// gets, which RoCEv2 over IPv6 also writes in the IPv6 header.
    static func linuxFlowLabel(_ localQP: UInt32, _ remoteQP: UInt32) -> UInt32 {
        var v = UInt64(localQP) &* UInt64(remoteQP)
        v ^= v >> 20
        v ^= v >> 40
        return UInt32(truncatingIfNeeded: v) & 0x000f_ffff
    }

    /// The IPv6 flow label of connection `c`'s packets: Linux's, or none (0) from a NIC
    /// that fixes its source port too.
    func flowLabel(_ connection: Connection) -> UInt32 {
        scenario.fixedSourcePort == nil ? RingAllReduceGenerator.linuxFlowLabel(connection.requesterQP, connection.responderQP) : 0
    }

    /// The port connection `c`'s packets are sent from: Linux's, or the one every QP
    /// uses when the scenario fixes it (a NIC that does not vary it).
    func sourcePort(_ connection: Connection) -> UInt16 {
        scenario.fixedSourcePort ?? RingAllReduceGenerator.linuxSourcePort(connection.requesterQP, connection.responderQP)
    }

    /// The DSCP of RoCE data and ACKs sent by `host`: the fabric's, or the misconfigured
    /// host's own.
    func dataDSCP(sentBy host: Endpoint) -> UInt8 {
        if let rank = scenario.dscpRank, host == Endpoint.host(scenario.hostOffset + rank) { return scenario.dscpRankValue }
        return RingAllReduceGenerator.dataDSCP
    }

    /// The switch port facing host `index`.
    static func switchPortMAC(_ index: Int) -> UInt64 { 0x02aa_0000_0000 | UInt64(index + 1) }

    static let dataDSCP: UInt8 = 26
    static let cnpDSCP: UInt8 = 48
    static let ectZero: UInt8 = 2
    static let congestionExperienced: UInt8 = 3
    static let stepComputeNs: Int64 = 1000

    public init(_ scenario: RingAllReduceScenario) throws(ScenarioError) {
        try scenario.validate()
        self.scenario = scenario
        var random = SplitMix64(seed: scenario.seed)
        self.builder = FrameBuilder(ipv6: scenario.ipv6, vlan: scenario.vlan, captureLimit: scenario.snaplen)
        let qps = scenario.connectionsPerRank
        // Drawn from their own generator, so that the rest of the traffic is the
        // same as with the fixed numbers.
        var qpRandom = SplitMix64(seed: scenario.seed ^ 0x9b_0a11)
        var used = Set<UInt32>()
        func drawQP() -> UInt32 {
            while true {
                let qp = UInt32(truncatingIfNeeded: qpRandom.next()) & 0xff_ffff
                if qp > 1, used.insert(qp).inserted { return qp }
            }
        }
        // Who writes to whom: each rank to its ring successor, or along every edge
        // of NCCL's two trees, both ways (one connection per tree, as per channel).
        let pairs = scenario.collective == .treeAllreduce
            ? DoubleBinaryTree(ranks: scenario.ranks).directedEdges.map { ($0.from, $0.to) }
            : (0..<scenario.ranks).map { ($0, ($0 + 1) % scenario.ranks) }
        self.connections = (0..<pairs.count * qps).map { index in
            let (rank, peer) = pairs[index / qps], q = UInt32(index % qps), n = UInt32(index / qps)
            return Connection(
                rank: rank, peer: peer,
                requester: .host(scenario.hostOffset + rank),
                responder: .host(scenario.hostOffset + peer),
                requesterQP: scenario.randomQueuePairs ? drawQP() : 0x1000 + n + q * 0x100,
                responderQP: scenario.randomQueuePairs ? drawQP() : 0x2000 + n + q * 0x100,
                nextPSN: scenario.startPSN ?? UInt32(random.next() & 0xff_ffff))
        }
        self.random = random
        linkFreeNs = Array(repeating: .min, count: scenario.ranks)
    }

    /// Generates the whole scenario, calling `emit` with each frame in time order,
    /// and returns what was emitted.
    public mutating func run(_ emit: (Int64, Frame) throws -> Void) rethrows -> GroundTruth {
        if let plan = scenario.ncclTests { return try runNCCLTests(plan, emit) }
        if scenario.collective == .treeAllreduce { return try runTree(emit) }
        var stepStart = scenario.startNs
        let totalSteps = scenario.iterations * scenario.stepsPerIteration
        let pauseSteps = Set((0..<scenario.pfcEvents).map { _ in Int(random.next() % UInt64(totalSteps)) })
        if scenario.connectionManagement {
            for c in connections.indices {
                let t = scenario.startNs - 100_000 + Int64(c) * 3_000
                let psn = connections[c].nextPSN  // announced before any data advances it
                schedule(t, .connectionManagement(connection: c, kind: .request, startingPSN: psn))
                schedule(t + 800, .connectionManagement(connection: c, kind: .reply, startingPSN: psn))
                schedule(t + 1_600, .connectionManagement(connection: c, kind: .readyToUse, startingPSN: psn))
            }
        }
        for step in 0..<totalSteps {
            if step > 0, step % scenario.stepsPerIteration == 0 { stepStart += scenario.iterationGapNs }
            var stepEnd = stepStart
            let qps = scenario.queuePairsPerConnection
            for rank in 0..<scenario.ranks {
                let offset = Int64(random.next() % 200)
                for q in 0..<qps {
                    stepEnd = max(stepEnd, sendMessage(
                        connection: rank * qps + q, startNs: stepStart + offset + Int64(q) * 7,
                        bytes: max(1, scenario.chunkBytes / qps)))
                }
            }
            if pauseSteps.contains(step) { schedulePause(startNs: stepStart, endNs: stepEnd) }
            stepStart = stepEnd + RingAllReduceGenerator.stepComputeNs
            try flush(before: stepStart, emit)
        }
        return try finish(emit)
    }

    /// Emits what is left and records the pause episodes in the truth.
    mutating func finish(_ emit: (Int64, Frame) throws -> Void) rethrows -> GroundTruth {
        try flush(before: .max, emit)
        for (port, start, end) in pauseEpisodes {
            let mac = NodeAddressText.mac(RingAllReduceGenerator.switchPortMAC(port + scenario.hostOffset))
            if let index = truth.pfc.firstIndex(where: { $0.sourceMAC == mac }) {
                truth.pfc[index].episodes.append([start, end])
            }
        }
        return truth
    }

    /// Serialization time of `bytes` on connection `c`'s link, with preamble and
    /// inter-frame gap (slower for the `--slow-link` rank).
    private func wireTimeNs(_ bytes: Int, connection c: Int) -> Int64 {
        var rate = scenario.linkBitsPerSecond
        if let slow = scenario.slowRank, connections[c].rank == slow { rate /= scenario.slowFactor }
        return Int64((Double(bytes + 20) * 8 * 1e9 / rate).rounded(.up))
    }

    /// The request→ACK delay at the tap: fixed plus exponential (heavier on the
    /// `--tail-link` rank's link).
    private mutating func ackDelayNs(connection c: Int) -> Int64 {
        var jitter = scenario.jitterNs
        if let rank = scenario.tailRank, connections[c].rank == rank { jitter *= scenario.tailFactor }
        return Int64((scenario.ackLatencyNs + random.exponential(mean: jitter)).rounded())
    }

    /// CE-marking probability on connection `c`'s link.
    private func ceProbability(connection c: Int) -> Double {
        if let rank = scenario.ceRank, connections[c].rank == rank { return scenario.ceRankProbability }
        // A congested leaf marks every link through it: both ends' host ports are its.
        if let fabric = scenario.fabric, let leaf = scenario.congestedLeaf,
           fabric.leaf(ofRank: connections[c].rank) == leaf || fabric.leaf(ofRank: connections[c].peer) == leaf {
            return scenario.congestedLeafProbability
        }
        return scenario.ceProbability
    }

    /// Sends one WRITE message on `connection`; returns when its ACK passes the tap.
    mutating func sendMessage(connection c: Int, startNs: Int64, bytes chunk: Int) -> Int64 {
        // A zero-length WRITE WITH IMMEDIATE is one packet (NCCL sends one to a QP with no share).
        let count = max(1, (chunk + scenario.mtu - 1) / scenario.mtu)
        let basePSN = connections[c].nextPSN
        let packetTime = wireTimeNs(min(chunk, scenario.mtu) + 78, connection: c)
        let lostIndex = (0..<count).first { _ in random.chance(scenario.lossProbability) }
        let rank = connections[c].rank
        let startNs = max(startNs, linkFreeNs[rank])
        var time = startNs
        var lastTime = startNs
        var lastPacketSentTwice = false

        func psn(_ k: Int) -> UInt32 { (basePSN &+ UInt32(k)) & 0xff_ffff }
        func send(_ k: Int, at t: Int64, retransmission: Bool) {
            let payload = k == count - 1 ? chunk - scenario.mtu * (count - 1) : scenario.mtu
            let operation: Opcode.Operation = count == 1 ? .rdmaWriteOnlyImmediate : k == 0 ? .rdmaWriteFirst
                : k == count - 1 ? .rdmaWriteLastImmediate : .rdmaWriteMiddle
            let opcode = Opcode(.rc, operation).rawValue
            let ce = random.chance(ceProbability(connection: c))
            schedule(t, .data(
                connection: c, opcode: opcode, psn: psn(k), ackRequest: k == count - 1, payload: payload,
                dmaLength: k == 0 ? UInt32(chunk) : nil, ce: ce, retransmission: retransmission))
            if ce { scheduleCNP(connection: c, markedAt: t) }
            lastTime = t
        }

        if let lost = lostIndex, lost < count - 1 {
            // The responder sees PSN lost+1 out of sequence and NAKs; the requester
            // keeps sending until the NAK arrives, then goes back to `lost`.
            let nakTime = startNs + Int64(lost + 1) * packetTime + ackDelayNs(connection: c)
            schedule(nakTime, .ack(connection: c, psn: psn(lost), syndrome: 0x60, msn: connections[c].msn))
            var k = 0
            while k < count, time < nakTime {
                send(k, at: time, retransmission: false)
                time += packetTime
                k += 1
            }
            time = max(time, nakTime + 500)
            lastPacketSentTwice = k == count
            for again in lost..<count {
                send(again, at: time, retransmission: again < k)
                time += packetTime
            }
        } else {
            for k in 0..<count {
                send(k, at: time, retransmission: false)
                time += packetTime
            }
            if lostIndex != nil {
                // The last packet vanished: nothing triggers a NAK, the requester times out.
                send(count - 1, at: lastTime + scenario.retransmitTimeoutNs, retransmission: true)
                truth.flows[flowIndex(dataFlow: c)].timeoutRetransmissions += 1
                lastPacketSentTwice = true
            }
        }
        linkFreeNs[rank] = max(linkFreeNs[rank], lastTime + packetTime)
        let delay = ackDelayNs(connection: c)
        let dataFlow = flowIndex(dataFlow: c)
        if lastPacketSentTwice {
            truth.flows[dataFlow].ambiguousAckSamples += 1
        } else {
            truth.flows[dataFlow].ackLatenciesNs.append(delay)
        }
        if count > 1 { truth.flows[dataFlow].packetGapNs = packetTime }
        let ackTime = lastTime + delay
        connections[c].msn = (connections[c].msn + 1) & 0xff_ffff
        schedule(ackTime, .ack(connection: c, psn: psn(count - 1), syndrome: 0x1f, msn: connections[c].msn))
        connections[c].nextPSN = psn(count)
        return ackTime
    }

    /// XOFF on priority 3 from the switch port facing a random rank, a refresh if
    /// the pause outlasts half the quanta, then XON.
    mutating func schedulePause(startNs: Int64, endNs: Int64) {
        let port = Int(random.next() % UInt64(scenario.ranks))
        // One pause at a time per link: a second XOFF stream would be cut short by the
        // first one's XON, as it would on a real link.
        let previousEnd = pauseEpisodes.last { $0.0 == port }?.2 ?? .min
        let begin = max(startNs + Int64(random.unit() * Double(max(1, endNs - startNs))), previousEnd + 1000)
        let duration = Int64(5_000 + random.unit() * 100_000)
        let quantumNs = 512 * 1e9 / scenario.linkBitsPerSecond
        let holdNs = Int64(Double(0xffff) * quantumNs)
        var t = begin
        while t < begin + duration {
            schedule(t, .pfc(switchPort: port, quanta: 0xffff))
            t += holdNs / 2
        }
        schedule(begin + duration, .pfc(switchPort: port, quanta: 0))
        pauseEpisodes.append((port, begin, begin + duration))
    }

    /// The responder answers a CE mark with a CNP after 1.5 µs (+ exponential 0.3 µs),
    /// sending at most one CNP per connection per interval, as NICs pace them.
    private mutating func scheduleCNP(connection c: Int, markedAt time: Int64) {
        let cnpTime = time + Int64(1500 + random.exponential(mean: 300))
        guard cnpTime - connections[c].lastCNPNs >= scenario.cnpIntervalNs else { return }
        connections[c].lastCNPNs = cnpTime
        schedule(cnpTime, .cnp(connection: c))
    }

    mutating func schedule(_ time: Int64, _ kind: TrafficEvent.Kind) {
        pending.append(TrafficEvent(timeNs: time, order: order, kind: kind))
        order += 1
    }

    mutating func flush(before limit: Int64, _ emit: (Int64, Frame) throws -> Void) rethrows {
        pending.sort { ($0.timeNs, $0.order) < ($1.timeNs, $1.order) }
        let ready = pending.prefix { $0.timeNs < limit }
        for event in ready {
            let frame = build(event)
            truth.packets += 1
            try emit(event.timeNs, frame)
        }
        pending.removeFirst(ready.count)
    }
}
