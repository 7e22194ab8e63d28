extension Metrics {
    static let latency = [
        ackLatencyP50, ackLatencyP99, ackLatencyP999, readLatencyP50, readLatencyP99, readCompletionP99,
        atomicLatencyP99, gapP50, jitterPDVP99, jitterRFC3550,
    ]

    /// Request→ACK latency at the tap: per flow from its sketch, per link and for the
    /// fabric from the merged sketches of the run.
    static func ackLatency(
        _ name: String, title: String, label: String, summary: String, quantile: (Double, Int), help: String,
        json: String, table: String
    ) -> MetricDefinition {
        MetricDefinition(
            name, title: title, label: label, summary: summary, unit: .nanoseconds, direction: .lower,
            scopes: [.flow, .link, .fabric], link: .mergedHistogram, advice: Advice.latency,
            prometheus: .gauge(String(name.dropLast("_ns".count)) + "_seconds", scale: 1e-9, help),
            quantile: quantile, flow: .column(json, table: table, field: "RequesterStatistics.ackLatency", requests: true))
    }

    public static let ackLatencyP50 = ackLatency(
        "ack_latency_p50_ns", title: "median request→ACK latency", label: "ACK p50",
        summary: "request→ACK latency at the tap, median", quantile: (0.5, 20),
        help: "Median request to ACK latency at the tap.", json: "ack_latency_ns.p50", table: "ACK P50")

    public static let ackLatencyP99 = ackLatency(
        "ack_latency_p99_ns", title: "p99 request→ACK latency", label: "ACK p99",
        summary: "request→ACK latency at the tap, 99th percentile", quantile: (0.99, 100),
        help: "p99 request to ACK latency at the tap.", json: "ack_latency_ns.p99", table: "P99")

    public static let ackLatencyP999 = ackLatency(
        "ack_latency_p999_ns", title: "p99.9 request→ACK latency", label: "ACK p99.9",
        summary: "request→ACK latency at the tap, 99.9th percentile", quantile: (0.999, 1000),
        help: "p99.9 request to ACK latency at the tap.", json: "ack_latency_ns.p999", table: "P99.9")

    public static let readLatencyP50 = percentile(
        "read_latency_p50_ns", "READ request→first response, median", json: "read_latency_ns.p50",
        field: "RequesterStatistics.readLatency")

    public static let readLatencyP99 = percentile(
        "read_latency_p99_ns", "READ request→first response, 99th percentile", json: "read_latency_ns.p99",
        field: "RequesterStatistics.readLatency")

    public static let readCompletionP99 = percentile(
        "read_completion_p99_ns", "READ request→last response, 99th percentile", json: "read_completion_ns.p99",
        field: "RequesterStatistics.readCompletion")

    public static let atomicLatencyP99 = percentile(
        "atomic_latency_p99_ns", "atomic request→atomic ACK, 99th percentile", json: "atomic_latency_ns.p99",
        field: "RequesterStatistics.atomicLatency")

    public static let gapP50 = percentile(
        "gap_p50_ns", "gap between packets of one message, median", json: "gap_ns.p50", field: "RequesterStatistics.gaps")

    public static let jitterPDVP99 = percentile(
        "jitter_pdv_p99_ns", "packet delay variation (latency − minimum), 99th percentile", json: "jitter_ns.pdv_p99",
        field: "RequesterStatistics.jitter")

    public static let jitterRFC3550 = percentile(
        "jitter_rfc3550_ns", "RFC 3550 smoothed jitter over successive latencies", json: "jitter_ns.rfc3550",
        field: "RequesterStatistics.jitter")
}
