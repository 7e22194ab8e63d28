import FabricJSON
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
    public struct Classes: Sendable, Equatable, Codable, KeyOrderedEncodable {
        /// Bit d: a packet with DSCP d.
        public var dscps: UInt64 = 0
        /// Bit p (0–7): a packet tagged with priority p. Bit 8: an untagged packet.
        public var priorities: UInt16 = 0

        public init() {}

        public var isEmpty: Bool { dscps == 0 && priorities == 0 }
        public var dscpValues: [Int] { Classes.bits(dscps) }
        /// Tagged priorities seen (0–7).
        public var priorityValues: [Int] { Classes.bits(UInt64(priorities & 0xff)) }

        /// The set bits' positions, lowest first (one step per bit set, not per bit).
        static func bits(_ mask: UInt64) -> [Int] {
            var values: [Int] = [], rest = mask
            values.reserveCapacity(rest.nonzeroBitCount)
            while rest != 0 {
                values.append(rest.trailingZeroBitCount)
                rest &= rest &- 1
            }
            return values
        }
        public var untagged: Bool { priorities & FlowMarkings.untaggedBit != 0 }

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
        /// In key order (`SortedJSONObject`): a report has one per host, 10⁵ in a fleet's.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(dscpValues, forKey: CodingKeys.dscp)
            try object.encode(priorityValues, forKey: CodingKeys.pcp)
            if untagged { try object.encode(true, forKey: CodingKeys.untagged) }
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
    /// The IPv6 flow label of the flow's first packet (Linux keeps one per QP; a change
    /// within a flow is not looked for).
    public var flowLabel: UInt32?

    public init() {}

    /// Per packet, so kept to a few instructions: one unwrap, two bit masks, one store
    /// into the class the opcode picks, one port comparison.
    @inline(__always)
    mutating func add(_ packet: TransportFields) {
        guard let dscp = packet.dscp else { return }  // native InfiniBand: no DSCP, no PCP
        let dscpBit: UInt64 = 1 &<< UInt64(dscp & 63)
        let priorityBit: UInt16 = packet.vlanTag.map { 1 &<< ($0 &>> 13) } ?? FlowMarkings.untaggedBit
        let opcode = packet.opcode
        if opcode.isCNP {
            cnps.dscps |= dscpBit
            cnps.priorities |= priorityBit
        } else if opcode.isAcknowledge {
            acks.dscps |= dscpBit
            acks.priorities |= priorityBit
        } else {
            data.dscps |= dscpBit
            data.priorities |= priorityBit
        }
        if let port = packet.udpSourcePort, port != sourcePort { addSourcePort(port) }
    }

    /// A packet from another port than the flow's first (or the first).
    @inline(__always)
    mutating func addSourcePort(_ port: UInt16) {
        if sourcePort == nil { sourcePort = port } else { otherSourcePortPackets += 1 }
    }

    mutating func merge(_ other: FlowMarkings) {
        data.merge(other.data)
        acks.merge(other.acks)
        cnps.merge(other.cnps)
        otherSourcePortPackets += other.otherSourcePortPackets
        if sourcePort == nil { sourcePort = other.sourcePort }
        if flowLabel == nil { flowLabel = other.flowLabel }
    }

    /// Stored in a summary as one array of twelve integers: [source port (−1: none),
    /// packets from other ports, then for data, ACKs and CNPs: DSCP bits 0–31, DSCP bits
    /// 32–63, priority bits (bit 8: untagged), then the IPv6 flow label (−1: none)]
    /// (eleven, without the label, read too). Summaries are read by the thousand on a
    /// fleet's night; keyed objects per flow made reading one 10 % slower.
    public init(from decoder: any Decoder) throws {
        var array = try decoder.unkeyedContainer()
        var values: [Int] = []
        while values.count < 11 || (values.count == 11 && !array.isAtEnd) { values.append(try array.decode(Int.self)) }
        self.init(values)
    }

    /// From the stored array's values (eleven, or twelve with the flow label): the
    /// source port, the packets from other ports, then each class's DSCP bits (low and
    /// high word) and priority bits, data, ACKs and CNPs.
    init(_ values: [Int]) {
        sourcePort = (0...0xffff).contains(values[0]) ? UInt16(values[0]) : nil
        otherSourcePortPackets = max(0, values[1])
        func classes(at index: Int) -> Classes {
            var seen = Classes()
            seen.dscps = UInt64(UInt32(truncatingIfNeeded: values[index]))
                | UInt64(UInt32(truncatingIfNeeded: values[index + 1])) << 32
            seen.priorities = UInt16(truncatingIfNeeded: values[index + 2]) & 0x1ff
            return seen
        }
        data = classes(at: 2)
        acks = classes(at: 5)
        cnps = classes(at: 8)
        if values.count > 11 {
            flowLabel = (0...0xf_ffff).contains(values[11]) ? UInt32(values[11]) : nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var array = encoder.unkeyedContainer()
        try array.encode(sourcePort.map(Int.init) ?? -1)
        try array.encode(otherSourcePortPackets)
        for seen in [data, acks, cnps] {
            try array.encode(Int(seen.dscps & 0xffff_ffff))
            try array.encode(Int(seen.dscps >> 32))
            try array.encode(Int(seen.priorities))
        }
        try array.encode(flowLabel.map(Int.init) ?? -1)
    }
}
