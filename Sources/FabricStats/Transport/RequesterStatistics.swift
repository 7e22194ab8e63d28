/// What a request stream measured: latencies, gaps, jitter, retransmissions and
/// PSN gaps. Plain data that is reported, saved in summaries and merged.
public struct RequesterStatistics: Sendable, Equatable, Codable {
    public var ackLatency = Distribution()
    public var readLatency = Distribution()
    public var readCompletion = Distribution()
    public var atomicLatency = Distribution()
    /// Gaps between consecutive packets of one message (FIRST→MIDDLE…→LAST).
    public var gaps = Distribution()
    public var jitter = LatencyJitter()
    /// The first `RequestStream.listedEpisodes` episodes; `episodeCount` counts all.
    public var episodes: [RetransmissionEpisode] = []
    public var episodeCount = 0
    public var retransmittedPackets = 0
    public var retransmittedWireBytes = 0
    /// Payload of first transmissions only.
    public var goodputBytes = 0
    /// Forward PSN jumps: packets missing before the tap (or dropped by the capture).
    public var psnGapEvents = 0
    public var missingPSNs = 0
    public var mirrorDuplicates = 0
    /// ACK samples skipped because the request had been sent more than once.
    public var ambiguousSamples = 0
    /// Responses whose PSN matched nothing outstanding.
    public var unmatchedResponses = 0
    /// Requests forgotten unanswered because too many were outstanding.
    public var unacknowledgedDropped = 0
    /// Busy periods: runs of requests with no pause longer than the idle gap
    /// (an iteration of a collective, between compute phases), by duration.
    public var bursts = Distribution()

    public init() {}
}
