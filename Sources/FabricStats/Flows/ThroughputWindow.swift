import FabricJSON

/// Mean and peak throughput of one flow from fixed, epoch-aligned windows.
///
/// Windows are aligned to multiples of `windowNs` since the Unix epoch rather than
/// to the first packet, so the same traffic gives the same windows whichever file
/// or tap it was read from. Peak = the busiest window's bits ÷ window length.
public struct ThroughputWindow: Sendable, Equatable, Codable {
    public let windowNs: Int64
    private var currentWindow: Int64 = .min
    /// First nanosecond after the current window: most packets fall before it,
    /// which saves a 64-bit division per packet.
    private var currentWindowEndNs: Int64 = .min
    private var currentBytes: Int = 0
    public internal(set) var peakBytes: Int = 0
    public internal(set) var peakWindowStartNs: Int64 = 0

    public init(windowNs: Int64) {
        precondition(windowNs > 0, "window must be positive")
        self.windowNs = windowNs
    }

    /// The peak of a complete per-window series (for merged summaries).
    init(windowNs: Int64, busiest windows: [FlowTimeSeries.Window]) {
        self.init(windowNs: windowNs)
        for window in windows where window.wireBytes > peakBytes {
            peakBytes = window.wireBytes
            peakWindowStartNs = window.startNs
        }
    }

    /// Adds a packet. Timestamps that step back into an earlier window (reordered
    /// mirror copies) are counted in the current window.
    public mutating func add(bytes: Int, atNs timestamp: Int64) {
        if timestamp >= currentWindowEndNs {
            let window = timestamp >= 0 ? timestamp / windowNs : (timestamp - windowNs + 1) / windowNs
            currentWindow = window
            currentWindowEndNs = (window + 1) * windowNs
            currentBytes = 0
        }
        currentBytes += bytes
        if currentBytes > peakBytes {
            peakBytes = currentBytes
            peakWindowStartNs = currentWindow * windowNs
        }
    }

    /// The window with the larger peak.
    static func max(_ a: ThroughputWindow, _ b: ThroughputWindow) -> ThroughputWindow {
        a.peakBytes >= b.peakBytes ? a : b
    }

    /// Peak throughput in bits per second.
    public var peakBitsPerSecond: Double { Double(peakBytes) * 8 * 1e9 / Double(windowNs) }
}

extension ThroughputWindow: KeyOrderedEncodable {
    /// The synthesized members, written in key order (`SortedJSONObject`): one per
    /// flow of a summary.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(currentBytes, forKey: CodingKeys.currentBytes)
        try object.encode(currentWindow, forKey: CodingKeys.currentWindow)
        try object.encode(currentWindowEndNs, forKey: CodingKeys.currentWindowEndNs)
        try object.encode(peakBytes, forKey: CodingKeys.peakBytes)
        try object.encode(peakWindowStartNs, forKey: CodingKeys.peakWindowStartNs)
        try object.encode(windowNs, forKey: CodingKeys.windowNs)
    }
}

extension ThroughputWindow {
    /// Read off a summary's tape (`AnalysisSummary+TapeDecoding.swift`); here for
    /// the private members. As the synthesized decoding, no check of `windowNs`.
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        currentBytes = try object.int("currentBytes")
        currentWindow = try object.int64("currentWindow")
        currentWindowEndNs = try object.int64("currentWindowEndNs")
        peakBytes = try object.int("peakBytes")
        peakWindowStartNs = try object.int64("peakWindowStartNs")
        windowNs = try object.int64("windowNs")
    }
}
