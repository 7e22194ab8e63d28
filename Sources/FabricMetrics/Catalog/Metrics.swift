/// The catalog: every metric FabricScope reports, in the order outputs list them
/// (the CSV's columns follow it). See `MetricDefinition`; the entries are in
/// `Metrics+Traffic.swift`, `+Transport`, `+Latency`, `+Congestion` and `+Collective`.
public enum Metrics {
    public static let all: [MetricDefinition] = traffic + transport + latency + congestion + collective + checks

    /// The metrics each flow has (rows of `analyze`, columns of its CSV).
    public static let flow: [MetricDefinition] = all.filter { $0.flow != nil }

    /// The metrics measured over a run's links and fabric (`compare`, `health`), in
    /// the order they are computed.
    public static let run: [MetricDefinition] = [
        ackLatencyP50, ackLatencyP99, ackLatencyP999, throughput, goodput, messageRate, retransmittedFraction,
        ceFraction, cnpRate, nakRate, pfcPausedFraction, iterationTime, collectiveEfficiency, periodBusbw,
    ]

    /// The run's counters, exported per link and for the fabric.
    public static let runCounters: [MetricDefinition] = [
        wireBytes, packets, requests, retransmittedPackets, cePackets, cnpPackets, naks,
    ]

    /// `analyze`'s table columns, left to right (after SRC, DST, QP).
    public static let tableOrder: [MetricDefinition] = [
        packets, wireBytes, throughputMean, throughputPeak, ackLatencyP50, ackLatencyP99, ackLatencyP999,
        retransmittedPackets, naks, cnpPackets, ceFraction,
    ]

    public static func named(_ name: String) -> MetricDefinition? { byName[name] }

    private static let byName: [String: MetricDefinition] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
}

extension Metrics {
    /// Advice shared by metrics that point at the same cause.
    enum Advice {
        static let latency = "look for congestion on this link (CE marks, CNPs, PFC) or a slow receiver"
        static let slower = "check whether the job changed; if not, look for a straggler link or stalls"
        static let loss = "retransmissions mean loss: check the link's error counters (FEC, CRC), optics and cabling, "
            + "and PFC on the RDMA priority"
        static let queues = "queues are building: check the ECN thresholds and whether the link is oversubscribed"
    }

    /// A counter kept per flow and added up per link and over the run.
    static func counter(
        _ name: String, _ summary: String, unit: MetricUnit = .count, direction: MetricDirection = .neutral,
        scopes: Set<MetricScope> = [.flow], prometheus: PrometheusSeries? = nil, json: String, table: String? = nil,
        field: String, requests: Bool = false
    ) -> MetricDefinition {
        MetricDefinition(name, title: summary, summary: summary, unit: unit, direction: direction, scopes: scopes,
                         link: .sum, prometheus: prometheus,
                         flow: .column(json, table: table, field: field, requests: requests))
    }

    /// A latency percentile of one flow, from its sketch (merged to combine flows).
    static func percentile(
        _ name: String, _ summary: String, json: String, field: String
    ) -> MetricDefinition {
        MetricDefinition(name, title: summary, summary: summary, unit: .nanoseconds, direction: .lower, scopes: [.flow],
                         link: .mergedHistogram, flow: .column(json, field: field, requests: true))
    }
}
