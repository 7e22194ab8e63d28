/// A PFC-paused link direction and priority. PFC is hop-by-hop, so the sender's
/// MAC identifies the link the pause frames travel on.
public struct PauseKey: Hashable, Sendable, Comparable, Codable {
    public var sourceMAC: UInt64
    public var priority: Int

    public init(sourceMAC: UInt64, priority: Int) {
        self.sourceMAC = sourceMAC
        self.priority = priority
    }

    public static func < (a: PauseKey, b: PauseKey) -> Bool {
        (a.sourceMAC, a.priority) < (b.sourceMAC, b.priority)
    }

    /// `aa:bb:cc:dd:ee:ff`.
    public var macText: String {
        (0..<6).map { i -> String in
            let byte = UInt8(truncatingIfNeeded: sourceMAC >> (40 - 8 * UInt64(i)))
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
