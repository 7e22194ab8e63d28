/// What the tunnel around a mirrored packet said: the switch that sent it, its mirror
/// session, the sequence number the mirror stamped and, for ERSPAN type III, the
/// switch's own timestamp.
///
/// Routed RoCE fabrics are captured where the traffic crosses a switch, and the
/// switch sends the copy to a collector inside GRE (ERSPAN, transparent Ethernet
/// bridging) or VXLAN/Geneve. The flow is the inner traffic; this tag keeps what the
/// outermost tunnel adds, because that is what names the mirror point (a tap) and
/// what tells the mirror's own drops from the fabric's.
public struct MirrorTag: Sendable, Hashable {
    /// The tunnel of the outermost layer.
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        case none
        /// GRE carrying Ethernet (transparent bridging, 0x6558) or IP.
        case gre
        /// ERSPAN type I: GRE 0x88BE without a sequence number, no ERSPAN header.
        case erspanI
        /// ERSPAN type II: GRE 0x88BE with a sequence number and an 8-byte header.
        case erspanII
        /// ERSPAN type III: GRE 0x22EB, a 12-byte header with a hardware timestamp.
        case erspanIII
        /// VXLAN (UDP 4789 by default).
        case vxlan
        /// Geneve (UDP 6081).
        case geneve

        /// The name used in output and options.
        public var name: String {
            switch self {
            case .none: "none"
            case .gre: "gre"
            case .erspanI: "erspan1"
            case .erspanII: "erspan2"
            case .erspanIII: "erspan3"
            case .vxlan: "vxlan"
            case .geneve: "geneve"
            }
        }
    }

    /// ERSPAN type III timestamp granularity (the header's Gra field).
    public enum Granularity: UInt8, Sendable, Hashable {
        case microseconds100 = 0, nanoseconds100 = 1, ieee1588 = 2, reserved = 3

        /// One tick of the 32-bit timestamp, in nanoseconds (nil for IEEE 1588, whose
        /// seconds live in a platform sub-header, and the reserved value).
        public var tickNs: Int64? {
            switch self {
            case .microseconds100: 100_000
            case .nanoseconds100: 100
            case .ieee1588, .reserved: nil
            }
        }
    }

    public var kind: Kind = .none
    /// Tunnel layers decapsulated (GRE in GRE counts two). Bounded by
    /// `PacketDecoder.maximumTunnelLayers`.
    public var layers: UInt8 = 0
    /// The outermost tunnel's source address: the switch that mirrored the packet.
    public var switchAddress: NodeAddress = .ipv4(0)
    /// ERSPAN session ID (10 bits), VXLAN/Geneve VNI, or the GRE key when present.
    public var session: UInt32 = 0
    /// The GRE sequence number, when the outermost GRE header carries one.
    public var sequence: UInt32 = 0
    public var hasSequence = false
    /// ERSPAN II/III: the switch truncated the mirrored frame (T bit).
    public var truncatedBySwitch = false
    /// ERSPAN III: the switch's timestamp and its unit.
    public var hardwareTimestamp: UInt32 = 0
    public var granularity: Granularity?

    public init() {}

    public static let none = MirrorTag()
}

/// Which mirror point delivered a record: the switch, the tunnel and its session.
public struct MirrorPointKey: Hashable, Sendable {
    public var switchAddress: NodeAddress
    public var kind: MirrorTag.Kind
    public var session: UInt32

    @inline(__always)
    public init(_ tag: MirrorTag) {
        switchAddress = tag.switchAddress
        kind = tag.kind
        session = tag.session
    }
}
