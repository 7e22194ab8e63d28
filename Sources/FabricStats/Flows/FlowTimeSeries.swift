/// One flow's traffic per fixed window (epoch-aligned, like the peak throughput),
/// for plots and for spotting when in a capture things went wrong.
///
/// Only windows with traffic are kept, so memory grows with the number of busy
/// windows, not packets; it is opt-in (`--timeseries`) because a long capture at a
/// short window can still have many.
public struct FlowTimeSeries: Sendable, Equatable, Codable {
    public struct Window: Sendable, Equatable, Codable {
        public var startNs: Int64
        public var packets = 0
        public var wireBytes = 0
        /// Payload of first transmissions.
        public var goodputBytes = 0
        public var retransmittedBytes = 0
        public var cePackets = 0
        public var cnpPackets = 0

        enum CodingKeys: String, CodingKey {
            case startNs = "start_ns", packets, wireBytes = "wire_bytes", goodputBytes = "goodput_bytes"
            case retransmittedBytes = "retransmitted_bytes", cePackets = "ce_packets", cnpPackets = "cnp_packets"
        }
    }

    public let windowNs: Int64
    public private(set) var windows: [Window] = []
    private var currentEndNs: Int64 = .min

    public init(windowNs: Int64) {
        self.windowNs = windowNs
    }

    /// The window for a packet at `timeNs`; a packet older than the current window
    /// (reordered timestamps) is counted in the current one.
    @inline(__always)
    public mutating func window(at timeNs: Int64) -> Int {
        if timeNs >= currentEndNs {
            let index = timeNs >= 0 ? timeNs / windowNs : (timeNs - windowNs + 1) / windowNs
            windows.append(Window(startNs: index * windowNs))
            currentEndNs = (index + 1) * windowNs
        }
        return windows.count - 1
    }

    mutating func replaceWindows(_ merged: [Window]) {
        windows = merged
        currentEndNs = (merged.last?.startNs ?? .min / 2) + windowNs
    }

    public mutating func add(_ update: (inout Window) -> Void, at timeNs: Int64) {
        let index = window(at: timeNs)
        update(&windows[index])
    }
}
