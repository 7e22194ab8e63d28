extension Metrics {
    static let congestion = [
        cnpPackets, ectPackets, cePackets, ceFraction, fecnPackets, becnPackets, cnpRate, ecnToCnpP50, cnpMinGap,
        pfcPausedFraction,
    ]

    public static let cnpPackets = counter(
        "cnp_packets", "CNPs in the flow (they answer the reverse direction's CE marks)", direction: .lower,
        scopes: [.flow, .link, .fabric],
        prometheus: .counter("cnps_total", "CNPs sent back to the requesters in the run."), json: "cnp_packets",
        table: "CNP", field: "FlowCounters.cnpPackets")

    public static let ectPackets = counter(
        "ect_packets", "ECN-capable packets", json: "ecn.ect_packets", field: "FlowCounters.ectPackets")

    public static let cePackets = counter(
        "ce_packets", "packets marked Congestion Experienced", direction: .lower, scopes: [.flow, .link, .fabric],
        prometheus: .counter("ce_marked_packets_total", "CE-marked packets in the run."), json: "ecn.ce_packets",
        field: "FlowCounters.cePackets")

    public static let ceFraction = MetricDefinition(
        "ce_fraction", title: "CE-marked share of packets", label: "CE-marked",
        summary: "CE-marked share: of a flow's ECN-capable packets; of all packets per link and for the fabric",
        unit: .fraction, direction: .lower, scopes: [.flow, .link, .fabric], link: .ratioOfSums, advice: Advice.queues,
        prometheus: .gauge("ce_marked_ratio", "CE-marked packets over packets."), ratio: (cePackets.name, ectPackets.name),
        flow: .column("ecn.ce_fraction", table: "CE", field: "FlowCounters.cePackets"))

    public static let fecnPackets = counter(
        "fecn_packets", "InfiniBand FECN-marked packets", direction: .lower, json: "fecn_packets",
        field: "FlowCounters.fecnPackets")

    public static let becnPackets = counter(
        "becn_packets", "InfiniBand BECN-marked packets", direction: .lower, json: "becn_packets",
        field: "FlowCounters.becnPackets")

    public static let cnpRate = MetricDefinition(
        "cnp_per_s", title: "CNP rate",
        summary: "CNPs per second: over a flow's first to last CNP; over the run per link and for the fabric",
        unit: .perSecond, direction: .lower, scopes: [.flow, .link, .fabric], link: .rateOverSpan, advice: Advice.queues,
        prometheus: .gauge("cnps_per_second", "CNPs sent back to the requesters per second."),
        flow: .column("cnp.rate_per_s", field: "NotificationCounters.count"))

    public static let ecnToCnpP50 = percentile(
        "ecn_to_cnp_p50_ns", "first CE mark → the CNP answering it, median", json: "cnp.ecn_to_cnp_ns.p50",
        field: "NotificationCounters.markToNotification")

    public static let cnpMinGap = MetricDefinition(
        "cnp_min_gap_ns", title: "smallest CNP gap", summary: "smallest gap between consecutive CNPs",
        unit: .nanoseconds, scopes: [.flow], link: .minimum,
        flow: .column("cnp.min_gap_ns", field: "NotificationCounters.minimumGapNs"))

    public static let pfcPausedFraction = MetricDefinition(
        "pfc_paused_fraction", title: "PFC paused share of time", label: "PFC paused",
        summary: "time the most-paused port and priority spent paused by PFC, over the run's span (in compare's time "
            + "blocks of one run: the block's most-paused port and priority, over the block)", unit: .fraction,
        direction: .lower, scopes: [.fabric], link: .ratioOfSums,
        advice: "find the port that pauses (the PFC table) and check its buffers and headroom",
        prometheus: .gauge("pfc_paused_ratio", "Share of the run the most-paused port and priority spent paused by PFC."))
}

extension Metrics {
    /// Health's own checks: judged against limits, not exported as series (their
    /// status is, in `fabricscope_health_check_status`).
    static let checks = [messageRateShare, pfcStorms, captureIntegrity, qosClasses, ecmpSpread, sharedHop]

    public static let messageRateShare = MetricDefinition(
        "message_rate_fraction", title: "rate within messages", label: "rate in msgs ÷ link",
        summary: "the rate within messages over the link's speed: below 1, the link does not run at line rate even "
            + "inside a message", unit: .fraction, direction: .higher, scopes: [.link, .fabric], link: .mergedHistogram,
        advice: messageRate.advice)

    public static let pfcStorms = MetricDefinition(
        "pfc_storms", title: "PFC pause storms",
        summary: "ports that kept a priority paused without a break for longer than the storm threshold",
        unit: .count, direction: .lower, scopes: [.fabric], link: .sum,
        advice: "find the port that keeps pausing (the PFC table) and check its NIC's PFC watchdog")

    public static let qosClasses = MetricDefinition(
        "qos_classes", title: "RoCE traffic classes",
        summary: "the DSCP and 802.1p priority of RoCE data, ACKs and CNPs, and the priorities PFC paused, against a "
            + "declared intent (--qos: fails) and against the capture itself (warnings): a host outside the fabric's "
            + "class, a link with mixed classes, CNPs in the data class, pauses on a priority without RoCE",
        unit: .count, direction: .lower, scopes: [.link, .fabric], link: .sum,
        advice: "put RoCE data on the lossless priority and CNPs on a strict-priority class of their own")

    public static let ecmpSpread = MetricDefinition(
        "ecmp_spread", title: "ECMP spread of UDP source ports",
        summary: "per host pair, the distinct UDP source ports its QPs use (what ECMP hashes on) and their effective "
            + "number (2 to the entropy of the bytes per port); a warning when several QPs share one port, or every QP "
            + "of the fabric uses the same one",
        unit: .count, direction: .higher, scopes: [.link, .fabric], link: .sum,
        advice: "let the NIC derive the source port from the QP numbers (a zero flow label), or use more QPs per "
            + "connection (NCCL_IB_QPS_PER_CONNECTION)")

    public static let sharedHop = MetricDefinition(
        "shared_hop", title: "switch or port the degraded links share",
        summary: "with --topology: the switch or port crossed by the most links that warn or fail, when that many "
            + "crossing it by chance is under 1 % (hypergeometric tail, Bonferroni over the switches and ports); the "
            + "value is that chance",
        unit: .fraction, direction: .lower, scopes: [.fabric], link: .minimum,
        advice: "look at that switch or port first: its counters (discards, ECN marks, PFC), buffers, optics and "
            + "configuration, against a healthy one beside it")

    public static let captureIntegrity = MetricDefinition(
        "capture_integrity", title: "share of packets the capture lost",
        summary: "the largest of the capture's own loss counts (mirror sequence gaps, pcapng drop counters, PSNs "
            + "acknowledged but never seen) over the packets it holds: the tap's loss, not the fabric's",
        unit: .fraction, direction: .lower, scopes: [.fabric], link: .ratioOfSums,
        advice: "Mirror to a port with room to spare, truncate mirrored copies, or capture at the NIC")
}
