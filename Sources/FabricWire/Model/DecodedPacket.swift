/// How a RoCE/IB transport packet was carried.
public enum Encapsulation: String, Sendable, Hashable, Codable {
    /// IPv4 or IPv6 / UDP destination port 4791 (or `--roce-port`).
    case rocev2
    /// Ethertype 0x8915 with a GRH.
    case rocev1
    /// Native InfiniBand: LRH, optional GRH.
    case infiniband
}

/// One decoded RoCE/InfiniBand transport packet.
public struct RocePacket: Sendable, Hashable {
    public var encapsulation: Encapsulation
    public var source: NodeAddress
    public var destination: NodeAddress
    public var bth: BaseTransportHeader
    public var extensions: ExtensionHeaders
    /// Payload bytes from the length fields (IP/UDP, GRH or LRH), not from the
    /// captured bytes, so it stays right on snaplen-truncated captures. Excludes
    /// headers, pad and ICRC.
    public var payloadLength: Int
    /// IP ECN codepoint (0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE); nil without IP.
    public var ecn: UInt8?
    public var dscp: UInt8?
    public var udpSourcePort: UInt16?
    /// The outermost 802.1Q tag's control information (PCP, DEI, VLAN ID), if tagged:
    /// stored whole, one store for the decoder; `vlan` and `priority` read it.
    public var vlanTag: UInt16?
    /// Outermost 802.1Q VLAN ID, if tagged.
    public var vlan: UInt16? { vlanTag.map { $0 & 0x0fff } }
    /// The outermost tag's priority (802.1p PCP, 0–7), if tagged: the class a switch
    /// that trusts PCP queues the packet in, and the priority PFC pauses. Untagged
    /// packets are classified by DSCP (the switch's DSCP→priority map).
    public var priority: UInt8? { vlanTag.map { UInt8(truncatingIfNeeded: $0 >> 13) } }
    /// IPv6 flow label (20 bits), which some ECMP hashes read beside the ports; Linux
    /// sets it from the QP numbers as it does the UDP source port. Nil over IPv4.
    public var flowLabel: UInt32?
    /// IPv4 identification: tells a mirror's duplicate copy from a retransmission.
    public var ipIdentification: UInt16?
    /// A Communication Manager message (UD SEND_ONLY to QP 1), when this is one.
    public var connectionMessage: ConnectionMessage?

    public init(
        encapsulation: Encapsulation, source: NodeAddress, destination: NodeAddress,
        bth: BaseTransportHeader, extensions: ExtensionHeaders, payloadLength: Int,
        ecn: UInt8? = nil, dscp: UInt8? = nil, udpSourcePort: UInt16? = nil, vlan: UInt16? = nil,
        priority: UInt8? = nil, ipIdentification: UInt16? = nil
    ) {
        self.encapsulation = encapsulation
        self.source = source
        self.destination = destination
        self.bth = bth
        self.extensions = extensions
        self.payloadLength = payloadLength
        self.ecn = ecn
        self.dscp = dscp
        self.udpSourcePort = udpSourcePort
        vlanTag = vlan.map { $0 & 0x0fff | UInt16(priority ?? 0) << 13 }
        self.ipIdentification = ipIdentification
    }

    /// A placeholder for records that are not RoCE.
    public static let none = RocePacket(
        encapsulation: .rocev2, source: .ipv4(0), destination: .ipv4(0),
        bth: BaseTransportHeader(opcode: Opcode(rawValue: 0xff), destQP: 0, psn: 0),
        extensions: ExtensionHeaders(), payloadLength: 0)
}

/// An IEEE 802.1Qbb priority-based flow control frame (MAC control opcode 0x0101).
public struct PriorityPause: Sendable, Hashable {
    /// Source MAC as a 48-bit integer: PFC is hop-by-hop, so the sender names the link.
    public var sourceMAC: UInt64
    /// Class-enable vector: bit n set means the pause time for priority n applies.
    public var enabledPriorities: UInt8
    /// Pause time per priority 0–7, in quanta of 512 bit times. 0 on an enabled
    /// priority means XON (resume). (A SIMD vector rather than an array keeps the
    /// decoded packet a plain value that copies without reference counting.)
    public var quanta: SIMD8<UInt16>

    public init(sourceMAC: UInt64, enabledPriorities: UInt8, quanta: SIMD8<UInt16>) {
        self.sourceMAC = sourceMAC
        self.enabledPriorities = enabledPriorities
        self.quanta = quanta
    }

    public static let none = PriorityPause(sourceMAC: 0, enabledPriorities: 0, quanta: .zero)
}

/// What one capture record turned out to be.
public enum PacketContent: Sendable, Hashable {
    case roce(RocePacket)
    case pfc(PriorityPause)
    /// UDP to a RoCE port (or ethertype 0x8915, or an IB link) too short to hold a BTH.
    case truncatedRoce
    case other
}

/// One capture record after decoding.
///
/// The RoCE and PFC parts are stored side by side with a `kind` tag rather than as
/// an enum payload: the decoder fills them in place and consumers read them in
/// place, which saves copying a ~150-byte value several times per packet (it was
/// most of the per-packet cost). `content` gives the same information as an enum.
public struct DecodedPacket: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        case roce, pfc, truncatedRoce, other
    }

    /// Nanoseconds since the Unix epoch, whatever the file's own resolution.
    public var timestampNs: Int64
    /// Length of the frame on its link, from the record's original length (never
    /// the captured length), less capture-only pseudo-headers (SLL, SLL2, ERF).
    public var wireLength: Int
    /// Packets the capture hardware reports it dropped before this record (ERF lctr).
    public var reportedDrops: Int
    /// Which input file (in the order given) the record came from.
    public var file = 0
    public var kind: Kind
    /// For `.other` packets: the UDP destination port, when the UDP payload starts
    /// like a BTH (transport version 0, reserved byte 0, a full-membership P_Key) but
    /// the port is not a RoCE port: what to suggest when no RoCE packet is found.
    public var roceLikePort: UInt16 = 0
    /// Meaningful when `kind == .roce`.
    public var roce: RocePacket
    /// Meaningful when `kind == .pfc`.
    public var pause: PriorityPause
    /// The switch mirror or tunnel the record arrived in (`kind == .none` for a
    /// record captured on the link itself). Meaningful whatever `kind` is: a mirror's
    /// sequence numbers count every copy it sent.
    public var mirror = MirrorTag.none
    /// For `.other` records that began like a tunnel: why they were not decoded.
    public var undecodedReason = UndecodedReason.none

    public init(timestampNs: Int64, wireLength: Int, content: PacketContent, reportedDrops: Int = 0) {
        self.timestampNs = timestampNs
        self.wireLength = wireLength
        self.reportedDrops = reportedDrops
        self.kind = .other
        self.roce = .none
        self.pause = .none
        self.content = content
    }

    public var content: PacketContent {
        get {
            switch kind {
            case .roce: return .roce(roce)
            case .pfc: return .pfc(pause)
            case .truncatedRoce: return .truncatedRoce
            case .other: return .other
            }
        }
        set {
            switch newValue {
            case .roce(let packet): kind = .roce; roce = packet
            case .pfc(let frame): kind = .pfc; pause = frame
            case .truncatedRoce: kind = .truncatedRoce
            case .other: kind = .other
            }
        }
    }
}
