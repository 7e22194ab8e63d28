import FabricWire
import FabricIngest

/// Two captures of the same traffic from two taps (say, the ingress and egress
/// mirrors of a switch): each packet is matched across the taps by its flow, PSN,
/// opcode and transmission number, giving the one-way delay between the taps and
/// its variation (RFC 3393 IPDV).
///
/// The delay is only as good as the two clocks' agreement: an offset between them
/// shifts every delay by the same amount. IPDV — the difference of consecutive
/// delays — cancels a constant offset, which is why it is reported beside it.
/// Memory is bounded by the traffic in flight between the taps: a packet not
/// matched within `windowNs` is given up and counted.
public struct TapComparison: Sendable {
    /// What identifies one transmission of one packet at either tap.
    struct PacketIdentity: Hashable, Sendable {
        var flow: FlowKey
        var psn: UInt32
        var opcode: UInt8
        var transmission: Int32
    }

    struct Seen: Sendable {
        var tap: Int
        var timeNs: Int64
    }

    /// Per flow and direction: delay and IPDV.
    public struct FlowDelay: Sendable, Equatable {
        /// Tap index (0 or 1) that saw this flow's packets first.
        public var fromTap: Int
        public var delay = Distribution()
        /// |D(i) − D(i−1)| for consecutive matched packets of the flow (RFC 3393).
        public var ipdv = Distribution()
        /// RFC 3550-style smoothed estimator over the same differences.
        public var jitter = LatencyJitter()
        var lastDelay: Int64?
    }

    public let windowNs: Int64
    public private(set) var matched = 0
    /// Packets seen at one tap only, per tap.
    public private(set) var unmatched = [0, 0]
    public private(set) var flows: [FlowKey: FlowDelay] = [:]
    private var pending: [PacketIdentity: Seen] = [:]
    /// Every packet seen, oldest first, to forget what is older than the window.
    private var expiry: [(identity: PacketIdentity, tap: Int, timeNs: Int64)] = []
    private var expiryHead = 0
    /// Per tap and packet: how many times it was seen, and when last.
    private var transmissions: [TapTransmissionKey: (count: Int32, lastNs: Int64)] = [:]

    struct TapTransmissionKey: Hashable, Sendable {
        var tap: Int
        var flow: FlowKey
        var psn: UInt32
        var opcode: UInt8
    }

    public init(windowNs: Int64 = 1_000_000_000) {
        self.windowNs = windowNs
    }

    /// Adds a RoCE packet seen at `tap` (0 or 1). Packets must come in time order.
    public mutating func add(_ packet: borrowing RocePacket, tap: Int, timeNs: Int64) {
        expire(before: timeNs - windowNs)
        let flow = FlowKey(packet)
        let seenKey = TapTransmissionKey(tap: tap, flow: flow, psn: packet.bth.psn, opcode: packet.bth.opcode.rawValue)
        let transmission = transmissions[seenKey]?.count ?? 0
        transmissions[seenKey] = (transmission + 1, timeNs)
        let identity = PacketIdentity(flow: flow, psn: packet.bth.psn, opcode: packet.bth.opcode.rawValue,
                                      transmission: transmission)
        expiry.append((identity, tap, timeNs))
        if let earlier = pending[identity], earlier.tap != tap {
            pending[identity] = nil
            matched += 1
            record(flow: flow, fromTap: earlier.tap, delayNs: timeNs - earlier.timeNs)
        } else {
            pending[identity] = Seen(tap: tap, timeNs: timeNs)
        }
    }

    private mutating func record(flow: FlowKey, fromTap: Int, delayNs: Int64) {
        var entry = flows[flow] ?? FlowDelay(fromTap: fromTap)
        entry.delay.record(delayNs)
        if let last = entry.lastDelay {
            entry.ipdv.record(abs(delayNs - last))
        }
        entry.jitter.add(latencyNs: delayNs)
        entry.lastDelay = delayNs
        flows[flow] = entry
    }

    /// Gives up on packets older than `limit` that the other tap never saw.
    private mutating func expire(before limit: Int64) {
        while expiryHead < expiry.count, expiry[expiryHead].timeNs < limit {
            let (identity, tap, time) = expiry[expiryHead]
            if let seen = pending[identity], seen.tap == tap, seen.timeNs == time {
                pending[identity] = nil
                unmatched[tap] += 1
            }
            let key = TapTransmissionKey(tap: tap, flow: identity.flow, psn: identity.psn, opcode: identity.opcode)
            if transmissions[key]?.lastNs == time { transmissions[key] = nil }
            expiryHead += 1
        }
        if expiryHead > 65_536, expiryHead * 2 > expiry.count {
            expiry.removeFirst(expiryHead)
            expiryHead = 0
        }
    }

    /// Ends the comparison: what is still unmatched stays unmatched.
    public mutating func finish() {
        for seen in pending.values { unmatched[seen.tap] += 1 }
        pending.removeAll()
        transmissions.removeAll()
        expiry.removeAll()
        expiryHead = 0
    }
}
