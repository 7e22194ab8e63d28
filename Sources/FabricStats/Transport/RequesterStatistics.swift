/// What a request stream measured: latencies, gaps, jitter, retransmissions and
/// PSN gaps. Plain data that is reported, saved in summaries and merged.
public struct RequesterStatistics: Sendable, Equatable, Codable {
    // What every request or ACK updates comes first (see `RequestStream`'s order).
    /// Payload of first transmissions only.
    public var goodputBytes = 0
    /// Wire bytes of every request packet: first transmissions, retransmissions and
    /// mirror copies, the packets the flow's request opcodes count. With those counts
    /// it gives the mean request size, which the flow's own bytes understate when the
    /// flow also carries ACKs (an RC connection with requests both ways). Nil in
    /// summaries written before it was kept.
    public var requestWireBytes: Int? = 0
    /// ACK samples skipped because the request had been sent more than once.
    public var ambiguousSamples = 0
    /// Pauses before each new message (from the previous request); nil in summaries
    /// written before it was kept.
    public var pauses: PauseHistogram?
    public var ackLatency = Distribution()
    public var jitter = LatencyJitter()
    /// Gaps between consecutive packets of one message (FIRST→MIDDLE…→LAST).
    public var gaps = Distribution()
    public var readLatency = Distribution()
    public var readCompletion = Distribution()
    public var atomicLatency = Distribution()
    /// The first `RequestStream.listedEpisodes` episodes; `episodeCount` counts all.
    public var episodes: [RetransmissionEpisode] = []
    public var episodeCount = 0
    public var retransmittedPackets = 0
    public var retransmittedWireBytes = 0
    /// Forward PSN jumps: packets missing before the tap (or dropped by the capture).
    public var psnGapEvents = 0
    public var missingPSNs = 0
    public var mirrorDuplicates = 0
    /// Responses whose PSN matched nothing outstanding.
    public var unmatchedResponses = 0
    /// Requests forgotten unanswered because too many were outstanding.
    public var unacknowledgedDropped = 0
    /// Busy periods: runs of requests with no pause longer than the idle gap
    /// (an iteration of a collective, between compute phases), by duration. Only
    /// with an explicit `--idle-gap`; otherwise `pauses` finds them afterwards.
    public var bursts = Distribution()
    /// Times the stream's PSNs started over when its packets came from another
    /// input file: several runs of the same traffic read as one capture.
    public var restarts: Int {
        get { restartCount ?? 0 }
        set { restartCount = newValue == 0 ? nil : newValue }
    }
    /// Stored optional, so summaries written before it existed still decode.
    private var restartCount: Int?
    /// The starting PSN the CM exchange announced for this stream, when captured.
    public var announcedStartingPSN: UInt32?
    /// The PSN of the first request seen, to hold the announcement against.
    public var firstRequestPSN: UInt32?

    /// The CM announcement and the traffic disagree by more than a few lost packets:
    /// the traffic is believed (no gap or retransmission is counted for it).
    public var startingPSNMismatch: Bool {
        guard let announced = announcedStartingPSN, let first = firstRequestPSN else { return false }
        return RequestStream.lostBeforeTap(announced: announced, first: first) == nil
    }

    public init() {}

    /// As synthesized, with the members in key order: the JSON writer then has nothing
    /// to reorder (every flow's record was reordered on close, 10 % of writing a
    /// 10⁵-flow summary). `SummaryEncodingTests` holds the keys to the stored fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ackLatency, forKey: .ackLatency)
        try container.encode(ambiguousSamples, forKey: .ambiguousSamples)
        try container.encodeIfPresent(announcedStartingPSN, forKey: .announcedStartingPSN)
        try container.encode(atomicLatency, forKey: .atomicLatency)
        try container.encode(bursts, forKey: .bursts)
        try container.encode(episodeCount, forKey: .episodeCount)
        try container.encode(episodes, forKey: .episodes)
        try container.encodeIfPresent(firstRequestPSN, forKey: .firstRequestPSN)
        try container.encode(gaps, forKey: .gaps)
        try container.encode(goodputBytes, forKey: .goodputBytes)
        try container.encode(jitter, forKey: .jitter)
        try container.encode(mirrorDuplicates, forKey: .mirrorDuplicates)
        try container.encode(missingPSNs, forKey: .missingPSNs)
        try container.encodeIfPresent(pauses, forKey: .pauses)
        try container.encode(psnGapEvents, forKey: .psnGapEvents)
        try container.encode(readCompletion, forKey: .readCompletion)
        try container.encode(readLatency, forKey: .readLatency)
        try container.encodeIfPresent(requestWireBytes, forKey: .requestWireBytes)
        try container.encodeIfPresent(restartCount, forKey: .restartCount)
        try container.encode(retransmittedPackets, forKey: .retransmittedPackets)
        try container.encode(retransmittedWireBytes, forKey: .retransmittedWireBytes)
        try container.encode(unacknowledgedDropped, forKey: .unacknowledgedDropped)
        try container.encode(unmatchedResponses, forKey: .unmatchedResponses)
    }
}
