import FabricWire

/// Everything `TrafficAccumulator` updates for a flow on every packet, in one
/// record: the counters, the opcode tally, and where the flow's request stream and
/// its pairing live.
///
/// Why one record: at 10⁴–10⁵ flows nearly every packet belongs to a flow whose
/// state has left the cache, so the cost of a packet is the number of cache lines
/// it touches. Kept as parallel arrays (counters, tallies, stream indices, pairings,
/// input files), the same packet missed the cache once per array.
///
/// The small fields come first and the counters' per-packet fields lead
/// `FlowCounters`, so that what a packet updates sits together at the start of the
/// record and its rarely touched counters come last.
struct FlowState: Sendable {
    var opcodes = OpcodeTally()
    /// The flow's index in `TrafficAccumulator.requestStreams`, or −1.
    var stream: Int32 = -1
    /// The request flow this flow answers, or −1 (not paired, or not yet).
    var answers: Int32 = -1
    /// The input file the flow's last request came from (request flows).
    var file: Int32 = -1
    var counters: FlowCounters
    var markings = FlowMarkings()
    /// Opcode, DSCP and VLAN tag of the flow's last packet, packed (`add`).
    var lastMarking: UInt32 = .max

    init(counters: FlowCounters) { self.counters = counters }

    /// Counts a packet, its opcode and its classes, through one access to the flow's
    /// record (each `states[index]` mutation pays the array's checks). `flowLabel` is
    /// read only on the flow's first packet (over IPv6). False when the opcode is
    /// new to the flow and its tally has no room (the caller counts it).
    @inline(__always)
    mutating func add(_ packet: TransportFields, wireLength: Int, timestampNs: Int64, flowLabel: @autoclosure () -> UInt32?) -> Bool {
        let tallied = opcodes.add(packet.opcode.rawValue)
        if counters.packets == 0 { markings.flowLabel = flowLabel() }
        counters.add(packet, wireLength: wireLength, timestampNs: timestampNs)
        // A flow's packets nearly all repeat the opcode, DSCP and tag of the one before:
        // then its classes cannot change, and only the source port is compared.
        let marking = UInt32(packet.opcode.rawValue) | UInt32(packet.dscp ?? 0xff) << 8 | UInt32(packet.vlanTag ?? 0xffff) << 16
        if marking != lastMarking {
            lastMarking = marking
            markings.add(packet)
        } else if let port = packet.udpSourcePort, port != markings.sourcePort {
            markings.addSourcePort(port)
        }
        return tallied
    }
}
