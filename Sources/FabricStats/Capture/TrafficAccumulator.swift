import FabricWire
import FabricIngest

/// Folds decoded packets into per-flow and per-link statistics, one packet at a
/// time. Memory grows with the number of flows and PFC-paused links (and each
/// flow's requests in flight), never with the number of packets.
public struct TrafficAccumulator: Sendable {
    public let windowNs: Int64
    public let linkBitsPerSecond: Double
    public let stormThresholdNs: Int64
    /// A pause in a flow's requests longer than this separates two bursts; 0: busy
    /// periods are found afterwards from each flow's pauses.
    public let idleGapNs: Int64
    public private(set) var totals = CaptureTotals()
    public private(set) var flowKeys: [FlowKey] = []
    /// What each flow updates per packet (counters, opcodes, stream and pairing).
    var states: [FlowState] = []
    /// The requester side of flows that carry requests; `FlowState.stream` says
    /// whose. (Kept apart from an optional per flow: that made every packet copy a
    /// kilobyte-sized stream in and out of the array.)
    public private(set) var requestStreams: [RequestStream] = []
    /// Every request stream's recent-transmission table (see `RecentTransmissions`).
    private var recentTables = RecentTables()
    /// UDP packets to other ports that look like RoCE, by port (into `totals` at `finish`).
    private var roceLikePorts: [UInt16: Int] = [:]
    /// Mirror points and their sequence numbers (into `totals` at `finish`).
    private var mirrors = MirrorTracker()
    /// Copies of one packet from several mirror points, counted once.
    private var copies = MirrorCopies()
    /// Records not decoded for a tunnel's sake, by `UndecodedReason` raw value.
    private var undecoded = [Int](repeating: 0, count: UndecodedReason.allCases.count)
    /// CNPs arriving in each flow.
    public private(set) var notifications: [NotificationCounters] = []
    public private(set) var pauses: [PauseKey: PauseCounters] = [:]
    /// Per-flow traffic per window, when asked for (empty otherwise).
    public private(set) var timeSeries: [FlowTimeSeries] = []
    /// PFC frames per window over all links (`packets`: frames, `cnpPackets` unused),
    /// when time series are asked for.
    public private(set) var pauseTimeSeries: FlowTimeSeries?
    /// The same per port and priority (`packets`: frames of that port naming that
    /// priority), when time series are asked for.
    public private(set) var portPauseTimeSeries: [PauseKey: FlowTimeSeries] = [:]
    public let recordsTimeSeries: Bool
    private var flowIndex = FlowIndex()
    /// Packets per BTH opcode of flows with more kinds of packet than
    /// `OpcodeTally` holds inline, by flow index << 8 | opcode.
    private var moreOpcodes: [Int: Int] = [:]
    var pairing = ResponsePairing()

    /// `windowNs` is the throughput window used for peak rates; `linkBitsPerSecond`
    /// converts PFC quanta to time; `stormThresholdNs` is the continuous pause that
    /// counts as a PFC storm.
    /// `timeSeries` keeps per-window counters for every flow.
    public init(
        windowNs: Int64 = 100_000, linkBitsPerSecond: Double = 400e9, stormThresholdNs: Int64 = 100_000_000,
        timeSeries: Bool = false, idleGapNs: Int64 = 0
    ) {
        self.idleGapNs = idleGapNs
        self.windowNs = windowNs
        self.recordsTimeSeries = timeSeries
        self.pauseTimeSeries = timeSeries ? FlowTimeSeries(windowNs: windowNs) : nil
        self.linkBitsPerSecond = linkBitsPerSecond
        self.stormThresholdNs = stormThresholdNs
    }

    /// PFC (source MAC, priority) pairs tracked one by one. A fabric has at most a few
    /// thousand switch ports; beyond this, frames from new sources are only counted
    /// (`CaptureTotals.untrackedPauseFrames`), so crafted MACs cannot exhaust memory.
    public static let maximumPauseKeys = 65_536

    /// Adds a packet held as a value (tests, synthetic traffic).
    public mutating func add(_ packet: borrowing DecodedPacket) {
        let value = copy packet
        value.withView { add($0) }
    }

    /// Adds the window's packet after starting to load the flow table slots of the
    /// packet `prefetchDistance` ahead. At 10⁴ flows the slot load was 45 % of this
    /// function's samples (perf annotate), 13 % with the prefetch. Prefetching further
    /// stages as well (each flow's record, its request stream) measured no better,
    /// within this VM's noise (docs/performance.md), so it stops at the slot.
    /// `owns` says whether a packet ahead will come to this accumulator (a shard's
    /// share, see `ShardedAccumulation`); others are not prefetched.
    @inline(__always)
    public mutating func add(_ window: PacketWindow, owns: (PacketView) -> Bool = { _ in true }) {
        if flowIndex.count >= TrafficAccumulator.prefetchFromFlows,
           let ahead = window.ahead(TrafficAccumulator.prefetchDistance), ahead.kind == .roce, owns(ahead) {
            flowIndex.prefetch(FlowKey(source: ahead.roce.source, destination: ahead.roce.destination,
                                       destQP: ahead.roce.bth.destQP))
        }
        add(window.packet)
    }

    /// Far enough ahead for a miss to complete, near enough that the line is still
    /// cached when its packet comes.
    static let prefetchDistance = 16
    /// Below this many flows the table (128 KiB at half load) mostly stays cached and
    /// prefetching only adds work: a few percent at 16 flows.
    static let prefetchFromFlows = 1024

    /// Adds a packet read in place from the capture reader's batch.
    public mutating func add(_ packet: PacketView) {
        let timeNs = packet.timestampNs, wireLength = packet.wireLength
        if packet.mirror.kind != .none {
            noteMirror(packet)
            if packet.kind == .roce, copies.isDuplicate(packet) { return }
        }
        totals.packets += 1
        totals.wireBytes += wireLength
        totals.startNs = min(totals.startNs, timeNs)
        totals.endNs = max(totals.endNs, timeNs)
        totals.reportedDrops += packet.reportedDrops
        switch packet.kind {
        case .roce:
            totals.rocePackets += 1
            let fields = TransportFields(packet)
            let index = flow(of: packet)
            if !states[index].add(fields, wireLength: wireLength, timestampNs: timeNs, flowLabel: packet.roce.flowLabel) {
                moreOpcodes[index << 8 | Int(fields.opcode.rawValue), default: 0] += 1
            }
            transport(fields, of: packet, flow: index, wireLength: wireLength, timeNs: timeNs)
        case .pfc:
            addPriorityPause(packet, wireLength: wireLength, timeNs: timeNs)
        case .truncatedRoce:
            totals.otherPackets += 1
            totals.truncatedRocePackets += 1
        case .other:
            totals.otherPackets += 1
            if packet.roceLikePort != 0 { roceLikePorts[packet.roceLikePort, default: 0] += 1 }
            if packet.undecodedReason != .none { undecoded[Int(packet.undecodedReason.rawValue)] += 1 }
        }
    }

    /// A PFC frame: counted per (source MAC, priority). Kept out of line: its
    /// closures' contexts, released on `add`'s shared exit, cost every RoCE packet
    /// four calls (24 instructions a record) while they were inlined there.
    @inline(never)
    private mutating func addPriorityPause(_ packet: PacketView, wireLength: Int, timeNs: Int64) {
        let pause = packet.pause
        totals.otherPackets += 1
        totals.pfcFrames += 1
        if pauseTimeSeries != nil {
            pauseTimeSeries!.add({ window in
                window.packets += 1
                window.wireBytes += wireLength
            }, at: timeNs)
        }
        for priority in 0..<8 where pause.enabledPriorities >> priority & 1 == 1 {
            let key = PauseKey(sourceMAC: pause.sourceMAC, priority: priority)
            if pauses[key] == nil, pauses.count >= TrafficAccumulator.maximumPauseKeys {
                totals.untrackedPauseFrames = (totals.untrackedPauseFrames ?? 0) + 1
                continue
            }
            let closed = pauses[key, default: PauseCounters(linkBitsPerSecond: linkBitsPerSecond, stormThresholdNs: stormThresholdNs)]
                .add(quanta: pause.quanta[priority], atNs: timeNs)
            if recordsTimeSeries {
                portPauseTimeSeries[key, default: FlowTimeSeries(windowNs: windowNs)].add({ window in
                    window.packets += 1
                    window.wireBytes += wireLength
                }, at: timeNs)
            }
            if let closed, pauseTimeSeries != nil {
                pauseTimeSeries!.addPause(from: closed.lowerBound, to: closed.upperBound)
                portPauseTimeSeries[key]!.addPause(from: closed.lowerBound, to: closed.upperBound)
            }
        }
    }

    /// Follows the mirror point of a record that came through a switch mirror or
    /// tunnel. Called for every such record in capture order, also those another
    /// shard or a host filter keeps (see `ShardedAccumulation`): sequence numbers
    /// count every copy.
    public mutating func noteMirror(_ packet: PacketView) {
        mirrors.add(packet.mirror, timeNs: packet.timestampNs)
    }

    /// The index of the packet's flow, created on first sight.
    @inline(__always)
    private mutating func flow(of packet: PacketView) -> Int {
        let key = FlowKey(source: packet.roce.source, destination: packet.roce.destination,
                          destQP: packet.roce.bth.destQP)
        if let known = flowIndex.index(of: key) { return known }
        return addFlow(key, encapsulation: packet.roce.encapsulation)
    }

    private mutating func addFlow(_ key: FlowKey, encapsulation: Encapsulation) -> Int {
        let index = states.count
        flowIndex.insert(key, index: index)
        HeapPages.reserveOneMore(&flowKeys)
        HeapPages.reserveOneMore(&states)
        HeapPages.reserveOneMore(&notifications)
        flowKeys.append(key)
        states.append(FlowState(counters: FlowCounters(encapsulation: encapsulation, windowNs: windowNs)))
        notifications.append(NotificationCounters())
        if recordsTimeSeries { timeSeries.append(FlowTimeSeries(windowNs: windowNs)) }
        return index
    }

    /// Requests feed their own flow's request stream; responses and CNPs feed the
    /// stream of the flow they answer, once the two are paired.
    @inline(__always)
    private mutating func transport(
        _ packet: TransportFields, of view: PacketView, flow index: Int, wireLength: Int, timeNs: Int64
    ) {
        let opcode = packet.opcode
        switch opcode.transport {
        case .rc, .xrc, .rd, .uc:
            if opcode.isRequest {
                var stream = Int(states[index].stream)
                let file = Int32(truncatingIfNeeded: view.file)
                if stream < 0 {
                    stream = requestStreams.count
                    states[index].stream = Int32(stream)
                    states[index].file = file
                    HeapPages.reserveOneMore(&requestStreams)
                    requestStreams.append(RequestStream(
                        reliable: opcode.transport != .uc, startingPSN: pairing.startingPSNs[flowKeys[index]],
                        idleGapNs: idleGapNs))
                    requestStreams[stream].keepsWindowSamples = recordsTimeSeries
                    pairing.registerRequestFlow(index, key: flowKeys[index], sourcePort: packet.udpSourcePort)
                }
                if states[index].file != file {
                    states[index].file = file
                    requestStreams[stream].inputFileChanged()
                }
                let transmission = requestStreams[stream].request(packet, wireLength: wireLength, timeNs: timeNs, tables: &recentTables)
                if recordsTimeSeries {
                    let payload = packet.payloadLength, ce = packet.ecn == 3, gap = requestStreams[stream].lastGapNs
                    timeSeries[index].add({ window in
                        window.packets += 1
                        window.wireBytes += wireLength
                        if ce { window.cePackets += 1 }
                        switch transmission {
                        case .first: window.goodputBytes += payload
                        case .retransmission:
                            window.retransmittedBytes += wireLength
                            window.retransmittedPackets += 1
                        case .mirrorDuplicate: break
                        }
                        if gap >= 0 { window.gaps.record(gap) }
                    }, at: timeNs)
                }
                return
            } else if opcode.isResponse {
                let requester = requestFlow(answeredBy: index, psn: packet.psn, sourcePort: packet.udpSourcePort)
                if requester >= 0 {
                    let stream = Int(states[requester].stream)
                    requestStreams[stream].response(packet, timeNs: timeNs)
                    if recordsTimeSeries, !requestStreams[stream].windowLatencies.isEmpty {
                        let latencies = requestStreams[stream].windowLatencies
                        requestStreams[stream].windowLatencies.removeAll(keepingCapacity: true)
                        timeSeries[requester].add({ window in
                            for latency in latencies { window.ackLatency.record(latency) }
                        }, at: timeNs)
                    }
                }
            }
        case .ud:
            if let message = view.roce.connectionMessage,
               let connection = pairing.learn(message, from: view.roce.source, to: view.roce.destination) {
                // A queue pair set up again: its streams start over (no gap or
                // retransmission across connections).
                for key in [connection.0, connection.1] {
                    if let flow = flowIndex.index(of: key), states[flow].stream >= 0 {
                        requestStreams[Int(states[flow].stream)].newConnection(
                            startingPSN: pairing.startingPSNs[key], tables: &recentTables)
                    }
                }
            }
        case .cnp:
            guard opcode.isCNP else { return }
            let requester = requestFlow(answeredBy: index, psn: nil, sourcePort: packet.udpSourcePort)
            var firstMark: Int64?
            if requester >= 0 {
                let stream = Int(states[requester].stream)
                firstMark = requestStreams[stream].firstMarkSinceCNPNs
                requestStreams[stream].firstMarkSinceCNPNs = nil
            }
            notifications[index].add(atNs: timeNs, firstMarkNs: firstMark)
        default:
            break
        }
        if recordsTimeSeries {
            let ce = packet.ecn == 3, cnp = opcode.isCNP
            var nak = false
            if opcode.isAcknowledge, let kind = packet.syndrome?.kind {
                if case .ack = kind {} else { nak = true }
            }
            timeSeries[index].add({ window in
                window.packets += 1
                window.wireBytes += wireLength
                if ce { window.cePackets += 1 }
                if cnp { window.cnpPackets += 1 }
                if nak { window.naks += 1 }
            }, at: timeNs)
        }
    }

    /// Closes what is still open at the end of the capture: retransmission
    /// episodes and PFC pauses; and writes the RoCE-like UDP ports into `totals`.
    /// `captureEndNs` is the capture's last timestamp when this accumulator saw only
    /// part of it (a shard, see `ShardedAccumulation`); PFC pauses still running are
    /// closed there.
    public mutating func finish(captureEndNs: Int64? = nil) {
        for index in requestStreams.indices { requestStreams[index].finish() }
        if !roceLikePorts.isEmpty {
            totals.roceLikePorts = Dictionary(uniqueKeysWithValues: roceLikePorts.map { (String($0.key), $0.value) })
        }
        if copies.duplicates > 0 { totals.mirrorDuplicateCopies = copies.duplicates }
        if !mirrors.isEmpty {
            totals.mirrors = mirrors.points
            if mirrors.untrackedRecords > 0 { totals.untrackedMirrorRecords = mirrors.untrackedRecords }
        }
        for reason in UndecodedReason.allCases where undecoded[Int(reason.rawValue)] > 0 {
            totals.undecoded = totals.undecoded ?? [:]
            totals.undecoded![reason.name] = undecoded[Int(reason.rawValue)]
        }
        let end = captureEndNs ?? totals.endNs
        for key in pauses.keys {
            if let closed = pauses[key]!.timeline.finish(atNs: end), pauseTimeSeries != nil {
                pauseTimeSeries!.addPause(from: closed.lowerBound, to: closed.upperBound)
                portPauseTimeSeries[key]?.addPause(from: closed.lowerBound, to: closed.upperBound)
            }
        }
    }

    /// Packets per opcode name of the flow at `index` (in `flows` order), omitting
    /// opcodes never seen.
    public func opcodes(ofFlow index: Int) -> [String: Int] {
        var named: [String: Int] = [:]
        for (opcode, packets) in states[index].opcodes.entries { named[Opcode(rawValue: opcode).name, default: 0] += packets }
        if !moreOpcodes.isEmpty {
            for raw in 0..<256 {
                if let packets = moreOpcodes[index << 8 | raw] { named[Opcode(rawValue: UInt8(raw)).name, default: 0] += packets }
            }
        }
        return named
    }

    /// What the request stream of flow `index` measured, if it carries requests
    /// (its statistics alone: the stream's own state is a kilobyte of arrays).
    public func requesterStatistics(ofFlow index: Int) -> RequesterStatistics? {
        states[index].stream >= 0 ? requestStreams[Int(states[index].stream)].statistics : nil
    }

    /// Whether the request stream of flow `index` has `psn` in flight (for pairing).
    func requestStream(ofFlow index: Int, contains psn: UInt32) -> Bool {
        states[index].stream >= 0 && requestStreams[Int(states[index].stream)].contains(psn: psn)
    }

    /// The request flow that the response flow at `index` answers, once paired.
    public func requestFlow(answeredBy index: Int) -> Int? {
        states[index].answers >= 0 ? Int(states[index].answers) : nil
    }

    /// Flow counters by key.
    public subscript(key: FlowKey) -> FlowCounters? {
        flowIndex.index(of: key).map { states[$0].counters }
    }

    /// Flows seen so far (indices `0..<flowCount`, in the order they first appeared).
    public var flowCount: Int { states.count }

    /// The counters of the flow at `index`.
    public func counters(ofFlow index: Int) -> FlowCounters { states[index].counters }

    /// The classes and UDP source port the flow at `index` was seen with.
    public func markings(ofFlow index: Int) -> FlowMarkings { states[index].markings }

    /// Every flow's counters, in index order (a copy: for tests and small captures).
    public var flows: [FlowCounters] { states.map(\.counters) }

    /// The index of a flow in `flowKeys` and `notifications` (and for `counters(ofFlow:)`).
    public func index(of key: FlowKey) -> Int? { flowIndex.index(of: key) }
}

extension TrafficAccumulator {
    /// Responses and CNPs whose flow could not be paired with a request flow.
    public var unpairedResponses: Int { pairing.unpairedResponses }

    /// Connections whose CM REQ/REP exchange was in the capture.
    public var connectionsFromCM: Int { pairing.connectionsFromCM }
}
