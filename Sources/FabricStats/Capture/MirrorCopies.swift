import FabricWire
import FabricIngest

/// Recognises the copies of one packet that several mirror points delivered (the
/// ingress and egress mirrors of a switch, or two switches on the packet's path), so
/// that each packet is counted once, at the first point that copied it.
///
/// A packet is known by its flow, PSN, opcode, IPv4 identification and AETH (as a
/// 64-bit fingerprint, see `fingerprint`); a copy
/// of it from *another* point within `windowNs` is a duplicate. The same packet again
/// at the *same* point is a new transmission (a retransmission or a repeated ACK),
/// and starts over. Until a second mirror point appears, packets are only kept in a
/// ring of the last `ringCapacity` (no hashing): a capture from one point pays a store
/// per record, and when a second point appears, the packets it may be copying are
/// still there. Memory is bounded by the ring and the packets within the window.
struct MirrorCopies: Sendable {
    /// How long a copy may lag the first one: a switch holds a packet microseconds,
    /// milliseconds at worst under congestion.
    static let windowNs: Int64 = 10_000_000
    /// Points told apart in the bit mask of each packet; copies from further points
    /// are counted as packets of their own.
    static let maximumPoints = 64
    /// Packets remembered before a second point appears: the first copy from a second
    /// point lags its original by the time between the points (microseconds), so a few
    /// thousand packets reach back far enough at any rate a mirror delivers.
    static let ringCapacity = 8192  // a power of two: `ringNext` masks into it

    /// A packet's identity folded to 64 bits: its flow, PSN, opcode, IPv4
    /// identification and (on ACKs) AETH. Two different packets within the window
    /// share one with probability about n²/2⁶⁵ (5·10⁻¹⁰ for 10⁵ packets in flight), so
    /// the fold stands for the identity and costs a few multiplications, not a hash
    /// of seven fields and a copy of two addresses per record.
    @inline(__always)
    static func fingerprint(_ packet: PacketView) -> UInt64 {
        let roce = packet.roce
        var word = roce.source.low &* 0x9e37_79b9_7f4a_7c15 ^ roce.source.high
        word = (word ^ word >> 29) &* 0xbf58_476d_1ce4_e5b9 ^ roce.destination.low
        word = (word ^ word >> 32) &* 0x94d0_49bb_1331_11eb ^ roce.destination.high
        let transport = UInt64(roce.bth.destQP) << 40 | UInt64(roce.bth.psn) << 16 | UInt64(roce.ipIdentification ?? 0)
        word = (word ^ word >> 29) &* 0xbf58_476d_1ce4_e5b9 ^ transport
        var last = UInt64(roce.bth.opcode.rawValue) << 32
        if roce.bth.opcode.isAcknowledge, let aeth = roce.extensions.aeth {
            last |= UInt64(aeth.syndrome.rawValue) << 24 | UInt64(aeth.messageSequenceNumber)
        }
        word = (word ^ word >> 32) &* 0x94d0_49bb_1331_11eb ^ last
        return word ^ word >> 31
    }

    private var points: [MirrorPointKey] = []
    private var lastPoint = -1
    private var seen: [UInt64: (mask: UInt64, timeNs: Int64)] = [:]
    private var expiry: [(identity: UInt64, timeNs: Int64)] = []
    private var expiryHead = 0
    /// Allocated whole on first use; `ringNext` counts every packet remembered.
    private var ring: [(identity: UInt64, timeNs: Int64)] = []
    private var ringNext = 0
    /// Copies recognised as duplicates (not counted).
    private(set) var duplicates = 0

    /// Whether `packet` (RoCE, from a mirror) is another point's copy of a packet
    /// already counted.
    mutating func isDuplicate(_ packet: PacketView) -> Bool {
        let point = MirrorPointKey(packet.mirror)
        var index = lastPoint
        if index < 0 || points[index] != point {
            index = points.firstIndex(of: point) ?? -1
            if index < 0 {
                index = points.count
                points.append(point)
            }
            lastPoint = index
        }
        guard index < MirrorCopies.maximumPoints else { return false }
        let timeNs = packet.timestampNs
        let identity = MirrorCopies.fingerprint(packet)
        if points.count == 1 {
            remember(identity, timeNs)
            return false
        }
        if !ring.isEmpty { replayRing() }
        expire(before: timeNs - MirrorCopies.windowNs)
        let bit = UInt64(1) << UInt64(index)
        if let earlier = seen[identity], earlier.mask & bit == 0, timeNs - earlier.timeNs <= MirrorCopies.windowNs {
            seen[identity] = (earlier.mask | bit, earlier.timeNs)
            duplicates += 1
            return true
        }
        seen[identity] = (bit, timeNs)
        expiry.append((identity, timeNs))
        return false
    }

    /// Keeps a packet from the only point so far, in the ring.
    @inline(__always)
    private mutating func remember(_ identity: UInt64, _ timeNs: Int64) {
        if ring.isEmpty { ring = Array(repeating: (0, .min), count: MirrorCopies.ringCapacity) }
        ring[ringNext & (MirrorCopies.ringCapacity - 1)] = (identity, timeNs)
        ringNext += 1
    }

    /// A second point appeared: the first point's recent packets become the ones its
    /// copies are held against (oldest first, as if they had been kept all along).
    private mutating func replayRing() {
        let count = min(ringNext, MirrorCopies.ringCapacity)
        for offset in 0..<count {
            let (identity, timeNs) = ring[(ringNext - count + offset) & (MirrorCopies.ringCapacity - 1)]
            seen[identity] = (1, timeNs)
            expiry.append((identity, timeNs))
        }
        ring = []
    }

    /// Forgets packets first seen before `limit`.
    private mutating func expire(before limit: Int64) {
        while expiryHead < expiry.count, expiry[expiryHead].timeNs < limit {
            let old = expiry[expiryHead]
            if let entry = seen[old.identity], entry.timeNs == old.timeNs { seen[old.identity] = nil }
            expiryHead += 1
        }
        if expiryHead > 4096, expiryHead * 2 > expiry.count {
            expiry.removeFirst(expiryHead)
            expiryHead = 0
        }
    }
}
