#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension NodeAddress {
    /// Reads what `description` writes: a dotted quad, an IPv6 address or GID
    /// (`::ffff:a.b.c.d` is the IPv4 host, as the decoder has it), or `lid:N`.
    public init?(text: String) {
        if text.hasPrefix("lid:") {
            guard let lid = UInt16(text.dropFirst(4)) else { return nil }
            self = .lid(lid)
            return
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .ipv4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        self = NodeAddress(kind: .ipv6, high: high, low: low).unmappingIPv4()
    }

    /// The same host: an IPv6 address and a GID with the same 128 bits name one port.
    public func sameHost(as other: NodeAddress) -> Bool {
        let (a, b) = (kind == .gid ? .ipv6 : kind, other.kind == .gid ? .ipv6 : other.kind)
        return a == b && high == other.high && low == other.low
    }
}
