import FabricJSON

/// What a request stream measured: latencies, gaps, jitter, retransmissions and
/// PSN gaps. Plain data that is reported, saved in summaries and merged.
public struct RequesterStatistics: Sendable, Equatable, Codable, KeyOrderedEncodable {
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
    /// The longest of those pauses with their times and the payload before them (busy
    /// periods' bytes and spans); nil in summaries written before it was kept.
    public var longPauses: LongPauses?
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
    /// PSNs the tap never saw that the responder acknowledged with no retransmission:
    /// lost by the capture (mirror or ibdump drops), not by the fabric. A part of
    /// `missingPSNs`.
    public var captureLostPSNs: Int {
        get { captureLostCount ?? 0 }
        set { captureLostCount = newValue == 0 ? nil : newValue }
    }
    private var captureLostCount: Int?
    /// Times a new CM exchange set the queue pair up again after traffic had flowed:
    /// the stream then carried `reconnections + 1` connections.
    public var reconnections: Int {
        get { reconnectionCount ?? 0 }
        set { reconnectionCount = newValue == 0 ? nil : newValue }
    }
    private var reconnectionCount: Int?
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
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(ackLatency, forKey: CodingKeys.ackLatency)
        try object.encode(ambiguousSamples, forKey: CodingKeys.ambiguousSamples)
        try object.encodeIfPresent(announcedStartingPSN, forKey: CodingKeys.announcedStartingPSN)
        try object.encode(atomicLatency, forKey: CodingKeys.atomicLatency)
        try object.encode(bursts, forKey: CodingKeys.bursts)
        try object.encodeIfPresent(captureLostCount, forKey: CodingKeys.captureLostCount)
        try object.encode(episodeCount, forKey: CodingKeys.episodeCount)
        try object.encode(episodes, forKey: CodingKeys.episodes)
        try object.encodeIfPresent(firstRequestPSN, forKey: CodingKeys.firstRequestPSN)
        try object.encode(gaps, forKey: CodingKeys.gaps)
        try object.encode(goodputBytes, forKey: CodingKeys.goodputBytes)
        try object.encode(jitter, forKey: CodingKeys.jitter)
        try object.encodeIfPresent(longPauses, forKey: CodingKeys.longPauses)
        try object.encode(mirrorDuplicates, forKey: CodingKeys.mirrorDuplicates)
        try object.encode(missingPSNs, forKey: CodingKeys.missingPSNs)
        try object.encodeIfPresent(pauses, forKey: CodingKeys.pauses)
        try object.encode(psnGapEvents, forKey: CodingKeys.psnGapEvents)
        try object.encode(readCompletion, forKey: CodingKeys.readCompletion)
        try object.encode(readLatency, forKey: CodingKeys.readLatency)
        try object.encodeIfPresent(reconnectionCount, forKey: CodingKeys.reconnectionCount)
        try object.encodeIfPresent(requestWireBytes, forKey: CodingKeys.requestWireBytes)
        try object.encodeIfPresent(restartCount, forKey: CodingKeys.restartCount)
        try object.encode(retransmittedPackets, forKey: CodingKeys.retransmittedPackets)
        try object.encode(retransmittedWireBytes, forKey: CodingKeys.retransmittedWireBytes)
        try object.encode(unacknowledgedDropped, forKey: CodingKeys.unacknowledgedDropped)
        try object.encode(unmatchedResponses, forKey: CodingKeys.unmatchedResponses)
    }
}

extension RequesterStatistics {
    /// Read off a summary's tape (`AnalysisSummary+TapeDecoding.swift`), members in the
    /// order written; here for the private members.
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        self.init()
        ackLatency = try Distribution(tape: box, node: object.required("ackLatency"))
        ambiguousSamples = try object.int("ambiguousSamples")
        announcedStartingPSN = try object.uint32IfPresent("announcedStartingPSN")
        atomicLatency = try Distribution(tape: box, node: object.required("atomicLatency"))
        bursts = try Distribution(tape: box, node: object.required("bursts"))
        captureLostCount = try object.intIfPresent("captureLostCount")
        episodeCount = try object.int("episodeCount")
        let episodesNode = try object.required("episodes")
        episodes = try box.elements(ofArray: episodesNode, path: box.codingPath(to: episodesNode)) { element, _ in
            try RetransmissionEpisode(tape: box, node: element)
        }
        firstRequestPSN = try object.uint32IfPresent("firstRequestPSN")
        gaps = try Distribution(tape: box, node: object.required("gaps"))
        goodputBytes = try object.int("goodputBytes")
        jitter = try LatencyJitter(tape: box, node: object.required("jitter"))
        longPauses = try object.optional("longPauses").map { value in
            try LongPauses(tape: box, node: value, path: box.codingPath(to: value))
        }
        mirrorDuplicates = try object.int("mirrorDuplicates")
        missingPSNs = try object.int("missingPSNs")
        pauses = try object.optional("pauses").map { try PauseHistogram(tape: box, node: $0) }
        psnGapEvents = try object.int("psnGapEvents")
        readCompletion = try Distribution(tape: box, node: object.required("readCompletion"))
        readLatency = try Distribution(tape: box, node: object.required("readLatency"))
        reconnectionCount = try object.intIfPresent("reconnectionCount")
        requestWireBytes = try object.intIfPresent("requestWireBytes")
        restartCount = try object.intIfPresent("restartCount")
        retransmittedPackets = try object.int("retransmittedPackets")
        retransmittedWireBytes = try object.int("retransmittedWireBytes")
        unacknowledgedDropped = try object.int("unacknowledgedDropped")
        unmatchedResponses = try object.int("unmatchedResponses")
    }
}
