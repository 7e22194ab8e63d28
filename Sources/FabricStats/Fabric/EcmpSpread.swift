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
                && a.bytesByPort.map(\.port) == b.bytesByPort.map(\.port) && a.bytesByPort.map(\.bytes) == b.bytesByPort.map(\.bytes)
        }
    }

    /// RoCEv2 host pairs with requests, by source then destination.
    public var pairs: [HostPair] = []

    public init(_ summary: AnalysisSummary) {
        struct Tally { var qps = 0; var spraying = 0; var bytes: [UInt16: Int] = [:] }
        var tallies: [QosObservation.LinkKey: Tally] = [:]
        for flow in summary.flows where flow.requester != nil && flow.counters.encapsulation == .rocev2 {
            guard let markings = flow.markings, let port = markings.sourcePort else { continue }
            let key = QosObservation.LinkKey(source: flow.key.source, destination: flow.key.destination)
            tallies[key, default: Tally()].qps += 1
            tallies[key]!.bytes[port, default: 0] += flow.counters.wireBytes
            if markings.otherSourcePortPackets > 0 { tallies[key]!.spraying += 1 }
        }
        pairs = tallies.sorted { $0.key < $1.key }.map { key, tally in
            HostPair(source: key.source, destination: key.destination, qps: tally.qps,
                     bytesByPort: tally.bytes.map { (port: $0.key, bytes: $0.value) }
                        .sorted { ($0.bytes, $1.port) > ($1.bytes, $0.port) },
                     sprayingQPs: tally.spraying)
        }
    }

    /// Every request QP of the fabric, and the distinct ports among them.
    public var qps: Int { pairs.reduce(0) { $0 + $1.qps } }
    public var distinctPorts: Int { Set(pairs.flatMap { $0.bytesByPort.map(\.port) }).count }

    /// Polarisation: every QP of the fabric on one port (said once, for the fabric), or
    /// host pairs whose QPs share fewer ports than they have QPs.
    public func findings() -> [FabricFinding] {
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
        return several.filter { $0.distinctPorts < $0.qps }.map { pair in
            FabricFinding(
                check: check, kind: "shared_source_port", severity: .warn, src: pair.source.description,
                dst: pair.destination.description, host: nil, count: pair.qps,
                message: "\(pair.source)→\(pair.destination): \(pair.qps) QPs share \(pair.distinctPorts) UDP source "
                    + "port(s) (\(pair.bytesByPort.prefix(4).map { String($0.port) }.joined(separator: ", "))): ECMP "
                    + "can spread them over at most \(pair.distinctPorts) path(s)",
                advice: advice)
        }
    }
}
