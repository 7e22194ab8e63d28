/// The α-β description of a link: a fixed cost per message and a bandwidth
/// (Hockney: T(m) = α + m/B).
public struct LinkParameters: Sendable, Equatable, Codable {
    /// Per-message latency α, in nanoseconds.
    public var latencyNs: Double
    /// Bandwidth B, in bytes per second (400 Gb/s = 50e9).
    public var bytesPerSecond: Double

    public init(latencyNs: Double, bytesPerSecond: Double) {
        self.latencyNs = latencyNs
        self.bytesPerSecond = bytesPerSecond
    }

    /// Nanoseconds to move `bytes`: the β term.
    public func transferNs(_ bytes: Double) -> Double { bytes / bytesPerSecond * 1e9 }
}
