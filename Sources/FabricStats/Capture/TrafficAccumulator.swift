import FabricIngest

/// Folds decoded packets into per-flow and per-link statistics, one packet at a
/// time. Memory grows with the number of flows and PFC-paused links (and each
/// flow's requests in flight), never with the number of packets.
public struct TrafficAccumulator: Sendable {
    public let windowNs: Int64
    public let linkBitsPerSecond: Double
    public let stormThresholdNs: Int64
    public private(set) var totals = CaptureTotals()
    public private(set) var flowKeys: [FlowKey] = []
    public private(set) var flows: [FlowCounters] = []
    /// The requester side of each flow that carries requests (nil otherwise).
    public private(set) var streams: [RequestStream?] = []
    /// CNPs arriving in each flow.
    public private(set) var notifications: [NotificationCounters] = []
    public private(set) var pauses: [PauseKey: PauseCounters] = [:]
    private var flowIndex = FlowIndex()
    /// Packets per (flow, BTH opcode): 256 counters per flow, flow-major.
    private var opcodeCounts: [Int] = []
    var pairing = ResponsePairing()

    /// `windowNs` is the throughput window used for peak rates; `linkBitsPerSecond`
    /// converts PFC quanta to time; `stormThresholdNs` is the continuous pause that
    /// counts as a PFC storm.
    public init(windowNs: Int64 = 100_000, linkBitsPerSecond: Double = 400e9, stormThresholdNs: Int64 = 100_000_000) {
        self.windowNs = windowNs
        self.linkBitsPerSecond = linkBitsPerSecond
        self.stormThresholdNs = stormThresholdNs
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
            let index = flow(of: packet.roce)
            opcodeCounts[index << 8 | Int(packet.roce.bth.opcode.rawValue)] += 1
            flows[index].add(packet.roce, wireLength: packet.wireLength, timestampNs: packet.timestampNs)
            transport(packet.roce, flow: index, wireLength: packet.wireLength, timeNs: packet.timestampNs)
        case .pfc:
            let pause = packet.pause
            totals.otherPackets += 1
            totals.pfcFrames += 1
            for priority in 0..<8 where pause.enabledPriorities >> priority & 1 == 1 {
                let key = PauseKey(sourceMAC: pause.sourceMAC, priority: priority)
                pauses[key, default: PauseCounters(linkBitsPerSecond: linkBitsPerSecond, stormThresholdNs: stormThresholdNs)]
                    .add(quanta: pause.quanta[priority], atNs: packet.timestampNs)
            }
        case .truncatedRoce:
            totals.otherPackets += 1
            totals.truncatedRocePackets += 1
        case .other:
            totals.otherPackets += 1
        }
    }

    /// The index of the packet's flow, created on first sight.
    @inline(__always)
    private mutating func flow(of packet: borrowing RocePacket) -> Int {
        let key = FlowKey(packet)
        if let known = flowIndex.index(of: key) { return known }
        let index = flows.count
        flowIndex.insert(key, index: index)
        flowKeys.append(key)
        flows.append(FlowCounters(encapsulation: packet.encapsulation, windowNs: windowNs))
        streams.append(nil)
        notifications.append(NotificationCounters())
        pairing.addFlow()
        opcodeCounts.append(contentsOf: repeatElement(0, count: 256))
        return index
    }

    /// Requests feed their own flow's request stream; responses and CNPs feed the
    /// stream of the flow they answer, once the two are paired.
    @inline(__always)
    private mutating func transport(_ packet: borrowing RocePacket, flow index: Int, wireLength: Int, timeNs: Int64) {
        let opcode = packet.bth.opcode
        switch opcode.transport {
        case .rc, .xrc, .rd, .uc:
            if opcode.isRequest {
                if streams[index] == nil {
                    streams[index] = RequestStream(reliable: opcode.transport != .uc)
                    pairing.registerRequestFlow(index, key: flowKeys[index], sourcePort: packet.udpSourcePort)
                }
                streams[index]!.request(packet, wireLength: wireLength, timeNs: timeNs)
            } else if opcode.isResponse {
                let requester = pairing.requestFlow(
                    answeredBy: index, key: flowKeys[index], psn: packet.bth.psn, sourcePort: packet.udpSourcePort,
                    streams: streams)
                if requester >= 0 { streams[requester]!.response(packet, timeNs: timeNs) }
            }
        case .cnp:
            guard opcode.isCNP else { return }
            let requester = pairing.requestFlow(
                answeredBy: index, key: flowKeys[index], psn: nil, sourcePort: packet.udpSourcePort, streams: streams)
            var firstMark: Int64?
            if requester >= 0 {
                firstMark = streams[requester]!.firstMarkSinceCNPNs
                streams[requester]!.firstMarkSinceCNPNs = nil
            }
            notifications[index].add(atNs: timeNs, firstMarkNs: firstMark)
        default:
            break
        }
    }

    /// Closes what is still open at the end of the capture: retransmission
    /// episodes and PFC pauses.
    public mutating func finish() {
        for index in streams.indices where streams[index] != nil { streams[index]!.finish() }
        let end = totals.endNs
        for key in pauses.keys { pauses[key]!.timeline.finish(atNs: end) }
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

    /// The request flow that the response flow at `index` answers, once paired.
    public func requestFlow(answeredBy index: Int) -> Int? { pairing.pairedRequestFlow(of: index) }

    /// Flow counters by key.
    public subscript(key: FlowKey) -> FlowCounters? {
        flowIndex.index(of: key).map { flows[$0] }
    }

    /// The index of a flow in `flows`, `streams` and `notifications`.
    public func index(of key: FlowKey) -> Int? { flowIndex.index(of: key) }
}

extension TrafficAccumulator {
    /// Responses and CNPs whose flow could not be paired with a request flow.
    public var unpairedResponses: Int { pairing.unpairedResponses }
}
