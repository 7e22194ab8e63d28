/// PFC counters for one (link, priority).
///
/// `pauseNs` is what the frames *asked for*: quanta × 512 bit times at the link
/// speed, which over-counts when frames refresh a pause before it expires;
/// `timeline` has the time actually paused.
public struct PauseCounters: Sendable, Equatable, Codable {
    /// Frames with a non-zero pause time for this priority.
    public var xoffFrames = 0
    /// Frames with pause time 0 for this priority (resume).
    public var xonFrames = 0
    public var pauseQuanta = 0
    public var firstNs: Int64 = .max
    public var lastNs: Int64 = .min
    /// The time actually paused, from the frame sequence.
    public var timeline: PauseTimeline

    public init(linkBitsPerSecond: Double = 400e9, stormThresholdNs: Int64 = 100_000_000) {
        timeline = PauseTimeline(linkBitsPerSecond: linkBitsPerSecond, stormThresholdNs: stormThresholdNs)
    }

    /// Returns the pause this frame ended, if any (see `PauseTimeline.add`).
    @discardableResult
    public mutating func add(quanta: UInt16, atNs timestamp: Int64) -> Range<Int64>? {
        defer {
            if quanta == 0 { xonFrames += 1 } else { xoffFrames += 1 }
            pauseQuanta += Int(quanta)
            firstNs = min(firstNs, timestamp)
            lastNs = max(lastNs, timestamp)
        }
        return timeline.add(quanta: quanta, atNs: timestamp)
    }

    /// Requested pause in nanoseconds at `linkBitsPerSecond` (one quantum = 512 bit times).
    public func pauseNs(linkBitsPerSecond: Double) -> Double {
        Double(pauseQuanta) * 512 * 1e9 / linkBitsPerSecond
    }
}
