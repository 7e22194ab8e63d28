import FabricWire
import FabricJSON
import FabricIngest

/// Traffic counters of one flow. Everything here is O(1) per packet and
/// independent of how many packets the flow has. It is a plain value (no arrays
/// or dictionaries inside), so updating it in place costs no reference counting;
/// per-opcode counts live in `TrafficAccumulator`.
public struct FlowCounters: Sendable, Equatable, Codable, KeyOrderedEncodable {
    // What every packet updates comes first, so that it shares cache lines (see
    // `FlowState`); what few packets update (NAKs, CNPs, FECN/BECN) comes last.
    public var packets = 0
    /// Bytes on the wire, from each record's original length.
    public var wireBytes = 0
    /// Transport payload bytes, from the IP/UDP, GRH or LRH length fields.
    public var payloadBytes = 0
    public var startNs: Int64 = .max
    public var endNs: Int64 = .min
    /// IP packets whose ECN field is ECT(0), ECT(1) or CE.
    public var ectPackets = 0
    /// IP packets marked Congestion Experienced.
    public var cePackets = 0
    /// ACKNOWLEDGE packets whose AETH syndrome is a positive ACK.
    public var acks = 0
    public var throughput: ThroughputWindow
    public var encapsulation: Encapsulation
    public var vlan: UInt16?
    public var dscp: UInt8?
    /// NAKs by kind, from ACKNOWLEDGE packets.
    public var naks = NakCounts()
    public var cnpPackets = 0
    public var fecnPackets = 0
    public var becnPackets = 0
    /// Packets whose extension headers were cut off by the snaplen.
    public var truncatedHeaders = 0

    public init(encapsulation: Encapsulation, windowNs: Int64) {
        self.encapsulation = encapsulation
        self.throughput = ThroughputWindow(windowNs: windowNs)
    }

    /// Counters read back from a summary, with their throughput window as stored.
    init(encapsulation: Encapsulation, throughput: ThroughputWindow) {
        self.encapsulation = encapsulation
        self.throughput = throughput
    }

    @inline(__always)
    mutating func add(_ packet: TransportFields, wireLength: Int, timestampNs: Int64) {
        packets += 1
        wireBytes += wireLength
        payloadBytes += packet.payloadLength
        startNs = min(startNs, timestampNs)
        endNs = max(endNs, timestampNs)
        if packet.opcode.isCNP { cnpPackets += 1 }
        if packet.opcode.isAcknowledge, let syndrome = packet.syndrome {
            let kind = syndrome.kind
            if case .ack = kind { acks += 1 } else { naks.add(kind) }
        }
        if let ecn = packet.ecn, ecn != 0 {
            ectPackets += 1
            if ecn == 3 { cePackets += 1 }
        }
        if packet.fecn { fecnPackets += 1 }
        if packet.becn { becnPackets += 1 }
        if packet.headersTruncated { truncatedHeaders += 1 }
        if vlan == nil, let tag = packet.vlanTag { vlan = tag & 0x0fff }
        if dscp == nil { dscp = packet.dscp }
        throughput.add(bytes: wireLength, atNs: timestampNs)
    }

    /// As synthesized, with the members in key order: the JSON writer then has nothing
    /// to reorder (every flow's record was reordered on close, 10 % of writing a
    /// 10⁵-flow summary). `SummaryEncodingTests` holds the keys to the stored fields.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(acks, forKey: CodingKeys.acks)
        try object.encode(becnPackets, forKey: CodingKeys.becnPackets)
        try object.encode(cePackets, forKey: CodingKeys.cePackets)
        try object.encode(cnpPackets, forKey: CodingKeys.cnpPackets)
        try object.encodeIfPresent(dscp, forKey: CodingKeys.dscp)
        try object.encode(ectPackets, forKey: CodingKeys.ectPackets)
        try object.encode(encapsulation, forKey: CodingKeys.encapsulation)
        try object.encode(endNs, forKey: CodingKeys.endNs)
        try object.encode(fecnPackets, forKey: CodingKeys.fecnPackets)
        try object.encode(naks, forKey: CodingKeys.naks)
        try object.encode(packets, forKey: CodingKeys.packets)
        try object.encode(payloadBytes, forKey: CodingKeys.payloadBytes)
        try object.encode(startNs, forKey: CodingKeys.startNs)
        try object.encode(throughput, forKey: CodingKeys.throughput)
        try object.encode(truncatedHeaders, forKey: CodingKeys.truncatedHeaders)
        try object.encodeIfPresent(vlan, forKey: CodingKeys.vlan)
        try object.encode(wireBytes, forKey: CodingKeys.wireBytes)
    }

    /// Mean wire throughput over the flow's active span (first to last packet),
    /// in bits per second; nil when the span is zero (a single timestamp).
    public var meanBitsPerSecond: Double? {
        guard endNs > startNs else { return nil }
        return Double(wireBytes) * 8 * 1e9 / Double(endNs - startNs)
    }
}
