/// Every per-flow metric, in the order outputs list them. See `Metric`.
public enum MetricCatalog {
    public static let flow: [Metric] = traffic + transport + latency + congestion

    /// Table columns, left to right (after SRC, DST, QP).
    public static let tableOrder = [
        "packets", "wire_bytes", "throughput_mean_bps", "throughput_peak_bps", "ack_latency_p50_ns",
        "ack_latency_p99_ns", "ack_latency_p999_ns", "retransmitted_packets", "naks", "cnp_packets", "ce_fraction",
    ]

    public static func named(_ name: String) -> Metric? { flow.first { $0.name == name } }

    // Helpers that keep each entry on a few lines.

    private static func counter(
        _ name: String, _ summary: String, unit: Metric.Unit = .count, direction: Metric.Direction = .neutral,
        json: String, table: String? = nil, field: String, requests: Bool = false,
        _ value: @escaping @Sendable (AnalysisDocument.FlowEntry) -> Double?
    ) -> Metric {
        Metric(name: name, summary: summary, unit: unit, direction: direction, linkAggregation: .sum,
               runAggregation: .sum, jsonPath: json, tableColumn: table,
               prometheusName: "fabricscope_link_" + name + "_total",
               summaryField: field, requestFlowsOnly: requests, value: value)
    }

    private static func percentile(
        _ name: String, _ summary: String, json: String, table: String? = nil, field: String,
        _ value: @escaping @Sendable (AnalysisDocument.FlowEntry) -> Double?
    ) -> Metric {
        Metric(name: name, summary: summary, unit: .nanoseconds, direction: .lowerIsBetter,
               linkAggregation: .mergedHistogram, runAggregation: .mergedHistogram, jsonPath: json, tableColumn: table,
               prometheusName: "fabricscope_link_" + name.replacingOccurrences(of: "_ns", with: "_seconds"),
               summaryField: field, requestFlowsOnly: true, value: value)
    }

    static let traffic: [Metric] = [
        counter("packets", "packets in the flow", json: "packets", table: "PKTS", field: "FlowCounters.packets") {
            Double($0.packets)
        },
        counter("wire_bytes", "bytes on the wire (each record's original length)", unit: .bytes, json: "wire_bytes",
                table: "WIRE", field: "FlowCounters.wireBytes") { Double($0.wireBytes) },
        counter("payload_bytes", "transport payload bytes (from IP/UDP, GRH or LRH lengths)", unit: .bytes,
                json: "payload_bytes", field: "FlowCounters.payloadBytes") { Double($0.payloadBytes) },
        Metric(name: "start_ns", summary: "first packet's timestamp", unit: .nanoseconds, direction: .neutral,
               linkAggregation: .minimum, runAggregation: .minimum, jsonPath: "start_ns", tableColumn: nil,
               prometheusName: "fabricscope_link_start_timestamp_seconds", summaryField: "FlowCounters.startNs",
               requestFlowsOnly: false) { Double($0.startNs) },
        Metric(name: "end_ns", summary: "last packet's timestamp", unit: .nanoseconds, direction: .neutral,
               linkAggregation: .maximum, runAggregation: .maximum, jsonPath: "end_ns", tableColumn: nil,
               prometheusName: "fabricscope_link_end_timestamp_seconds", summaryField: "FlowCounters.endNs",
               requestFlowsOnly: false) { Double($0.endNs) },
        Metric(name: "throughput_mean_bps", summary: "wire bits per second over the flow's active span",
               unit: .bitsPerSecond, direction: .higherIsBetter, linkAggregation: .rateOverSpan,
               runAggregation: .rateOverSpan, jsonPath: "throughput_bps.mean", tableColumn: "MEAN",
               prometheusName: "fabricscope_link_throughput_bits_per_second", summaryField: "FlowCounters.wireBytes",
               requestFlowsOnly: false) { $0.throughputBps.mean },
        Metric(name: "throughput_peak_bps", summary: "busiest window's wire bits per second (never below the mean)",
               unit: .bitsPerSecond, direction: .higherIsBetter, linkAggregation: .peakOfSummedWindows,
               runAggregation: .peakOfSummedWindows, jsonPath: "throughput_bps.peak", tableColumn: "PEAK",
               prometheusName: "fabricscope_link_peak_throughput_bits_per_second",
               summaryField: "FlowCounters.throughput", requestFlowsOnly: false) { $0.throughputBps.peak },
        Metric(name: "window_ns", summary: "the window the peak is taken over", unit: .nanoseconds,
               direction: .neutral, linkAggregation: .maximum, runAggregation: .maximum,
               jsonPath: "throughput_bps.window_ns", tableColumn: nil,
               prometheusName: "fabricscope_window_seconds", summaryField: "FlowCounters.throughput",
               requestFlowsOnly: false) { Double($0.throughputBps.windowNs) },
        Metric(name: "goodput_bps", summary: "payload of first transmissions per second over the active span",
               unit: .bitsPerSecond, direction: .higherIsBetter, linkAggregation: .rateOverSpan,
               runAggregation: .rateOverSpan, jsonPath: "goodput_bps", tableColumn: nil,
               prometheusName: "fabricscope_link_goodput_bits_per_second",
               summaryField: "RequesterStatistics.goodputBytes", requestFlowsOnly: true) { $0.requester?.goodputBps },
        counter("goodput_bytes", "payload of first transmissions", unit: .bytes, json: "goodput_bytes",
                field: "RequesterStatistics.goodputBytes", requests: true) { $0.requester.map { Double($0.goodputBytes) } },
    ]

    static let transport: [Metric] = [
        counter("acks", "positive acknowledgements in the flow", json: "acks", field: "FlowCounters.acks") {
            Double($0.acks)
        },
        counter("naks", "NAKs in the flow, all kinds (by kind in the JSON)", direction: .lowerIsBetter, json: "naks",
                table: "NAK", field: "FlowCounters.naks") { Double($0.naks.values.reduce(0, +)) },
        counter("retransmitted_packets", "request packets sent again (go-back-N, timeouts)", direction: .lowerIsBetter,
                json: "retransmitted_packets", table: "RETX", field: "RequesterStatistics.retransmittedPackets",
                requests: true) { $0.requester.map { Double($0.retransmittedPackets) } },
        counter("retransmitted_bytes", "wire bytes of retransmitted request packets", unit: .bytes,
                direction: .lowerIsBetter, json: "retransmitted_bytes", field: "RequesterStatistics.retransmittedWireBytes",
                requests: true) { $0.requester.map { Double($0.retransmittedBytes) } },
        counter("retransmission_episodes", "go-back-N episodes (runs of retransmitted PSNs)", direction: .lowerIsBetter,
                json: "retransmission_episode_count", field: "RequesterStatistics.episodeCount", requests: true) {
            $0.requester.map { Double($0.retransmissionEpisodeCount) }
        },
        counter("psn_gap_events", "forward PSN jumps (loss before the tap)", direction: .lowerIsBetter,
                json: "psn_gaps.events", field: "RequesterStatistics.psnGapEvents", requests: true) {
            $0.requester.map { Double($0.psnGaps.events) }
        },
        counter("missing_psns", "PSNs never seen in forward jumps", direction: .lowerIsBetter,
                json: "psn_gaps.missing_psns", field: "RequesterStatistics.missingPSNs", requests: true) {
            $0.requester.map { Double($0.psnGaps.missingPSNs) }
        },
        counter("capture_lost_psns", "PSNs the responder acknowledged that the tap never saw, never retransmitted: "
                + "the capture's loss, not the fabric's", direction: .lowerIsBetter,
                json: "psn_gaps.capture_lost_psns", field: "RequesterStatistics.captureLostCount", requests: true) {
            $0.requester.map { Double($0.psnGaps.captureLostPSNs) }
        },
        counter("cm_reconnections", "new CM exchanges that set the queue pair up again after traffic",
                json: "cm_reconnections", field: "RequesterStatistics.reconnectionCount", requests: true) {
            $0.requester?.cmReconnections.map(Double.init)
        },
        counter("mirror_duplicates", "the same packet captured twice (not retransmissions)",
                json: "mirror_duplicates", field: "RequesterStatistics.mirrorDuplicates", requests: true) {
            $0.requester.map { Double($0.mirrorDuplicates) }
        },
        counter("ambiguous_samples", "ACK samples skipped: the request had been sent more than once (Karn)",
                json: "ambiguous_samples", field: "RequesterStatistics.ambiguousSamples", requests: true) {
            $0.requester.map { Double($0.ambiguousSamples) }
        },
        counter("unmatched_responses", "responses whose PSN matched nothing outstanding",
                json: "unmatched_responses", field: "RequesterStatistics.unmatchedResponses", requests: true) {
            $0.requester.map { Double($0.unmatchedResponses) }
        },
        counter("unacknowledged_dropped", "requests forgotten unanswered (too many outstanding)",
                json: "unacknowledged_dropped", field: "RequesterStatistics.unacknowledgedDropped", requests: true) {
            $0.requester.map { Double($0.unacknowledgedDropped) }
        },
        counter("truncated_headers", "packets whose extension headers the snaplen cut", json: "truncated_headers",
                field: "FlowCounters.truncatedHeaders") { Double($0.truncatedHeaders) },
    ]

    static let latency: [Metric] = [
        percentile("ack_latency_p50_ns", "request→ACK latency at the tap, median", json: "ack_latency_ns.p50",
                   table: "ACK P50", field: "RequesterStatistics.ackLatency") { $0.ackLatencyNs.map { Double($0.p50) } },
        percentile("ack_latency_p99_ns", "request→ACK latency, 99th percentile", json: "ack_latency_ns.p99",
                   table: "P99", field: "RequesterStatistics.ackLatency") { $0.ackLatencyNs.map { Double($0.p99) } },
        percentile("ack_latency_p999_ns", "request→ACK latency, 99.9th percentile", json: "ack_latency_ns.p999",
                   table: "P99.9", field: "RequesterStatistics.ackLatency") { $0.ackLatencyNs.map { Double($0.p999) } },
        percentile("read_latency_p50_ns", "READ request→first response, median", json: "read_latency_ns.p50",
                   field: "RequesterStatistics.readLatency") { $0.readLatencyNs.map { Double($0.p50) } },
        percentile("read_latency_p99_ns", "READ request→first response, 99th percentile", json: "read_latency_ns.p99",
                   field: "RequesterStatistics.readLatency") { $0.readLatencyNs.map { Double($0.p99) } },
        percentile("read_completion_p99_ns", "READ request→last response, 99th percentile",
                   json: "read_completion_ns.p99", field: "RequesterStatistics.readCompletion") {
            $0.readCompletionNs.map { Double($0.p99) }
        },
        percentile("atomic_latency_p99_ns", "atomic request→atomic ACK, 99th percentile", json: "atomic_latency_ns.p99",
                   field: "RequesterStatistics.atomicLatency") { $0.atomicLatencyNs.map { Double($0.p99) } },
        percentile("gap_p50_ns", "gap between packets of one message, median", json: "gap_ns.p50",
                   field: "RequesterStatistics.gaps") { $0.gapNs.map { Double($0.p50) } },
        percentile("jitter_pdv_p99_ns", "packet delay variation (latency − minimum), 99th percentile",
                   json: "jitter_ns.pdv_p99", field: "RequesterStatistics.jitter") { $0.jitterNs.map { Double($0.pdvP99) } },
        Metric(name: "jitter_rfc3550_ns", summary: "RFC 3550 smoothed jitter over successive latencies",
               unit: .nanoseconds, direction: .lowerIsBetter, linkAggregation: .mergedHistogram,
               runAggregation: .mergedHistogram, jsonPath: "jitter_ns.rfc3550", tableColumn: nil,
               prometheusName: "fabricscope_link_jitter_rfc3550_seconds", summaryField: "RequesterStatistics.jitter",
               requestFlowsOnly: true) { $0.jitterNs?.rfc3550 },
    ]

    static let congestion: [Metric] = [
        counter("cnp_packets", "CNPs in the flow (they answer the reverse direction's CE marks)",
                direction: .lowerIsBetter, json: "cnp_packets", table: "CNP", field: "FlowCounters.cnpPackets") {
            Double($0.cnpPackets)
        },
        counter("ect_packets", "ECN-capable packets", json: "ecn.ect_packets", field: "FlowCounters.ectPackets") {
            Double($0.ecn.ectPackets)
        },
        counter("ce_packets", "packets marked Congestion Experienced", direction: .lowerIsBetter,
                json: "ecn.ce_packets", field: "FlowCounters.cePackets") { Double($0.ecn.cePackets) },
        Metric(name: "ce_fraction", summary: "CE-marked share of ECN-capable packets", unit: .fraction,
               direction: .lowerIsBetter, linkAggregation: .ratioOfSums, runAggregation: .ratioOfSums,
               jsonPath: "ecn.ce_fraction", tableColumn: "CE", prometheusName: "fabricscope_link_ce_ratio",
               summaryField: "FlowCounters.cePackets", requestFlowsOnly: false, value: { $0.ecn.ceFraction },
               ratio: ("ce_packets", "ect_packets")),
        counter("fecn_packets", "InfiniBand FECN-marked packets", direction: .lowerIsBetter, json: "fecn_packets",
                field: "FlowCounters.fecnPackets") { Double($0.fecnPackets) },
        counter("becn_packets", "InfiniBand BECN-marked packets", direction: .lowerIsBetter, json: "becn_packets",
                field: "FlowCounters.becnPackets") { Double($0.becnPackets) },
        Metric(name: "cnp_per_s", summary: "CNPs arriving per second (first to last)", unit: .perSecond,
               direction: .lowerIsBetter, linkAggregation: .rateOverSpan, runAggregation: .rateOverSpan,
               jsonPath: "cnp.rate_per_s", tableColumn: nil, prometheusName: "fabricscope_link_cnp_per_second",
               summaryField: "NotificationCounters.count", requestFlowsOnly: false) { $0.cnp?.ratePerSecond },
        percentile("ecn_to_cnp_p50_ns", "first CE mark → the CNP answering it, median", json: "cnp.ecn_to_cnp_ns.p50",
                   field: "NotificationCounters.markToNotification") { $0.cnp?.ecnToCnpNs.map { Double($0.p50) } },
        Metric(name: "cnp_min_gap_ns", summary: "smallest gap between consecutive CNPs", unit: .nanoseconds,
               direction: .neutral, linkAggregation: .minimum, runAggregation: .minimum, jsonPath: "cnp.min_gap_ns",
               tableColumn: nil, prometheusName: "fabricscope_link_cnp_min_gap_seconds",
               summaryField: "NotificationCounters.minimumGapNs", requestFlowsOnly: false) {
            $0.cnp?.minGapNs.map(Double.init)
        },
    ]
}
