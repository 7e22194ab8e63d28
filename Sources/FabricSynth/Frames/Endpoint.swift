/// A simulated host port: its MAC and its IPv4 and IPv6 addresses.
public struct Endpoint: Sendable, Hashable {
    public var mac: UInt64
    public var ipv4: UInt32
    public var ipv6High: UInt64
    public var ipv6Low: UInt64

    /// Host `index` of a synthetic cluster: 02:00:00:00:00:nn, 10.0.x.y, fd00::nn.
    public static func host(_ index: Int) -> Endpoint {
        let n = UInt64(index + 1)
        return Endpoint(
            mac: 0x0200_0000_0000 | n, ipv4: 0x0a00_0000 | UInt32(n & 0xffff),
            ipv6High: 0xfd00_0000_0000_0000, ipv6Low: n)
    }
}
