extension Metrics {
    static let traffic = [
        packets, wireBytes, payloadBytes, startTime, endTime, throughputMean, throughputPeak, window, goodput,
        goodputBytes, throughput, messageRate, requests,
    ]

    public static let packets = counter(
        "packets", "packets in the flow", scopes: [.flow, .link, .fabric],
        prometheus: .counter("packets_total", "Packets in the run."), json: "packets", table: "PKTS",
        field: "FlowCounters.packets")

    public static let wireBytes = counter(
        "wire_bytes", "bytes on the wire (each record's original length)", unit: .bytes, scopes: [.flow, .link, .fabric],
        prometheus: .counter("wire_bytes_total", "Wire bytes in the run."), json: "wire_bytes", table: "WIRE",
        field: "FlowCounters.wireBytes")

    public static let payloadBytes = counter(
        "payload_bytes", "transport payload bytes (from IP/UDP, GRH or LRH lengths)", unit: .bytes,
        json: "payload_bytes", field: "FlowCounters.payloadBytes")

    public static let startTime = MetricDefinition(
        "start_ns", title: "first packet's timestamp", summary: "first packet's timestamp", unit: .nanoseconds,
        scopes: [.flow], link: .minimum, flow: .column("start_ns", field: "FlowCounters.startNs"))

    public static let endTime = MetricDefinition(
        "end_ns", title: "last packet's timestamp", summary: "last packet's timestamp", unit: .nanoseconds,
        scopes: [.flow], link: .maximum, flow: .column("end_ns", field: "FlowCounters.endNs"))

    public static let throughputMean = MetricDefinition(
        "throughput_mean_bps", title: "mean throughput", summary: "wire bits per second over the flow's active span",
        unit: .bitsPerSecond, direction: .higher, scopes: [.flow], link: .rateOverSpan,
        flow: .column("throughput_bps.mean", table: "MEAN", field: "FlowCounters.wireBytes"))

    public static let throughputPeak = MetricDefinition(
        "throughput_peak_bps", title: "peak throughput",
        summary: "busiest window's wire bits per second (never below the mean)", unit: .bitsPerSecond,
        direction: .higher, scopes: [.flow], link: .peakOfSummedWindows,
        flow: .column("throughput_bps.peak", table: "PEAK", field: "FlowCounters.throughput"))

    public static let window = MetricDefinition(
        "window_ns", title: "throughput window", summary: "the window the peak is taken over", unit: .nanoseconds,
        scopes: [.flow], link: .maximum, flow: .column("throughput_bps.window_ns", field: "FlowCounters.throughput"))

    public static let goodput = MetricDefinition(
        "goodput_bps", title: "goodput", summary: "payload of first transmissions per second over the active span "
            + "(a flow's, or the run's for links and the fabric)",
        unit: .bitsPerSecond, direction: .higher, scopes: [.flow, .link, .fabric], link: .rateOverSpan,
        advice: Advice.slower,
        prometheus: .gauge("goodput_bytes_per_second", scale: 1 / 8, "Payload of first transmissions per second over the run."),
        flow: .column("goodput_bps", field: "RequesterStatistics.goodputBytes", requests: true))

    public static let goodputBytes = counter(
        "goodput_bytes", "payload of first transmissions", unit: .bytes, json: "goodput_bytes",
        field: "RequesterStatistics.goodputBytes", requests: true)

    public static let throughput = MetricDefinition(
        "throughput_bps", title: "throughput", summary: "wire bits per second over the run (a flow's own span is "
            + "`throughput_mean_bps`)",
        unit: .bitsPerSecond, direction: .higher, scopes: [.link, .fabric], link: .rateOverSpan, advice: Advice.slower,
        prometheus: .gauge("throughput_bytes_per_second", scale: 1 / 8, "Wire bytes per second over the run."))

    public static let messageRate = MetricDefinition(
        "message_rate_bps", title: "rate within messages", label: "rate in msgs",
        summary: "the rate within messages: mean request size over the median gap between a message's packets",
        unit: .bitsPerSecond, direction: .higher, scopes: [.link, .fabric], link: .mergedHistogram,
        advice: "check the link's negotiated speed, FEC mode and error counters",
        prometheus: .gauge("message_rate_bytes_per_second", scale: 1 / 8,
                           "Rate within messages: mean request size over the median gap within messages."))

    public static let requests = MetricDefinition(
        "requests", title: "request packets", summary: "request packets (first transmissions and retransmissions)",
        unit: .count, scopes: [.link, .fabric], link: .sum,
        prometheus: .counter("requests_total", "Request packets in the run."))
}
