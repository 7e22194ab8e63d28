import FabricWire

/// What a flow's headers tell about how the fabric treats it: the classes its packets
/// were sent in (DSCP, 802.1p priority), by kind of packet, and the UDP source port
/// that ECMP hashes on.
///
/// Why by kind: RoCE's data, its ACKs and its CNPs are meant for different classes
/// (NVIDIA's lossless default: data on DSCP 26 / priority 3, CNPs on DSCP 48 /
/// priority 6), and a misconfigured host shows as a class where another was intended.
/// Sets, not counts: a class seen once is already a finding, and a set is two words.
public struct FlowMarkings: Sendable, Equatable, Codable {
    /// The classes one kind of packet was seen in.
    public struct Classes: Sendable, Equatable, Codable {
        /// Bit d: a packet with DSCP d.
        public var dscps: UInt64 = 0
        /// Bit p (0–7): a packet tagged with priority p. Bit 8: an untagged packet.
        public var priorities: UInt16 = 0

        public init() {}

        public var isEmpty: Bool { dscps == 0 && priorities == 0 }
        public var dscpValues: [Int] { (0..<64).filter { dscps >> UInt64($0) & 1 == 1 } }
        /// Tagged priorities seen (0–7).
        public var priorityValues: [Int] { (0..<8).filter { priorities >> UInt16($0) & 1 == 1 } }
        public var untagged: Bool { priorities & FlowMarkings.untaggedBit != 0 }

        /// Only IP-carried packets (RoCEv2): native InfiniBand has service levels, not
        /// DSCP and PCP, and is left out rather than read as "untagged, DSCP none".
        @inline(__always)
        mutating func add(dscp: UInt8?, priority: UInt8?) {
            guard let dscp else { return }
            dscps |= 1 &<< UInt64(dscp & 63)
            priorities |= priority.map { 1 &<< UInt16($0 & 7) } ?? FlowMarkings.untaggedBit
        }

        mutating func merge(_ other: Classes) {
            dscps |= other.dscps
            priorities |= other.priorities
        }

        enum CodingKeys: String, CodingKey { case dscp, pcp, untagged }

        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: CodingKeys.self)
            for value in try object.decodeIfPresent([Int].self, forKey: .dscp) ?? [] where (0..<64).contains(value) {
                dscps |= 1 << UInt64(value)
            }
            for value in try object.decodeIfPresent([Int].self, forKey: .pcp) ?? [] where (0..<8).contains(value) {
                priorities |= 1 << UInt16(value)
            }
            if try object.decodeIfPresent(Bool.self, forKey: .untagged) == true { priorities |= FlowMarkings.untaggedBit }
        }

        /// Values, not bit masks: readable, and no integer beyond JSON's exact range.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(dscpValues, forKey: .dscp)
            try object.encode(priorityValues, forKey: .pcp)
            if untagged { try object.encode(true, forKey: .untagged) }
        }
    }

    static let untaggedBit: UInt16 = 1 << 8

    /// Requests and READ responses: the traffic PFC is meant to keep lossless.
    public var data = Classes()
    /// ACKs and NAKs.
    public var acks = Classes()
    /// Congestion notification packets.
    public var cnps = Classes()
    /// The UDP source port of the flow's first RoCEv2 packet: with the addresses and
    /// the destination port, what a switch's ECMP hash picks the path by. Linux gives
    /// each RC connection one port from a hash of its two QP numbers
    /// (`rdma_calc_flow_label`), the same in both directions.
    public var sourcePort: UInt16?
    /// Packets sent from another source port (a NIC that sprays a QP over ports).
    public var otherSourcePortPackets = 0

    public init() {}

    @inline(__always)
    mutating func add(_ packet: TransportFields) {
        if packet.opcode.isCNP {
            cnps.add(dscp: packet.dscp, priority: packet.priority)
        } else if packet.opcode.isAcknowledge {
            acks.add(dscp: packet.dscp, priority: packet.priority)
        } else {
            data.add(dscp: packet.dscp, priority: packet.priority)
        }
        if let port = packet.udpSourcePort {
            if sourcePort == nil { sourcePort = port } else if port != sourcePort { otherSourcePortPackets += 1 }
        }
    }

    mutating func merge(_ other: FlowMarkings) {
        data.merge(other.data)
        acks.merge(other.acks)
        cnps.merge(other.cnps)
        otherSourcePortPackets += other.otherSourcePortPackets
        if sourcePort == nil { sourcePort = other.sourcePort }
    }

    enum CodingKeys: String, CodingKey {
        case data, acks, cnps, sourcePort = "udp_source_port", otherSourcePortPackets = "other_source_port_packets"
    }

    public init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: CodingKeys.self)
        data = try object.decodeIfPresent(Classes.self, forKey: .data) ?? Classes()
        acks = try object.decodeIfPresent(Classes.self, forKey: .acks) ?? Classes()
        cnps = try object.decodeIfPresent(Classes.self, forKey: .cnps) ?? Classes()
        sourcePort = try object.decodeIfPresent(UInt16.self, forKey: .sourcePort)
        otherSourcePortPackets = try object.decodeIfPresent(Int.self, forKey: .otherSourcePortPackets) ?? 0
    }

    /// Only the kinds of packet the flow carried.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        if !acks.isEmpty { try object.encode(acks, forKey: .acks) }
        if !cnps.isEmpty { try object.encode(cnps, forKey: .cnps) }
        if !data.isEmpty { try object.encode(data, forKey: .data) }
        if otherSourcePortPackets > 0 { try object.encode(otherSourcePortPackets, forKey: .otherSourcePortPackets) }
        try object.encodeIfPresent(sourcePort, forKey: .sourcePort)
    }
}
