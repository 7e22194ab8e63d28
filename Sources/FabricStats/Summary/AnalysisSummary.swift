import FabricWire
import FabricJSON
import FabricIngest

/// Everything `analyze` measured, in a form that is saved (`--summary-out`), read
/// back and merged exactly (`fabricscope merge`): counters add, distributions are
/// HdrHistograms that add bucket by bucket, and per-window traffic adds window by
/// window. A fleet can analyse one capture per job and merge the summaries.
///
/// Reports are always built from a summary, so a merged report and a report of all
/// captures read together come from the same code.
public struct AnalysisSummary: Sendable, Equatable, Codable, KeyOrderedEncodable {
    public static let formatName = "fabricscope-summary"
    /// 2: time windows stored as columns (`WindowColumns`). Version 1 (windows as
    /// objects) is still read; whatever was read is written as the current version.
    public static let currentVersion = 2
    /// The versions this build reads.
    public static let readableVersions = 1...currentVersion

    public var format = AnalysisSummary.formatName
    public var version = AnalysisSummary.currentVersion
    public var windowNs: Int64
    public var linkBitsPerSecond: Double
    public var stormThresholdNs: Int64
    public var idleGapNs: Int64
    public var files: [File]
    public var totals: CaptureTotals
    public var unpairedResponses: Int
    /// Connections whose CM REQ/REP exchange was in the capture.
    public var connectionsFromCM: Int
    public var flows: [Flow]
    public var pauses: [Pause]
    /// PFC frames per window over all links, when time series were recorded.
    public var pauseTimeSeries: FlowTimeSeries?

    enum CodingKeys: String, CodingKey {
        case connectionsFromCM, files, flows, format, idleGapNs, linkBitsPerSecond, pauseTimeSeries, pauses
        case stormThresholdNs, totals, unpairedResponses, version, windowNs
    }

    /// As synthesized, but the flows (nearly all of a summary: their windows) are
    /// encoded on all cores when `StreamingJSONEncoder` writes the summary
    /// (`ConcurrentJSONArray`); the text is the same either way. Members go in key
    /// order: sorting them afterwards moved the whole flows array (325 MB at 10⁵ flows).
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(connectionsFromCM, forKey: CodingKeys.connectionsFromCM)
        try object.encode(files, forKey: CodingKeys.files)
        try object.encode(ConcurrentJSONArray(flows), forKey: CodingKeys.flows)
        try object.encode(format, forKey: CodingKeys.format)
        try object.encode(idleGapNs, forKey: CodingKeys.idleGapNs)
        try object.encode(linkBitsPerSecond, forKey: CodingKeys.linkBitsPerSecond)
        try object.encodeIfPresent(pauseTimeSeries, forKey: CodingKeys.pauseTimeSeries)
        try object.encode(pauses, forKey: CodingKeys.pauses)
        try object.encode(stormThresholdNs, forKey: CodingKeys.stormThresholdNs)
        try object.encode(totals, forKey: CodingKeys.totals)
        try object.encode(unpairedResponses, forKey: CodingKeys.unpairedResponses)
        // The text is always written in the current form, whatever version was read.
        try object.encode(AnalysisSummary.currentVersion, forKey: CodingKeys.version)
        try object.encode(windowNs, forKey: CodingKeys.windowNs)
    }

    /// One input file.
    public struct File: Sendable, Equatable, Codable {
        public var path: String
        public var format: String
        public var linkType: String
        public var resolutionNs: Double
        public var records: Int
        public var timestampRegressions: Int
        public var damage: String?
        /// Records whose timestamps were clamped (stored optional: older summaries decode).
        public var clampedTimestamps: Int?
        /// Records timed by an ERSPAN III switch's clock (absent when none).
        public var switchClockRecords: Int?
        /// Packets dropped before the capture, by the pcapng file's own statistics.
        public var interfaceDrops: Int?

        public init(_ file: CaptureFileSummary) {
            path = file.path
            format = file.container.rawValue
            linkType = file.linkType.name
            resolutionNs = file.resolutionNs
            records = file.records
            timestampRegressions = file.timestampRegressions
            damage = file.damage
            clampedTimestamps = file.clampedTimestamps > 0 ? file.clampedTimestamps : nil
            switchClockRecords = file.switchClockRecords > 0 ? file.switchClockRecords : nil
            interfaceDrops = file.interfaceDrops
        }
    }

    /// One flow: its counters, and its requester side if it carries requests.
    public struct Flow: Sendable, Equatable, Codable, KeyOrderedEncodable {
        public var key: FlowKey
        public var counters: FlowCounters
        public var opcodes: [String: Int]
        /// The request flow this flow answers (ACKs, READ responses, CNPs), when paired.
        public var answers: FlowKey?
        public var requester: RequesterStatistics?
        /// The requester's own QP, learned from the flow that answers it.
        public var requesterQP: UInt32?
        public var notifications: NotificationCounters
        /// Per-window traffic, when recorded (always for `--summary-out`, so that peaks
        /// of a flow split across summaries merge exactly).
        public var timeSeries: FlowTimeSeries?
        /// Classes and UDP source port (absent in summaries written before they were kept).
        public var markings: FlowMarkings?

        /// Straight off the tape from `TapeJSONDecoder` (`AnalysisSummary+TapeDecoding.swift`);
        /// as synthesized from any other decoder.
        public init(from decoder: any Decoder) throws {
            if let tape = decoder as? TapeDecoder {
                self = try Flow(tape: tape.tape, node: tape.node)
                return
            }
            let object = try decoder.container(keyedBy: CodingKeys.self)
            key = try object.decode(FlowKey.self, forKey: .key)
            counters = try object.decode(FlowCounters.self, forKey: .counters)
            opcodes = try object.decode([String: Int].self, forKey: .opcodes)
            answers = try object.decodeIfPresent(FlowKey.self, forKey: .answers)
            requester = try object.decodeIfPresent(RequesterStatistics.self, forKey: .requester)
            requesterQP = try object.decodeIfPresent(UInt32.self, forKey: .requesterQP)
            notifications = try object.decode(NotificationCounters.self, forKey: .notifications)
            timeSeries = try object.decodeIfPresent(FlowTimeSeries.self, forKey: .timeSeries)
            markings = try object.decodeIfPresent(FlowMarkings.self, forKey: .markings)
        }

        init(key: FlowKey, counters: FlowCounters, opcodes: [String: Int], answers: FlowKey? = nil,
             requester: RequesterStatistics? = nil, requesterQP: UInt32? = nil, notifications: NotificationCounters,
             timeSeries: FlowTimeSeries? = nil, markings: FlowMarkings? = nil) {
            self.key = key
            self.counters = counters
            self.opcodes = opcodes
            self.answers = answers
            self.requester = requester
            self.requesterQP = requesterQP
            self.notifications = notifications
            self.timeSeries = timeSeries
            self.markings = markings
        }

        private enum CodingKeys: String, CodingKey {
            case key, counters, opcodes, answers, requester, requesterQP, notifications, timeSeries, markings
        }

        /// As synthesized, with the members in key order: the JSON writer then has nothing
        /// to reorder (every flow's record was reordered on close, 10 % of writing a
        /// 10⁵-flow summary). `SummaryEncodingTests` holds the keys to the stored fields.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encodeIfPresent(answers, forKey: CodingKeys.answers)
            try object.encode(counters, forKey: CodingKeys.counters)
            try object.encode(key, forKey: CodingKeys.key)
            try object.encodeIfPresent(markings, forKey: CodingKeys.markings)
            try object.encode(notifications, forKey: CodingKeys.notifications)
            try object.encode(opcodes, forKey: CodingKeys.opcodes)
            try object.encodeIfPresent(requester, forKey: CodingKeys.requester)
            try object.encodeIfPresent(requesterQP, forKey: CodingKeys.requesterQP)
            try object.encodeIfPresent(timeSeries, forKey: CodingKeys.timeSeries)
        }
    }

    public struct Pause: Sendable, Equatable, Codable {
        public var key: PauseKey
        public var counters: PauseCounters
        /// This port and priority's frames and paused time per window, when time series
        /// are kept: a time block's PFC share is its most-paused port's, as the whole
        /// run's is (the fabric series sums ports, and read over 100 %).
        public var timeSeries: FlowTimeSeries?

        public init(key: PauseKey, counters: PauseCounters, timeSeries: FlowTimeSeries? = nil) {
            self.key = key
            self.counters = counters
            self.timeSeries = timeSeries
        }

        enum CodingKeys: String, CodingKey { case key, counters, timeSeries = "time_series" }
    }
}

extension AnalysisSummary {
    /// As synthesized, but from `TapeJSONDecoder` the flows are read on all cores
    /// (`FlowList`).
    public init(from decoder: any Decoder) throws {
        let object = try decoder.container(keyedBy: CodingKeys.self)
        connectionsFromCM = try object.decode(Int.self, forKey: .connectionsFromCM)
        files = try object.decode([File].self, forKey: .files)
        flows = try object.decode(FlowList.self, forKey: .flows).flows
        format = try object.decode(String.self, forKey: .format)
        idleGapNs = try object.decode(Int64.self, forKey: .idleGapNs)
        linkBitsPerSecond = try object.decode(Double.self, forKey: .linkBitsPerSecond)
        pauseTimeSeries = try object.decodeIfPresent(FlowTimeSeries.self, forKey: .pauseTimeSeries)
        pauses = try object.decode([Pause].self, forKey: .pauses)
        stormThresholdNs = try object.decode(Int64.self, forKey: .stormThresholdNs)
        totals = try object.decode(CaptureTotals.self, forKey: .totals)
        unpairedResponses = try object.decode(Int.self, forKey: .unpairedResponses)
        version = try object.decode(Int.self, forKey: .version)
        windowNs = try object.decode(Int64.self, forKey: .windowNs)
    }
}

extension AnalysisSummary {
    /// Timestamp resolution the figures can be trusted to: the coarsest input.
    public var resolutionNs: Double { files.map(\.resolutionNs).max() ?? 1000 }
}
