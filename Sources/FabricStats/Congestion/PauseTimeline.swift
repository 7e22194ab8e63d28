/// How long one (link, priority) was actually paused, from the sequence of PFC frames.
///
/// An XOFF with q quanta pauses the link until t + q × quantum unless refreshed
/// (extended) by another XOFF or ended by an XON. Consecutive overlapping pauses
/// form one continuous pause; a continuous pause of at least `stormThresholdNs`
/// (100 ms by default, the NIC watchdog's threshold from Microsoft's SIGCOMM'16
/// RDMA deployment paper) is a pause storm.
public struct PauseTimeline: Sendable, Equatable, Codable {
    public struct Storm: Sendable, Equatable, Codable {
        public var startNs: Int64
        public var durationNs: Int64

        public init(startNs: Int64, durationNs: Int64) {
            self.startNs = startNs
            self.durationNs = durationNs
        }

        enum CodingKeys: String, CodingKey { case startNs = "start_ns", durationNs = "duration_ns" }
    }

    public let quantumNs: Double
    public let stormThresholdNs: Int64
    private var pauseStartNs: Int64?
    private var pauseEndNs: Int64 = .min
    public internal(set) var pausedNs: Int64 = 0
    public internal(set) var longestPauseNs: Int64 = 0
    public internal(set) var storms: [Storm] = []

    public init(linkBitsPerSecond: Double, stormThresholdNs: Int64 = 100_000_000) {
        quantumNs = 512 * 1e9 / linkBitsPerSecond
        self.stormThresholdNs = stormThresholdNs
    }

    /// Adds a frame; returns the continuous pause it ended (expired before it, or
    /// ended by an XON), for per-window paused time.
    @discardableResult
    public mutating func add(quanta: UInt16, atNs time: Int64) -> Range<Int64>? {
        var closed: Range<Int64>?
        if let start = pauseStartNs, time >= pauseEndNs {
            closed = close(start: start, end: pauseEndNs)  // expired before this frame
        }
        if quanta == 0 {
            if let start = pauseStartNs { closed = close(start: start, end: time) }
            return closed
        }
        let end = time + Int64((Double(quanta) * quantumNs).rounded())
        if pauseStartNs == nil { pauseStartNs = time }
        pauseEndNs = end  // a new frame restarts the pause timer, shorter or longer
        return closed
    }

    /// Ends the timeline at the end of the capture (a pause still running counts
    /// until then, not until its timer would expire).
    @discardableResult
    public mutating func finish(atNs captureEnd: Int64) -> Range<Int64>? {
        guard let start = pauseStartNs else { return nil }
        return close(start: start, end: min(pauseEndNs, max(captureEnd, start)))
    }

    private mutating func close(start: Int64, end: Int64) -> Range<Int64> {
        let duration = max(0, end - start)
        pausedNs += duration
        longestPauseNs = max(longestPauseNs, duration)
        if duration >= stormThresholdNs { storms.append(Storm(startNs: start, durationNs: duration)) }
        pauseStartNs = nil
        pauseEndNs = .min
        return start..<max(start, end)
    }
}
