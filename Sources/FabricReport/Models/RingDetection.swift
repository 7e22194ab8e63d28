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
        /// Busy periods of the edge's flows (iterations, when compute separates them).
        public var bursts = Distribution()
    }

    /// Hosts in ring order; edges[i] goes from hosts[i] to hosts[i+1].
    public var hosts: [NodeAddress]
    public var edges: [Edge]

    public var ranks: Int { hosts.count }
    /// Payload each rank sent to its successor (the median edge).
    public var bytesPerRank: Int { edges.map(\.payloadBytes).sorted()[(edges.count - 1) / 2] }
    /// The all-reduce size S of one iteration: bytes per rank and iteration = 2(n−1)/n · S.
    public var inferredAllReduceBytes: Double {
        Double(bytesPerRank) / Double(iterations) * Double(ranks) / (2 * Double(ranks - 1))
    }
    /// Iterations: the median over edges of their busy periods (per flow, averaged
    /// over the edge's QPs).
    public var iterations: Int {
        let counts = edges.map { max(1, $0.bursts.count / max(1, $0.flows.count)) }.sorted()
        return counts[(counts.count - 1) / 2]
    }

    /// Median busy period over the edges: the time of one iteration.
    public var iterationNs: Int64? {
        let medians = edges.compactMap { $0.bursts.isEmpty ? nil : $0.bursts.value(atPercentile: 50) }.sorted()
        return medians.isEmpty ? nil : medians[(medians.count - 1) / 2]
    }

    /// From the first to the last packet of the ring's traffic.
    public var spanNs: Int64 { (edges.map(\.endNs).max() ?? 0) - (edges.map(\.startNs).min() ?? 0) }

    /// The slowest edge: lowest rate within messages where known, else highest p99
    /// ACK latency.
    public var straggler: Edge {
        if edges.allSatisfy({ $0.inMessageBitsPerSecond != nil }) {
            return edges.min { $0.inMessageBitsPerSecond! < $1.inMessageBitsPerSecond! }!
        }
        return edges.map { ($0, $0.ackLatencyP99Ns ?? 0) }.max { $0.1 < $1.1 }!.0
    }

    /// Edges whose byte counts differ by more than this factor are not one ring.
    static let similarity = 1.5

    /// Finds the rings among `summary`'s request flows (QPs between the same two
    /// hosts are one edge).
    public static func find(in summary: AnalysisSummary) -> [DetectedRing] {
        var edges: [HostPair: Edge] = [:]
        for flow in summary.flows {
            guard let requester = flow.requester, requester.goodputBytes > 0 else { continue }
            let pair = HostPair(source: flow.key.source, destination: flow.key.destination)
            var edge = edges[pair] ?? Edge(source: pair.source, destination: pair.destination, flows: [], payloadBytes: 0,
                                           startNs: .max, endNs: .min, inMessageBitsPerSecond: nil)
            edge.flows.append(flow.key)
            edge.bursts.merge(requester.bursts)
            edge.payloadBytes += requester.goodputBytes
            edge.startNs = min(edge.startNs, flow.counters.startNs)
            edge.endNs = max(edge.endNs, flow.counters.endNs)
            let gap = Double(requester.gaps.value(atPercentile: 50))
            if requester.gaps.count >= 10, gap >= 10 * summary.resolutionNs {
                let rate = Double(flow.counters.wireBytes) / Double(flow.counters.packets) * 8e9 / gap
                edge.inMessageBitsPerSecond = min(edge.inMessageBitsPerSecond ?? .infinity, rate)
            }
            if !requester.ackLatency.isEmpty { edge.ackLatencies.append(requester.ackLatency) }
            edges[pair] = edge
        }
        // Each host's heaviest outgoing edge; follow successors to close cycles.
        var successor: [NodeAddress: Edge] = [:]
        for edge in edges.values where edge.payloadBytes > (successor[edge.source]?.payloadBytes ?? -1) {
            successor[edge.source] = edge
        }
        var rings: [DetectedRing] = []
        var placed: Set<NodeAddress> = []
        for start in successor.keys.sorted() where !placed.contains(start) {
            var path: [Edge] = []
            var seen: Set<NodeAddress> = []
            var host = start
            while let edge = successor[host], !seen.contains(host) {
                seen.insert(host)
                path.append(edge)
                host = edge.destination
            }
            guard host == start, path.count >= 2 else { continue }
            let bytes = path.map { Double($0.payloadBytes) }
            guard let low = bytes.min(), let high = bytes.max(), low > 0, high / low <= similarity else { continue }
            placed.formUnion(seen)
            rings.append(DetectedRing(hosts: path.map(\.source), edges: path))
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
