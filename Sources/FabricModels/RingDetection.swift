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

    init(hosts: [NodeAddress], edges: [Edge], explicitIdleGapNs: Int64) {
        self.hosts = hosts
        self.edges = edges
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
                // A ring all-reduce iteration is 2(n−1) steps: each boundary between
                // iterations comes with at least 2n−3 pauses between steps on every
                // flow. Fewer, and the long pauses are steps that waited, not boundaries.
                if let gap = idleGapNs {
                    let stepPauses = 2 * hosts.count - 3
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
    /// The all-reduce size S of one iteration: bytes per rank and iteration = 2(n−1)/n · S.
    public var inferredAllReduceBytes: Double {
        Double(bytesPerRank) / Double(iterations) * Double(ranks) / (2 * Double(ranks - 1))
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
        let others = values.indices.filter { $0 != worst }.map { values[$0] }.sorted()
        let spread = others.last! - others.first!
        let median = others[(others.count - 1) / 2]
        let apart = byRate ? others.first! - values[worst] : values[worst] - others.last!
        var needed = max(spread, DetectedRing.stragglerMargin * median)
        if !byRate { needed = max(needed, resolutionNs) }
        return apart > needed ? edges[worst] : nil
    }

    /// Timeout retransmissions anywhere in the ring (each stalls the whole ring).
    public var timeoutStalls: Int { edges.reduce(0) { $0 + $1.timeoutWaits.count } }

    /// Whether the iteration count can be trusted: no timeout stall as long as a
    /// boundary found from the traffic, and, where none was found, no timeout stall
    /// that could hide one. An explicit `--idle-gap` is taken as given.
    public var iterationsCertain: Bool {
        switch boundary {
        case .none: timeoutStalls == 0
        case .traffic: stallsAsLongAsIdleGap == 0
        case .idleGap, .bursts: true
        }
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

    /// Finds the rings among `summary`'s request flows (QPs between the same two
    /// hosts are one edge).
    public static func find(in summary: AnalysisSummary) -> [DetectedRing] {
        // Edges in the order first seen, updated in place (a dictionary of edges
        // copied each edge in and out for every flow).
        var edges: [Edge] = []
        var edgeIndex: [HostPair: Int] = [:]
        edgeIndex.reserveCapacity(summary.flows.count)
        let resolution = summary.resolutionNs
        for flow in summary.flows {
            guard let requester = flow.requester, requester.goodputBytes > 0 else { continue }
            let pair = HostPair(source: flow.key.source, destination: flow.key.destination)
            let index: Int
            if let known = edgeIndex[pair] {
                index = known
            } else {
                index = edges.count
                edgeIndex[pair] = index
                edges.append(Edge(source: pair.source, destination: pair.destination, flows: [], payloadBytes: 0,
                                  startNs: .max, endNs: .min, inMessageBitsPerSecond: nil))
            }
            edges[index].flows.append(flow.key)
            edges[index].bursts.merge(requester.bursts)
            edges[index].payloadBytes += requester.goodputBytes
            edges[index].startNs = min(edges[index].startNs, flow.counters.startNs)
            edges[index].endNs = max(edges[index].endNs, flow.counters.endNs)
            if let rate = flow.inMessageBitsPerSecond(resolutionNs: resolution) {
                edges[index].inMessageBitsPerSecond = min(edges[index].inMessageBitsPerSecond ?? .infinity, rate)
            }
            if !requester.ackLatency.isEmpty { edges[index].ackLatencies.append(requester.ackLatency) }
            for episode in requester.episodes where episode.cause == .timeout {
                edges[index].timeoutWaits.append(episode.retransmitDelayNs)
            }
            // A stream keeps a pause per message after its first; a newer summary
            // (it records the first PSN) without pauses had a single message.
            let messages = requester.pauses.map { $0.count + 1 } ?? (requester.firstRequestPSN != nil ? 1 : nil)
            edges[index].messages = messages.flatMap { count in edges[index].messages.map { $0 + count } }
            if let pauses = requester.pauses {
                edges[index].flowPauses.append(FlowPauses(pauses: pauses, spanNs: flow.counters.endNs - flow.counters.startNs))
            }
        }
        // Each host's heaviest outgoing edge; follow successors to close cycles.
        // (Edges by index: copying whole edges in and out of the table cost more than the walk.)
        var successor: [NodeAddress: Int] = [:]
        successor.reserveCapacity(edges.count)
        for (index, edge) in edges.enumerated()
        where edge.payloadBytes > successor[edge.source].map({ edges[$0].payloadBytes }) ?? -1 {
            successor[edge.source] = index
        }
        var rings: [DetectedRing] = []
        // Each host has one successor: follow them once, remembering what every walk
        // saw, so no host is walked twice (linear in hosts, however long the chains).
        var explored: Set<NodeAddress> = []
        for start in successor.keys.sorted() where !explored.contains(start) {
            var walk: [Int] = []
            var position: [NodeAddress: Int] = [:]
            var host = start
            while let index = successor[host], position[host] == nil, !explored.contains(host) {
                position[host] = walk.count
                walk.append(index)
                host = edges[index].destination
            }
            explored.formUnion(position.keys)
            // A cycle closes only on a host of this walk (earlier walks' hosts are done).
            guard let entry = position[host] else { continue }
            var path = walk[entry...].map { edges[$0] }
            // Start the ring at its smallest host, whatever host the walk came in by.
            if let smallest = path.indices.min(by: { path[$0].source < path[$1].source }) {
                path = Array(path[smallest...] + path[..<smallest])
            }
            guard path.count >= 2 else { continue }
            // A ring all-reduce is 2(n−1) steps: every link carries at least that many
            // messages (two hosts trading one message each are no collective).
            let steps = 2 * (path.count - 1)
            guard path.allSatisfy({ ($0.messages ?? steps) >= steps }) else { continue }
            let bytes = path.map { Double($0.payloadBytes) }
            guard let low = bytes.min(), let high = bytes.max(), low > 0, high / low <= similarity else { continue }
            rings.append(DetectedRing(hosts: path.map(\.source), edges: path, explicitIdleGapNs: summary.idleGapNs))
        }
        return rings
    }

    struct HostPair: Hashable {
        var source: NodeAddress
        var destination: NodeAddress
    }
}

extension DetectedRing.Edge {
    /// The highest p99 request→ACK latency among the edge's flows. Computed when
    /// asked (for the straggler), not for every edge: each percentile walks a histogram.
    public var ackLatencyP99Ns: Int64? {
        ackLatencies.map { $0.value(atPercentile: 99) }.max()
    }
}
