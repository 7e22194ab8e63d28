import FabricJSON

/// One flow's traffic per fixed window (epoch-aligned, like the peak throughput),
/// for plots and for spotting when in a capture things went wrong.
///
/// Only windows with traffic are kept, so memory grows with the number of busy
/// windows, not packets; it is opt-in (`--timeseries`) because a long capture at a
/// short window can still have many.
public struct FlowTimeSeries: Sendable, Equatable, Codable, KeyOrderedEncodable {
    public struct Window: Sendable, Equatable, Codable {
        public var startNs: Int64
        public var packets = 0
        public var wireBytes = 0
        /// Payload of first transmissions.
        public var goodputBytes = 0
        public var retransmittedBytes = 0
        public var cePackets = 0
        public var cnpPackets = 0
        /// Requests sent again (a request flow's windows).
        public var retransmittedPackets = 0
        /// NAKs of any kind (a response flow's windows).
        public var naks = 0
        /// Request→ACK latencies of ACKs that arrived in this window.
        public var ackLatency = LogSketch()
        /// Gaps between consecutive packets of one message sent in this window.
        public var gaps = LogSketch()
        /// Time paused by PFC (the pause series' windows only), summed over ports
        /// and priorities.
        public var pausedNs: Int64 = 0

        public init(startNs: Int64) { self.startNs = startNs }

        enum CodingKeys: String, CodingKey {
            case startNs = "start_ns", packets, wireBytes = "wire_bytes", goodputBytes = "goodput_bytes"
            case retransmittedBytes = "retransmitted_bytes", cePackets = "ce_packets", cnpPackets = "cnp_packets"
            case retransmittedPackets = "retransmitted_packets", naks, ackLatency = "ack_latency", gaps
            case pausedNs = "paused_ns"
        }
    }

    public let windowNs: Int64
    public private(set) var windows: [Window] = []
    private var currentEndNs: Int64 = .min

    public init(windowNs: Int64) {
        self.windowNs = windowNs
    }

    /// `windows`: version 1's array of window objects, still read; `windowColumns`:
    /// the same windows as columns, written from version 2 on (`WindowColumns`).
    enum CodingKeys: String, CodingKey {
        case currentEndNs, windowColumns, windowNs, windows
    }

    /// Reads either stored form of the windows; version 1's objects straight from
    /// `TapeJSONDecoder`'s tape (`FlowTimeSeries+TapeDecoding.swift`).
    public init(from decoder: any Decoder) throws {
        if let tape = decoder as? TapeDecoder {
            self = try FlowTimeSeries(tape: tape.tape, node: tape.node, path: tape.codingPath)
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            windowNs = try container.decode(Int64.self, forKey: .windowNs)
            currentEndNs = try container.decode(Int64.self, forKey: .currentEndNs)
            windows = try container.decodeIfPresent([Window].self, forKey: .windows)
                ?? container.decode(WindowColumns.self, forKey: .windowColumns).windows
        }
    }

    /// The series at `node` of a tape (`path`: its coding path, for errors).
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        var object = try TapeObject(box, node: node)
        currentEndNs = try object.int64("currentEndNs")
        if let objects = object.optional("windows") {  // version 1
            windows = try Window.windows(tape: box, node: objects, path: path() + [CodingKeys.windows])
        } else {
            let columns = try object.required("windowColumns")
            windows = try WindowColumns(tape: box, node: columns, path: path() + [CodingKeys.windowColumns]).windows
        }
        windowNs = try object.int64("windowNs")
    }

    /// Members in key order: the JSON writer then has nothing to reorder. The windows
    /// as columns (`WindowColumns`). `SummaryEncodingTests` holds the keys to the
    /// stored fields.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(currentEndNs, forKey: CodingKeys.currentEndNs)
        try object.encode(WindowColumns(windows), forKey: CodingKeys.windowColumns)
        try object.encode(windowNs, forKey: CodingKeys.windowNs)
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

    /// Spreads a pause over the windows it covers. Windows are only created for
    /// packets (a pause's own frames create them), so time falling in a window
    /// without any is added to the closest earlier window: memory stays bounded by
    /// the frames, whatever the pauses claim.
    public mutating func addPause(from startNs: Int64, to endNs: Int64) {
        guard endNs > startNs, !windows.isEmpty else { return }
        var low = 0, high = windows.count
        while low < high {
            let mid = (low + high) / 2
            if windows[mid].startNs + windowNs <= startNs { low = mid + 1 } else { high = mid }
        }
        var index = max(0, min(low, windows.count - 1))
        if windows[index].startNs > startNs, index > 0 { index -= 1 }
        var time = startNs
        while time < endNs {
            while index + 1 < windows.count, windows[index + 1].startNs <= time { index += 1 }
            let next = index + 1 < windows.count ? windows[index + 1].startNs : endNs
            let until = min(endNs, max(next, time + 1))
            windows[index].pausedNs += until - time
            time = until
        }
    }
}
