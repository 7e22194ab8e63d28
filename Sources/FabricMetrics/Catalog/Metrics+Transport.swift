extension Metrics {
    static let transport = [
        acks, naks, retransmittedPackets, retransmittedBytes, retransmissionEpisodes, psnGapEvents, missingPSNs,
        captureLostPSNs, cmReconnections, mirrorDuplicates, ambiguousSamples, unmatchedResponses,
        unacknowledgedDropped, truncatedHeaders, retransmittedFraction, nakRate,
    ]

    public static let acks = counter(
        "acks", "positive acknowledgements in the flow", json: "acks", field: "FlowCounters.acks")

    public static let naks = counter(
        "naks", "NAKs in the flow, all kinds (by kind in the JSON)", direction: .lower, scopes: [.flow, .link, .fabric],
        prometheus: .counter("naks_total", "NAKs sent back to the requesters in the run."), json: "naks", table: "NAK",
        field: "FlowCounters.naks")

    public static let retransmittedPackets = counter(
        "retransmitted_packets", "request packets sent again (go-back-N, timeouts)", direction: .lower,
        scopes: [.flow, .link, .fabric],
        prometheus: .counter("retransmitted_requests_total", "Requests sent again in the run."),
        json: "retransmitted_packets", table: "RETX", field: "RequesterStatistics.retransmittedPackets", requests: true)

    public static let retransmittedBytes = counter(
        "retransmitted_bytes", "wire bytes of retransmitted request packets", unit: .bytes, direction: .lower,
        json: "retransmitted_bytes", field: "RequesterStatistics.retransmittedWireBytes", requests: true)

    public static let retransmissionEpisodes = counter(
        "retransmission_episodes", "go-back-N episodes (runs of retransmitted PSNs)", direction: .lower,
        json: "retransmission_episode_count", field: "RequesterStatistics.episodeCount", requests: true)

    public static let psnGapEvents = counter(
        "psn_gap_events", "forward PSN jumps (loss before the tap)", direction: .lower, json: "psn_gaps.events",
        field: "RequesterStatistics.psnGapEvents", requests: true)

    public static let missingPSNs = counter(
        "missing_psns", "PSNs never seen in forward jumps", direction: .lower, json: "psn_gaps.missing_psns",
        field: "RequesterStatistics.missingPSNs", requests: true)

    public static let captureLostPSNs = counter(
        "capture_lost_psns", "PSNs the responder acknowledged that the tap never saw, never retransmitted: "
            + "the capture's loss, not the fabric's", direction: .lower, json: "psn_gaps.capture_lost_psns",
        field: "RequesterStatistics.captureLostCount", requests: true)

    public static let cmReconnections = counter(
        "cm_reconnections", "new CM exchanges that set the queue pair up again after traffic",
        json: "cm_reconnections", field: "RequesterStatistics.reconnectionCount", requests: true)

    public static let mirrorDuplicates = counter(
        "mirror_duplicates", "the same packet captured twice (not retransmissions)", json: "mirror_duplicates",
        field: "RequesterStatistics.mirrorDuplicates", requests: true)

    public static let ambiguousSamples = counter(
        "ambiguous_samples", "ACK samples skipped: the request had been sent more than once (Karn)",
        json: "ambiguous_samples", field: "RequesterStatistics.ambiguousSamples", requests: true)

    public static let unmatchedResponses = counter(
        "unmatched_responses", "responses whose PSN matched nothing outstanding", json: "unmatched_responses",
        field: "RequesterStatistics.unmatchedResponses", requests: true)

    public static let unacknowledgedDropped = counter(
        "unacknowledged_dropped", "requests forgotten unanswered (too many outstanding)",
        json: "unacknowledged_dropped", field: "RequesterStatistics.unacknowledgedDropped", requests: true)

    public static let truncatedHeaders = counter(
        "truncated_headers", "packets whose extension headers the snaplen cut", json: "truncated_headers",
        field: "FlowCounters.truncatedHeaders")

    public static let retransmittedFraction = MetricDefinition(
        "retransmitted_fraction", title: "retransmitted share of requests", label: "retransmitted",
        summary: "request packets sent again over request packets", unit: .fraction, direction: .lower,
        scopes: [.link, .fabric], link: .ratioOfSums, advice: Advice.loss,
        prometheus: .gauge("retransmitted_ratio", "Requests sent again over requests."),
        ratio: (retransmittedPackets.name, requests.name))

    public static let nakRate = MetricDefinition(
        "nak_per_s", title: "NAK rate", summary: "NAKs sent back to the requesters per second of the run",
        unit: .perSecond, direction: .lower, scopes: [.link, .fabric], link: .rateOverSpan, advice: Advice.loss,
        prometheus: .gauge("naks_per_second", "NAKs sent back to the requesters per second."))
}
