import FabricRandom
/// When a frame seen at one tap passes a second tap downstream: a fixed delay plus
/// exponential jitter, first-in first-out (one path between the taps, so frames
/// never overtake each other). Seeded, like everything the generator draws.
public struct TapDelayModel: Sendable {
    public let delayNs: Int64
    public let jitterNs: Double
    private var random: SplitMix64
    private var lastNs: Int64 = .min

    public init(delayNs: Int64, jitterNs: Double, seed: UInt64) {
        self.delayNs = delayNs
        self.jitterNs = jitterNs
        random = SplitMix64(seed: seed ^ 0x7a9_0000_0000)
    }

    /// The time the frame seen at `timeNs` at the first tap passes the second.
    public mutating func secondTapTime(_ timeNs: Int64) -> Int64 {
        let time = max(timeNs + delayNs + Int64(random.exponential(mean: jitterNs).rounded()), lastNs + 1)
        lastNs = time
        return time
    }
}

/// The traffic as a second, downstream tap sees it, and the truth about it: each
/// RoCE packet's delay between the taps (`GroundTruth.tapDelaysNs`).
public struct SecondTap: Sendable {
    private var delays: TapDelayModel
    public private(set) var delaysNs: [Int64] = []

    public init(delays: TapDelayModel) { self.delays = delays }

    /// The time `frame`, seen at the first tap at `timeNs`, passes the second.
    public mutating func pass(_ frame: Frame, atNs timeNs: Int64) -> Int64 {
        let later = delays.secondTapTime(timeNs)
        if frame.isRoCE { delaysNs.append(later - timeNs) }
        return later
    }
}
