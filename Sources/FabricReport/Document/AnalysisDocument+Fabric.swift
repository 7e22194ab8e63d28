import FabricJSON
import FabricCompare
import FabricWire
import FabricStats

extension AnalysisDocument {
    /// The classes RoCE travelled in (`qos` in the JSON): per kind of packet, per
    /// sending host, the priorities PFC paused, the declared intent if any, and what
    /// health found in them.
    public struct QosSection: Sendable, KeyOrderedEncodable, Equatable {
        // In key order, as the JSON writes them.
        public var acks: FlowMarkings.Classes?
        public var cnps: FlowMarkings.Classes?
        public var data: FlowMarkings.Classes
        public var findings: [FabricFinding]
        public var hosts: [HostClasses]
        public var intent: QosIntent?
        public var pausedPriorities: [Int]
        /// Hosts left out of `hosts` by `--top` (`keepingFirst`); not part of the JSON.
        public internal(set) var hostsLeftOut = 0

        public struct HostClasses: Sendable, KeyOrderedEncodable, Equatable {
            public var data: FlowMarkings.Classes
            public var host: String

            enum CodingKeys: String, CodingKey { case data, host }

            /// In key order (`SortedJSONObject`): one per host, 10⁵ in a fleet's report.
            public func encodeMembers(into object: inout SortedJSONObject) throws {
                try object.encode(data, forKey: CodingKeys.data)
                try object.encode(host, forKey: CodingKeys.host)
            }
        }

        enum CodingKeys: String, CodingKey {
            case data, acks, cnps, hosts, intent, findings, pausedPriorities = "paused_priorities"
        }

        /// In key order, the hosts on all cores (`ConcurrentJSONArray`): a fleet's
        /// report lists 10⁵ of them, a sixth of its text.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encodeIfPresent(acks, forKey: CodingKeys.acks)
            try object.encodeIfPresent(cnps, forKey: CodingKeys.cnps)
            try object.encode(data, forKey: CodingKeys.data)
            try object.encode(findings, forKey: CodingKeys.findings)
            try object.encode(ConcurrentJSONArray(hosts), forKey: CodingKeys.hosts)
            try object.encodeIfPresent(intent, forKey: CodingKeys.intent)
            try object.encode(pausedPriorities, forKey: CodingKeys.pausedPriorities)
        }

        /// `listing`: only the hosts `keepingFirst` would keep, named only for them.
        init?(_ observation: QosObservation, intent: QosIntent?, listing limit: Int? = nil) {
            guard observation.flowsSeen > 0, !observation.data.isEmpty else { return nil }
            data = observation.data
            acks = observation.acks.isEmpty ? nil : observation.acks
            cnps = observation.cnps.isEmpty ? nil : observation.cnps
            pausedPriorities = observation.pausedPriorities.keys.sorted()
            self.intent = intent
            findings = observation.findings(intent: intent)
            let sorted = observation.dataByHost.sorted { $0.key < $1.key }
            var kept = Array(sorted.indices)
            if let limit {
                let named = Set(findings.compactMap(\.host))
                kept = AnalysisDocument.Listing.namedFirst(count: sorted.count, limit: limit) { index in
                    !named.isEmpty && named.contains(sorted[index].key.description)
                }
            }
            hosts = kept.map { HostClasses(data: sorted[$0].value, host: sorted[$0].key.description) }
            hostsLeftOut = sorted.count - kept.count
        }
    }

    /// How ECMP could spread each host pair (`ecmp` in the JSON): its request QPs, the
    /// distinct UDP source ports among them and their effective number.
    public struct EcmpSection: Sendable, KeyOrderedEncodable, Equatable {
        public var distinctSourcePorts: Int
        public var findings: [FabricFinding]
        public var hostPairs: [Pair]
        public var qps: Int
        /// Host pairs left out of `hostPairs` by `--top` (`keepingFirst`); not part of
        /// the JSON.
        public internal(set) var hostPairsLeftOut = 0

        public struct Pair: Sendable, KeyOrderedEncodable, Equatable {
            public var dst: String
            public var effectivePorts: Double
            public var flowLabels: Int?
            public var qps: Int
            public var sourcePorts: [Port]
            public var sprayingQPs: Int
            public var src: String

            enum CodingKeys: String, CodingKey {
                case src, dst, qps, sourcePorts = "source_ports", effectivePorts = "effective_ports", sprayingQPs = "spraying_qps"
                case flowLabels = "flow_labels"
            }

            /// In key order (`SortedJSONObject`): one per host pair, 10⁵ in a fleet's report.
            public func encodeMembers(into object: inout SortedJSONObject) throws {
                try object.encode(dst, forKey: CodingKeys.dst)
                try object.encode(effectivePorts, forKey: CodingKeys.effectivePorts)
                try object.encodeIfPresent(flowLabels, forKey: CodingKeys.flowLabels)
                try object.encode(qps, forKey: CodingKeys.qps)
                try object.encode(sourcePorts, forKey: CodingKeys.sourcePorts)
                try object.encode(sprayingQPs, forKey: CodingKeys.sprayingQPs)
                try object.encode(src, forKey: CodingKeys.src)
            }
        }

        public struct Port: Sendable, KeyOrderedEncodable, Equatable {
            public var port: Int
            public var wireBytes: Int
            enum CodingKeys: String, CodingKey { case port, wireBytes = "wire_bytes" }

            public func encodeMembers(into object: inout SortedJSONObject) throws {
                try object.encode(port, forKey: CodingKeys.port)
                try object.encode(wireBytes, forKey: CodingKeys.wireBytes)
            }
        }

        enum CodingKeys: String, CodingKey {
            case qps, findings, distinctSourcePorts = "distinct_source_ports", hostPairs = "host_pairs"
        }

        /// In key order, the host pairs on all cores (`ConcurrentJSONArray`): a fleet's
        /// report lists 10⁵ of them, a third of its text.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(distinctSourcePorts, forKey: CodingKeys.distinctSourcePorts)
            try object.encode(findings, forKey: CodingKeys.findings)
            try object.encode(ConcurrentJSONArray(hostPairs), forKey: CodingKeys.hostPairs)
            try object.encode(qps, forKey: CodingKeys.qps)
        }

        /// `listing`: only the host pairs `keepingFirst` would keep, named only for them.
        init?(_ spread: EcmpSpread, topology: FabricTopology? = nil, listing limit: Int? = nil) {
            guard spread.qps > 0 else { return nil }
            qps = spread.qps
            distinctSourcePorts = spread.distinctPorts
            let pairs = spread.pairs
            let kept = limit.map { limit in
                AnalysisDocument.Listing.largestFirst(count: pairs.count, limit: limit) { index in
                    pairs[index].bytesByPort.reduce(0) { $0 + $1.bytes }
                }
            } ?? Array(pairs.indices)
            hostPairsLeftOut = pairs.count - kept.count
            hostPairs = kept.map { index in
                let pair = pairs[index]
                return Pair(dst: pair.destination.description, effectivePorts: (pair.effectivePorts * 1000).rounded() / 1000,
                     flowLabels: pair.distinctFlowLabels, qps: pair.qps, sourcePorts: pair.bytesByPort.map { Port(port: Int($0.port), wireBytes: $0.bytes) },
                     sprayingQPs: pair.sprayingQPs, src: pair.source.description)
            }
            findings = spread.findings(topology: topology)
        }
    }
}

extension AnalysisDocument {
    /// One switch or port with the links that cross it (`switches` in the JSON, with
    /// `--topology`).
    public struct SwitchEntry: Sendable, Encodable, Equatable {
        // In key order, as the JSON writes them.
        public var ackLatencyNs: LatencyPercentiles?
        public var ceFraction: Double?
        public var cnps: Int
        public var kind: String
        public var links: Int
        public var naks: Int
        public var name: String
        public var pfcPausedFraction: Double?
        public var pfcXoffFrames: Int?
        public var retransmittedFraction: Double?
        public var wireBytes: Int

        public struct LatencyPercentiles: Sendable, Encodable, Equatable {
            public var p50: Double?
            public var p99: Double?
            public var p999: Double?
        }

        enum CodingKeys: String, CodingKey {
            case ackLatencyNs = "ack_latency_ns", ceFraction = "ce_fraction", cnps, kind, links, naks, name
            case pfcPausedFraction = "pfc_paused_fraction", pfcXoffFrames = "pfc_xoff_frames"
            case retransmittedFraction = "retransmitted_fraction", wireBytes = "wire_bytes"
        }

        init(_ totals: FabricElementTotals) {
            let p50 = totals.values[.ackLatencyP50], p99 = totals.values[.ackLatencyP99], p999 = totals.values[.ackLatencyP999]
            ackLatencyNs = p50 == nil && p99 == nil ? nil : LatencyPercentiles(p50: p50, p99: p99, p999: p999)
            ceFraction = totals.values[.ceFraction]
            cnps = totals.cnps
            kind = totals.element.kind
            links = totals.links
            naks = totals.naks
            name = totals.element.name
            pfcPausedFraction = totals.values[.pfcPausedFraction]
            pfcXoffFrames = totals.pfcXoffFrames > 0 ? totals.pfcXoffFrames : nil
            retransmittedFraction = totals.values[.retransmittedFraction]
            wireBytes = totals.wireBytes
        }
    }
}
