import FabricWire
import FabricIngest
import FabricStats

/// Ring collectives found in a capture: hosts whose request flows form a cycle in
/// which every host sends to one successor and receives from one predecessor, with
/// similar byte counts on every edge (what a ring all-reduce puts on the wire: each
/// rank writes 2(n−1)/n · S to its successor).
public struct DetectedRing: Sendable, Equatable {
    public struct Edge: Sendable, Equatable {
        public var source: NodeAddress
        public var destination: NodeAddress
        /// Request flows (QPs) carrying this edge.
        public var flows: [FlowKey]
        public var payloadBytes: Int
        public var startNs: Int64
        public var endNs: Int64
        /// Rate within messages (bits/s), when the timestamps can time packet gaps.
        public var inMessageBitsPerSecond: Double?
        /// Request→ACK latency of each of the edge's flows that has samples.
        public var ackLatencies: [Distribution] = []
        /// Busy periods of the edge's flows (iterations, when compute separates them),
        /// from an explicit `--idle-gap` only.
        public var bursts = Distribution()
        /// Per flow of the edge: its pauses between messages and its active span.
        public var flowPauses: [FlowPauses] = []
        /// Per flow of the edge: its longest pauses with their times and bytes, span
        /// and payload (nil for a flow whose summary did not keep them).
        public var flowPeriods: [FlowPeriods?] = []
        /// Messages the edge's flows started (nil for summaries too old to say).
        public var messages: Int? = 0
        /// How long each listed timeout retransmission waited after the first send
        /// (nil where the first send was not seen).
        public var timeoutWaits: [Int64?] = []
    }

    public struct FlowPauses: Sendable, Equatable {
        public var pauses: PauseHistogram
        public var spanNs: Int64
    }

    public struct FlowPeriods: Sendable, Equatable {
        public var longPauses: LongPauses
        public var startNs: Int64
        public var endNs: Int64
        public var payloadBytes: Int
        /// Messages the flow started (nil: a summary too old to count them).
        public var messages: Int?
    }

    /// How iterations were told apart.
    public enum IterationBoundary: String, Sendable, Equatable {
        /// Pauses at least `idleGapNs` long, found from the distribution of pauses.
        case traffic
        /// Pauses at least the `--idle-gap` the user gave.
        case idleGap = "idle_gap"
        /// The pauses form one group: the capture holds one busy period.
        case none
        /// A summary written before pauses were kept: busy periods at the old default.
        case bursts
    }

    /// Hosts in ring order; edges[i] goes from hosts[i] to hosts[i+1].
    public var hosts: [NodeAddress]
    public var edges: [Edge]
    /// The pause that separates iterations, and how it was chosen.
    public var idleGapNs: Double?
    public var boundary = IterationBoundary.none
    /// Iterations: the median over edges of their busy periods (per flow, averaged
    /// over the edge's QPs). Every link of a ring pauses between iterations, so one
    /// link's odd pause (a timeout, a stall) does not move the median.
    public private(set) var iterations = 1
    /// Median over the edges of the mean busy period: the time of one iteration.
    public private(set) var iterationNs: Int64?
    /// The ring's busy periods with their bus bandwidth (nil: they cannot be cut exactly).
    public private(set) var phases: [RingPhase]?
    /// Which ring collective the steps say it is.
    public private(set) var kindReading = KindReading(kind: .allReduce, messagesPerPeriod: [], partialPeriods: [])
    public var kind: RingKind { kindReading.kind }

    init(hosts: [NodeAddress], edges: [Edge], explicitIdleGapNs: Int64) {
        self.hosts = hosts
        self.edges = edges
        // The periods and the kind rest on the edges alone; the iteration count on the kind.
        phases = cutPhases()
        kindReading = readKind()
        if let steps = kind.steps(ranks: hosts.count) {
            for k in phases?.indices ?? 0..<0 {
                phases![k].algorithmBitsPerSecond = phases![k].busBitsPerSecond * Double(hosts.count) / Double(steps)
            }
        }
        if edges.allSatisfy({ !$0.flowPauses.isEmpty }) {
            if explicitIdleGapNs > 0 {
                (idleGapNs, boundary) = (Double(explicitIdleGapNs), .idleGap)
            } else {
                var all = PauseHistogram()
                for edge in edges { for flow in edge.flowPauses { all.merge(flow.pauses) } }
                idleGapNs = all.split()
                // Between iterations every link of the ring idles; a long pause that
                // only some flows show is a stall, not an iteration boundary.
                if let gap = idleGapNs,
                   !edges.allSatisfy({ $0.flowPauses.allSatisfy { $0.pauses.above(gap).count > 0 } }) {
                    idleGapNs = nil
                }
                // A ring all-reduce iteration is 2(n−1) steps (an all-gather's n−1): each
                // boundary between iterations comes with at least 2n−3 (n−2) pauses
                // between steps on every flow. Fewer, and the long pauses are steps that
                // waited, not boundaries.
                if let gap = idleGapNs {
                    let stepPauses = (kind.steps(ranks: hosts.count) ?? hosts.count - 1) - 1
                    let consistent = edges.flatMap(\.flowPauses).filter { flow in
                        let long = flow.pauses.above(gap).count
                        return flow.pauses.count - long >= long * stepPauses
                    }.count
                    if consistent * 2 < edges.reduce(0, { $0 + $1.flowPauses.count }) { idleGapNs = nil }
                }
                boundary = idleGapNs == nil ? .none : .traffic
            }
        } else {
            boundary = .bursts
        }
        (iterations, iterationNs) = boundary == .bursts ? countedFromBursts() : countedFromPauses()
    }

    private func countedFromBursts() -> (Int, Int64?) {
        let counts = edges.map { max(1, $0.bursts.count / max(1, $0.flows.count)) }.sorted()
        let medians = edges.compactMap { $0.bursts.isEmpty ? nil : $0.bursts.value(atPercentile: 50) }.sorted()
        return (counts[(counts.count - 1) / 2], medians.isEmpty ? nil : medians[(medians.count - 1) / 2])
    }

    private func countedFromPauses() -> (Int, Int64?) {
        let perEdge = perEdge()
        let counts = perEdge.map { Int($0.iterations.rounded()) }.sorted()
        let busy = perEdge.map(\.busyNs).sorted()
        return (max(1, counts[(counts.count - 1) / 2]), busy.isEmpty ? nil : Int64(busy[(busy.count - 1) / 2].rounded()))
    }

    /// Per edge, averaged over its flows: busy periods and the mean busy time. A
    /// timeout stall idles the whole ring once, so `stalls` long pauses per flow are
    /// taken for stalls (part of an iteration's time), not boundaries.
    private func perEdge() -> [(iterations: Double, busyNs: Double)] {
        let stalls = stallsAsLongAsIdleGap
        return edges.map { edge in
            let flows = edge.flowPauses.map { flow -> (Double, Double) in
                let idle = idleGapNs.map { flow.pauses.above($0) } ?? (count: 0, sumNs: 0)
                let boundaries = max(0, idle.count - stalls)
                let idleNs = idle.count > 0 ? Double(idle.sumNs) * Double(boundaries) / Double(idle.count) : 0
                let periods = Double(1 + boundaries)
                return (periods, max(0, Double(flow.spanNs) - idleNs) / periods)
            }
            let n = Double(max(1, flows.count))
            return (flows.map(\.0).reduce(0, +) / n, flows.map(\.1).reduce(0, +) / n)
        }
    }

    public var ranks: Int { hosts.count }
    /// Payload each rank sent to its successor (the median edge).
    public var bytesPerRank: Int { edges.map(\.payloadBytes).sorted()[(edges.count - 1) / 2] }
    /// The size S of one iteration, as nccl-tests gives it: bytes per rank and
    /// iteration are 2(n−1)/n · S for an all-reduce and (n−1)/n · S for an all-gather or
    /// reduce-scatter (S being the whole gathered or scattered buffer). Nil for a ring
    /// whose kind is unrecognised.
    public var inferredBytes: Double? {
        guard let steps = kind.steps(ranks: ranks) else { return nil }
        return Double(bytesPerRank) / Double(iterations) * Double(ranks) / Double(steps)
    }
    /// From the first to the last packet of the ring's traffic.
    public var spanNs: Int64 { (edges.map(\.endNs).max() ?? 0) - (edges.map(\.startNs).min() ?? 0) }

    /// Whether the links are compared by their rate within messages (else by p99
    /// request→ACK latency, where timestamps cannot time packet gaps).
    public var comparesByRate: Bool { edges.allSatisfy { $0.inMessageBitsPerSecond != nil } }

    /// A straggler is named only when it stands apart: slower than every other link
    /// by more than the others differ among themselves, and by at least this share
    /// of their median (measurement noise on links that are really even).
    static let stragglerMargin = 0.05

    /// The slowest edge, when it stands apart from the others (see `stragglerMargin`):
    /// lowest rate within messages where known, else highest p99 ACK latency (then
    /// also by more than `resolutionNs`). Nil: the links are even.
    public func straggler(resolutionNs: Double) -> Edge? {
        guard edges.count >= 2 else { return nil }
        let byRate = comparesByRate
        // "Badness": lower rate or higher latency is worse; compare on one scale.
        let values = edges.map { edge -> Double in
            byRate ? edge.inMessageBitsPerSecond! : Double(edge.ackLatencyP99Ns ?? 0)
        }
        let worst = byRate ? values.indices.min { values[$0] < values[$1] }! : values.indices.max { values[$0] < values[$1] }!
        let others = values.indices.filter { $0 != worst }.map { values[$0] }
        if byRate { return DetectedRing.standsApart(values[worst], below: others) ? edges[worst] : nil }
        let sorted = others.sorted()
        let needed = max(sorted.last! - sorted.first!, DetectedRing.stragglerMargin * sorted[(sorted.count - 1) / 2], resolutionNs)
        return values[worst] - sorted.last! > needed ? edges[worst] : nil
    }

    /// Whether `lowest` is below every one of `others` by more than they differ among
    /// themselves and by at least `stragglerMargin` of their median (the ring's
    /// straggler by rate, and a busy period's slowest link).
    static func standsApart(_ lowest: Double, below others: [Double]) -> Bool {
        guard !others.isEmpty else { return false }
        let sorted = others.sorted()
        return sorted[0] - lowest > max(sorted.last! - sorted[0], stragglerMargin * sorted[(sorted.count - 1) / 2])
    }

    /// Timeout retransmissions anywhere in the ring (each stalls the whole ring).
    public var timeoutStalls: Int { edges.reduce(0) { $0 + $1.timeoutWaits.count } }

    /// Why the iteration count cannot be trusted.
    public enum Uncertainty: Sendable, Equatable {
        /// Timeout stalls idled the ring about as long as the pause between iterations,
        /// or, where no pause separates iterations, could hide one.
        case timeoutStalls
        /// No pause separates iterations, yet the links carried more messages than one
        /// iteration's 2(n−1) steps: iterations run back to back (nccl-tests' timed
        /// loop, with no compute between them), or NCCL split each step into several
        /// messages. The traffic alone cannot tell the two apart.
        case backToBack(messagesPerFlow: Int, stepsPerIteration: Int)
        /// The messages per queue pair fit no ring collective (no multiple of n−1 steps).
        case unrecognisedSteps(messagesPerFlow: Int)
    }

    /// Nil when the iteration count can be trusted: no timeout stall as long as a
    /// boundary found from the traffic; where none was found, no timeout stall that
    /// could hide one and no more messages on a link than one iteration's steps. An
    /// explicit `--idle-gap` is taken as given.
    public var uncertainty: Uncertainty? {
        switch boundary {
        case .none, .traffic:
            if boundary == .none ? timeoutStalls > 0 : stallsAsLongAsIdleGap > 0 { return .timeoutStalls }
            // Each busy period found holds one iteration only if its links carried one
            // iteration's steps: more, and iterations may run back to back inside it
            // (nccl-tests pauses between sizes, not between iterations).
            guard let steps = kind.steps(ranks: ranks) else { return .unrecognisedSteps(messagesPerFlow: medianMessagesPerFlow ?? 0) }
            if let messages = medianMessagesPerFlow, messages > steps * iterations {
                return .backToBack(messagesPerFlow: messages, stepsPerIteration: steps)
            }
            return nil
        case .idleGap, .bursts: return nil
        }
    }

    public var iterationsCertain: Bool { uncertainty == nil }

    /// Messages a flow of the ring started, the median over edges of each edge's mean
    /// over its queue pairs (nil for summaries too old to count messages).
    public var medianMessagesPerFlow: Int? {
        let perFlow = edges.compactMap { edge in edge.messages.map { $0 / max(1, edge.flows.count) } }.sorted()
        guard perFlow.count == edges.count, !perFlow.isEmpty else { return nil }
        return perFlow[(perFlow.count - 1) / 2]
    }

    /// Timeout retransmissions whose wait was at least half the boundary found from
    /// the traffic: the whole ring stalls then, and the stall looks like the pause
    /// between iterations, so each is taken for one stall rather than a boundary. With
    /// an explicit `--idle-gap` no such guess is made (0).
    public var stallsAsLongAsIdleGap: Int {
        guard let idleGapNs, boundary == .traffic else { return 0 }
        return edges.reduce(0) { total, edge in
            total + edge.timeoutWaits.filter { $0.map { Double($0) >= idleGapNs * 0.5 } ?? true }.count
        }
    }

    /// Edges whose byte counts differ by more than this factor are not one ring.
    static let similarity = 1.5
    /// A ring host's other data edges stay under this share of its ring edge's bytes
    /// (clear-to-send writes and ACKs are far under it). In NCCL's double binary tree
    /// an edge that both trees use carries twice what the others do, so a parent and
    /// child look like a 2-rank ring unless their other edges (half as heavy) count.
    static let rivalShare = 0.25

    /// Finds the rings among `summary`'s request flows (QPs between the same two
    /// hosts are one edge). Cycles are found on a skeleton of the edges (hosts, bytes,
    /// messages); only the edges of a ring are then built whole. Building every
    /// edge (copying its flows' histograms and pauses) was a tenth of analysing 10⁵
    /// flows, which carry no ring. `graph`: the summary's hosts and links, when
    /// another pass numbered them already.
    public static func find(in summary: AnalysisSummary, graph: HostGraph? = nil) -> [DetectedRing] {
        let skeleton = Skeleton(summary, graph: graph ?? HostGraph(summary))
        let cycles = skeleton.cycles()
        guard !cycles.isEmpty else { return [] }
        let edges = skeleton.edges(Set(cycles.joined()), of: summary)
        return cycles.map { cycle in
            let path = cycle.map { edges[$0]! }
            return DetectedRing(hosts: path.map(\.source), edges: path, explicitIdleGapNs: summary.idleGapNs)
        }
    }

    /// What finding cycles needs of each edge, in the order edges were first seen.
    /// Hosts are the graph's numbers, so the search indexes arrays and hashes nothing.
    struct Skeleton {
        var sources: [NodeAddress] = []
        var destinations: [NodeAddress] = []
        /// Each edge's hosts, by the graph's numbers.
        var sourceHosts: [Int32] = []
        var destinationHosts: [Int32] = []
        var payloadBytes: [Int] = []
        /// Messages the edge's flows started (nil: a summary too old to say).
        var messages: [Int?] = []
        /// The edge of each flow (−1: no request traffic).
        var edgeOfFlow: [Int32]
        /// Edges by the host that writes, and by the host written to (by host number).
        var outgoing: [[Int]]
        var incoming: [[Int]]

        init(_ summary: AnalysisSummary, graph: HostGraph) {
            edgeOfFlow = Array(repeating: -1, count: summary.flows.count)
            outgoing = Array(repeating: [], count: graph.hosts.count)
            incoming = Array(repeating: [], count: graph.hosts.count)
            var edgeOfPair = [Int32](repeating: -1, count: graph.pairCount)
            for index in summary.flows.indices {
                guard let traffic = summary.requestTraffic(ofFlow: index), traffic.goodputBytes > 0 else { continue }
                let pair = Int(graph.pairOfFlow[index])
                var edge = Int(edgeOfPair[pair])
                if edge < 0 {
                    edge = sources.count
                    edgeOfPair[pair] = Int32(edge)
                    let from = graph.pairSources[pair], to = graph.pairDestinations[pair]
                    sources.append(graph.hosts[Int(from)])
                    destinations.append(graph.hosts[Int(to)])
                    sourceHosts.append(from)
                    destinationHosts.append(to)
                    payloadBytes.append(0)
                    messages.append(0)
                    outgoing[Int(from)].append(edge)
                    incoming[Int(to)].append(edge)
                }
                edgeOfFlow[index] = Int32(edge)
                payloadBytes[edge] += traffic.goodputBytes
                messages[edge] = traffic.messages.flatMap { count in messages[edge].map { $0 + count } }
            }
        }

        /// Whether the source of ring edge `edge` writes to another host, or its
        /// destination is written by another host, with at least `rivalShare` of the
        /// ring edge's bytes.
        func hasRival(of edge: Int, in path: [Int]) -> Bool {
            let floor = Double(payloadBytes[edge]) * DetectedRing.rivalShare
            let ring = Set(path)
            return outgoing[Int(sourceHosts[edge])].contains { !ring.contains($0) && Double(payloadBytes[$0]) >= floor }
                || incoming[Int(destinationHosts[edge])].contains { !ring.contains($0) && Double(payloadBytes[$0]) >= floor }
        }

        /// Each host's heaviest outgoing edge; successors followed to close cycles.
        /// Every cycle that can be a ring all-reduce, as edge indices from its smallest host.
        func cycles() -> [[Int]] {
            let hostCount = outgoing.count
            var successor = [Int32](repeating: -1, count: hostCount)
            for index in sources.indices {
                let host = Int(sourceHosts[index])
                if payloadBytes[index] > (successor[host] >= 0 ? payloadBytes[Int(successor[host])] : -1) {
                    successor[host] = Int32(index)
                }
            }
            var cycles: [[Int]] = []
            // Each host has one successor: follow them once, remembering what every walk
            // saw, so no host is walked twice (linear in hosts, however long the chains).
            // A host's place in the walk that reached it, and which walk that was.
            var explored = [Bool](repeating: false, count: hostCount)
            var position = [Int32](repeating: -1, count: hostCount)
            var walkOf = [Int32](repeating: -1, count: hostCount)
            // In address order (a host's address is its successor edge's source).
            let starts = (0..<hostCount).filter { successor[$0] >= 0 }
                .sorted { sources[Int(successor[$0])] < sources[Int(successor[$1])] }
            for (walkNumber, start) in starts.enumerated() where !explored[start] {
                var walk: [Int] = []
                var host = start
                while successor[host] >= 0, walkOf[host] != Int32(walkNumber), !explored[host] {
                    walkOf[host] = Int32(walkNumber)
                    position[host] = Int32(walk.count)
                    walk.append(Int(successor[host]))
                    host = Int(destinationHosts[Int(successor[host])])
                }
                for index in walk { explored[Int(sourceHosts[index])] = true }
                // A cycle closes only on a host of this walk (earlier walks' hosts are done).
                guard walkOf[host] == Int32(walkNumber) else { continue }
                let entry = Int(position[host])
                var path = Array(walk[entry...])
                // Start the ring at its smallest host, whatever host the walk came in by.
                if let smallest = path.indices.min(by: { sources[path[$0]] < sources[path[$1]] }) {
                    path = Array(path[smallest...] + path[..<smallest])
                }
                guard path.count >= 2 else { continue }
                // A ring all-gather or reduce-scatter is n−1 steps, an all-reduce 2(n−1):
                // every link carries at least n−1 messages (and two hosts trading one
                // message each are no collective).
                let steps = max(2, path.count - 1)
                guard path.allSatisfy({ (messages[$0] ?? steps) >= steps }) else { continue }
                let bytes = path.map { Double(payloadBytes[$0]) }
                guard let low = bytes.min(), let high = bytes.max(), low > 0, high / low <= similarity else { continue }
                // In a ring a host trades data with its two neighbours only: a host that
                // also writes to, or is written by, another host on a comparable scale is
                // part of something else (a tree's parent and child write both ways).
                guard !path.contains(where: { hasRival(of: $0, in: path) }) else { continue }
                cycles.append(path)
            }
            return cycles
        }

        /// The `wanted` edges built whole from their flows, in flow order.
        func edges(_ wanted: Set<Int>, of summary: AnalysisSummary) -> [Int: Edge] {
            var edges: [Int: Edge] = [:]
            for edge in wanted {
                edges[edge] = Edge(source: sources[edge], destination: destinations[edge], flows: [], payloadBytes: 0,
                                   startNs: .max, endNs: .min, inMessageBitsPerSecond: nil)
            }
            for index in summary.flows.indices {
                let edge = Int(edgeOfFlow[index])
                guard edge >= 0, wanted.contains(edge) else { continue }
                edges[edge]!.add(summary.flows[index], resolutionNs: summary.resolutionNs)
            }
            return edges
        }
    }

    struct HostPair: Hashable {
        var source: NodeAddress
        var destination: NodeAddress
    }
}

extension DetectedRing.Edge {
    /// Adds a request flow of this edge (its host pair).
    mutating func add(_ flow: AnalysisSummary.Flow, resolutionNs: Double) {
        guard let requester = flow.requester else { return }
        flows.append(flow.key)
        bursts.merge(requester.bursts)
        payloadBytes += requester.goodputBytes
        startNs = min(startNs, flow.counters.startNs)
        endNs = max(endNs, flow.counters.endNs)
        if let rate = flow.inMessageBitsPerSecond(resolutionNs: resolutionNs) {
            inMessageBitsPerSecond = min(inMessageBitsPerSecond ?? .infinity, rate)
        }
        if !requester.ackLatency.isEmpty { ackLatencies.append(requester.ackLatency) }
        for episode in requester.episodes where episode.cause == .timeout {
            timeoutWaits.append(episode.retransmitDelayNs)
        }
        messages = requester.messages.flatMap { count in messages.map { $0 + count } }
        if let pauses = requester.pauses {
            flowPauses.append(DetectedRing.FlowPauses(pauses: pauses, spanNs: flow.counters.endNs - flow.counters.startNs))
        }
        flowPeriods.append(requester.longPauses.map {
            DetectedRing.FlowPeriods(longPauses: $0, startNs: flow.counters.startNs, endNs: flow.counters.endNs,
                                     payloadBytes: requester.goodputBytes, messages: requester.messages)
        })
    }


    /// The p99 request→ACK latency of the edge's flows pooled. Computed when asked (for
    /// the straggler), not for every edge: each percentile walks a histogram. (The
    /// highest of the flows' own p99s, as before, is the maximum of several noisy
    /// tails: with 8 QPs a link, a healthy one stood apart in a generated sweep.)
    public var ackLatencyP99Ns: Int64? {
        guard var pooled = ackLatencies.first else { return nil }
        for other in ackLatencies.dropFirst() { pooled.merge(other) }
        return pooled.value(atPercentile: 99)
    }
}
