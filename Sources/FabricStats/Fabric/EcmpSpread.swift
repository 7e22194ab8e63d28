import FabricMetrics
import FabricWire
import Foundation

/// How a fabric's ECMP hashing can spread each host pair's traffic, read from the
/// UDP source ports of its QPs (RoCEv2: the addresses and destination port are the
/// same for every QP of a pair, so the source port is the only entropy).
///
/// Linux gives an RC connection the port `rdma_flow_label_to_udp_sport(
/// rdma_calc_flow_label(lqpn, rqpn))` when its flow label is 0, as NCCL leaves it:
/// distinct for nearly every QP. Ports that do not vary (a hard-coded 4791, 0, one
/// port per host) put every QP of a pair on one path: ECMP polarisation. IPv6 flow
/// labels and InfiniBand (routed by LID, no ECMP hash) are not read.
public struct EcmpSpread: Sendable, Equatable {
    /// One direction of a host pair: its request QPs and the bytes each port carried.
    public struct HostPair: Sendable, Equatable {
        public var source: NodeAddress
        public var destination: NodeAddress
        public var qps: Int
        /// Wire bytes per UDP source port, largest first.
        public var bytesByPort: [(port: UInt16, bytes: Int)]
        /// QPs that moved between source ports (a NIC that sprays): each counts as spread.
        public var sprayingQPs: Int
        /// Over IPv6: the distinct flow labels among its QPs (hashes that read the label
        /// can spread QPs that share a port); nil over IPv4.
        public var distinctFlowLabels: Int? = nil

        public var distinctPorts: Int { bytesByPort.count }

        /// 2^H of the bytes' shares over ports: the number of equally loaded paths the
        /// traffic is worth. 1 when one port carries it all.
        public var effectivePorts: Double {
            let total = Double(bytesByPort.reduce(0) { $0 + $1.bytes })
            guard total > 0 else { return Double(distinctPorts) }
            let entropy = bytesByPort.reduce(0.0) { sum, entry in
                let share = Double(entry.bytes) / total
                return share > 0 ? sum - share * log2(share) : sum
            }
            return pow(2, entropy)
        }

        public static func == (a: HostPair, b: HostPair) -> Bool {
            a.source == b.source && a.destination == b.destination && a.qps == b.qps && a.sprayingQPs == b.sprayingQPs
                && a.distinctFlowLabels == b.distinctFlowLabels
                && a.bytesByPort.map(\.port) == b.bytesByPort.map(\.port) && a.bytesByPort.map(\.bytes) == b.bytesByPort.map(\.bytes)
        }
    }

    /// RoCEv2 host pairs with requests, by source then destination.
    public var pairs: [HostPair] = []

    public init(_ summary: AnalysisSummary) {
        // One entry per request QP, sorted by pair and port, then grouped in one pass:
        // a dictionary of ports per pair allocated once per pair (10⁴–10⁵ of them).
        var entries: [(key: QosObservation.LinkKey, port: UInt16, bytes: Int, spraying: Bool, label: UInt32?)] = []
        // By index, reading fields in place: a loop over the flows copied each one whole.
        let flows = summary.flows
        entries.reserveCapacity(flows.count)
        // Whether a flow carries requests, asked of one of the requester's integers:
        // `requester != nil` copied the requester's statistics whole to test them.
        for index in flows.indices where flows[index].requester?.goodputBytes != nil
            && flows[index].counters.encapsulation == .rocev2 {
            guard let markings = flows[index].markings, let port = markings.sourcePort else { continue }
            let key = flows[index].key
            entries.append((QosObservation.LinkKey(source: key.source, destination: key.destination), port,
                            flows[index].counters.wireBytes, markings.otherSourcePortPackets > 0, markings.flowLabel))
        }
        entries.sort { ($0.key, $0.port) < ($1.key, $1.port) }
        var start = 0
        while start < entries.count {
            var end = start
            var ports: [(port: UInt16, bytes: Int)] = []
            var spraying = 0
            var labels = Set<UInt32>()
            while end < entries.count, entries[end].key == entries[start].key {
                if let label = entries[end].label { labels.insert(label) }
                if ports.last?.port == entries[end].port { ports[ports.count - 1].bytes += entries[end].bytes }
                else { ports.append((entries[end].port, entries[end].bytes)) }
                if entries[end].spraying { spraying += 1 }
                end += 1
            }
            if ports.count > 1 { ports.sort { ($0.bytes, $1.port) > ($1.bytes, $0.port) } }
            pairs.append(HostPair(source: entries[start].key.source, destination: entries[start].key.destination,
                                  qps: end - start, bytesByPort: ports, sprayingQPs: spraying,
                                  distinctFlowLabels: labels.isEmpty ? nil : labels.count))
            start = end
        }
    }

    /// Every request QP of the fabric, and the distinct ports among them.
    public var qps: Int { pairs.reduce(0) { $0 + $1.qps } }
    public var distinctPorts: Int { Set(pairs.flatMap { $0.bytesByPort.map(\.port) }).count }

    /// Polarisation: every QP of the fabric on one port (said once, for the fabric), or
    /// host pairs whose QPs share fewer ports than they have QPs.
    /// `topology`: with it, a pair between leaves is judged against the spine paths it
    /// could use (its leaf's uplinks): 8 QPs on 4 ports fill 4 spines, and 4 QPs on 2
    /// ports use 2 of them, said so. A pair within one leaf has one path.
    public func findings(topology: FabricTopology? = nil) -> [FabricFinding] {
        let check = Metrics.ecmpSpread.name
        let advice = Metrics.ecmpSpread.advice!
        // Only a pair with several QPs has anything to spread: one QP's packets keep to
        // one path by design, and pairs differ by their addresses anyway.
        let several = pairs.filter { $0.qps >= 2 && $0.sprayingQPs == 0 }
        let ports = Set(several.flatMap { $0.bytesByPort.map(\.port) })
        if several.count >= 2, ports.count == 1, let port = ports.first {
            let qps = several.reduce(0) { $0 + $1.qps }
            return [FabricFinding(
                check: check, kind: "constant_source_port", severity: .warn, src: nil, dst: nil, host: nil, count: qps,
                message: "every QP (\(qps) over \(several.count) host pairs with several) sends from UDP source port "
                    + "\(port): ECMP has no entropy, so each host pair's QPs share a single path whatever the fabric offers",
                advice: advice)]
        }
        let uplinks = topology.map { topology in Dictionary(grouping: topology.uplinks, by: \.switchName).mapValues(\.count) }
        return several.compactMap { pair in
            var paths: Int?
            if let topology, let uplinks {
                guard let a = topology.hosts[pair.source], let b = topology.hosts[pair.destination] else { return nil }
                paths = a.switchName == b.switchName ? 1 : max(1, uplinks[a.switchName] ?? 1)
            }
            let usable = min(pair.qps, paths ?? pair.qps)
            guard pair.distinctPorts < usable else { return nil }
            let ports = pair.bytesByPort.prefix(4).map { String($0.port) }.joined(separator: ", ")
            return FabricFinding(
                check: check, kind: "shared_source_port", severity: .warn, src: pair.source.description,
                dst: pair.destination.description, host: nil, count: pair.qps,
                message: "\(pair.source)→\(pair.destination): \(pair.qps) QPs share \(pair.distinctPorts) UDP source "
                    + "port(s) (\(ports)): ECMP can spread them over at most \(pair.distinctPorts) "
                    + (paths.map { "of the \($0) spine paths its leaf offers" } ?? "path(s)")
                    + (pair.distinctFlowLabels.map { $0 > pair.distinctPorts
                        ? " (their \($0) IPv6 flow labels differ: switches that hash on the flow label can still spread them)" : "" } ?? ""),
                advice: advice)
        }
    }
}
