import FabricIngest

/// Folds decoded packets into per-flow and per-link counters, one packet at a
/// time. Memory grows with the number of flows and PFC-paused links, never with
/// the number of packets.
public struct TrafficAccumulator: Sendable {
    public let windowNs: Int64
    public private(set) var totals = CaptureTotals()
    public private(set) var flowKeys: [FlowKey] = []
    public private(set) var flows: [FlowCounters] = []
    public private(set) var pauses: [PauseKey: PauseCounters] = [:]
    private var flowIndex = FlowIndex()
    /// Packets per (flow, BTH opcode): 256 counters per flow, flow-major.
    private var opcodeCounts: [Int] = []

    /// `windowNs` is the throughput window used for peak rates.
    public init(windowNs: Int64 = 100_000) {
        self.windowNs = windowNs
    }

    public mutating func add(_ packet: borrowing DecodedPacket) {
        totals.packets += 1
        totals.wireBytes += packet.wireLength
        totals.startNs = min(totals.startNs, packet.timestampNs)
        totals.endNs = max(totals.endNs, packet.timestampNs)
        totals.reportedDrops += packet.reportedDrops
        switch packet.kind {
        case .roce:
            totals.rocePackets += 1
            let key = FlowKey(packet.roce)
            let index: Int
            if let known = flowIndex.index(of: key) {
                index = known
            } else {
                index = flows.count
                flowIndex.insert(key, index: index)
                flowKeys.append(key)
                flows.append(FlowCounters(encapsulation: packet.roce.encapsulation, windowNs: windowNs))
                opcodeCounts.append(contentsOf: repeatElement(0, count: 256))
            }
            opcodeCounts[index << 8 | Int(packet.roce.bth.opcode.rawValue)] += 1
            flows[index].add(packet.roce, wireLength: packet.wireLength, timestampNs: packet.timestampNs)
        case .pfc:
            let pause = packet.pause
            totals.otherPackets += 1
            totals.pfcFrames += 1
            for priority in 0..<8 where pause.enabledPriorities >> priority & 1 == 1 {
                pauses[PauseKey(sourceMAC: pause.sourceMAC, priority: priority), default: PauseCounters()]
                    .add(quanta: pause.quanta[priority], atNs: packet.timestampNs)
            }
        case .truncatedRoce:
            totals.otherPackets += 1
            totals.truncatedRocePackets += 1
        case .other:
            totals.otherPackets += 1
        }
    }

    /// Packets per opcode name of the flow at `index` (in `flows` order), omitting
    /// opcodes never seen.
    public func opcodes(ofFlow index: Int) -> [String: Int] {
        var named: [String: Int] = [:]
        for raw in 0..<256 where opcodeCounts[index << 8 | raw] > 0 {
            named[Opcode(rawValue: UInt8(raw)).name, default: 0] += opcodeCounts[index << 8 | raw]
        }
        return named
    }

    /// Flow counters by key.
    public subscript(key: FlowKey) -> FlowCounters? {
        flowIndex.index(of: key).map { flows[$0] }
    }
}
