/// The address of one end of a flow: an IPv4 or IPv6 address (RoCEv2), a GID
/// (RoCEv1, or native InfiniBand with a GRH), or a LID (native InfiniBand local).
///
/// Stored as two 64-bit words so that a flow key hashes and compares without
/// allocating; text is produced only when results are rendered.
public struct NodeAddress: Hashable, Sendable, Comparable, Codable {
    public enum Kind: UInt8, Sendable, Codable { case ipv4, ipv6, gid, lid }

    public let kind: Kind
    public let high: UInt64
    public let low: UInt64

    public init(kind: Kind, high: UInt64, low: UInt64) {
        self.kind = kind
        self.high = high
        self.low = low
    }

    public static func ipv4(_ value: UInt32) -> NodeAddress {
        NodeAddress(kind: .ipv4, high: 0, low: UInt64(value))
    }

    public static func lid(_ value: UInt16) -> NodeAddress {
        NodeAddress(kind: .lid, high: 0, low: UInt64(value))
    }

    public static func < (a: NodeAddress, b: NodeAddress) -> Bool {
        (a.kind.rawValue, a.high, a.low) < (b.kind.rawValue, b.high, b.low)
    }
}

extension NodeAddress {
    /// The prefix of an IPv4-mapped address or GID, `::ffff:a.b.c.d`, in the low word.
    static let ipv4MappedPrefix: UInt64 = 0x0000_ffff

    /// Reads a 16-byte IPv6 address or GID at `offset`. An IPv4-mapped one
    /// (`::ffff:a.b.c.d`, the GID a RoCE NIC derives from an IPv4 address) is the IPv4
    /// host itself: a RoCEv1 request answered over RoCEv2, or the other way round,
    /// keys both directions by one name and pairs.
    static func read128(_ bytes: ByteView, at offset: Int, kind: Kind) -> NodeAddress? {
        guard let high = bytes.u64(offset), let low = bytes.u64(offset + 8) else { return nil }
        return NodeAddress(kind: kind, high: high, low: low).unmappingIPv4()
    }

    /// `.ipv4(a.b.c.d)` for `::ffff:a.b.c.d` (IPv6 or GID); itself otherwise.
    public func unmappingIPv4() -> NodeAddress {
        guard kind == .ipv6 || kind == .gid, high == 0, low >> 32 == NodeAddress.ipv4MappedPrefix else { return self }
        return .ipv4(UInt32(truncatingIfNeeded: low))
    }
}
