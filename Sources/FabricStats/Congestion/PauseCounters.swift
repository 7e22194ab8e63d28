/// PFC counters for one (link, priority).
///
/// Pause time is what the frames *asked for*: quanta × 512 bit times at the link
/// speed. A later XOFF or XON cuts a pause short, so the sum over-counts when
/// frames refresh a pause before it expires; the time actually paused needs the
/// frame timeline (see the statistics issue).
public struct PauseCounters: Sendable, Equatable {
    /// Frames with a non-zero pause time for this priority.
    public var xoffFrames = 0
    /// Frames with pause time 0 for this priority (resume).
    public var xonFrames = 0
    public var pauseQuanta = 0
    public var firstNs: Int64 = .max
    public var lastNs: Int64 = .min

    public init() {}

    public mutating func add(quanta: UInt16, atNs timestamp: Int64) {
        if quanta == 0 { xonFrames += 1 } else { xoffFrames += 1 }
        pauseQuanta += Int(quanta)
        firstNs = min(firstNs, timestamp)
        lastNs = max(lastNs, timestamp)
    }

    /// Requested pause in nanoseconds at `linkBitsPerSecond` (one quantum = 512 bit times).
    public func pauseNs(linkBitsPerSecond: Double) -> Double {
        Double(pauseQuanta) * 512 * 1e9 / linkBitsPerSecond
    }
}
