import FabricCompare
import FabricHealth

extension HealthReport {
    /// Prometheus text exposition for node_exporter's textfile collector: per-link
    /// gauges (`src`/`dst` labels) in base units, per-run counters (`_total`), the
    /// status of every check, and the time of this success. `promtool check metrics`
    /// validates it in the tests (see `PrometheusText` for why it is not built
    /// through swift-prometheus's registry).
    public func prometheusText(run: RunMetrics, finishedAtSeconds: Double) -> String {
        var text = PrometheusText()
        text.gauge("fabricscope_health_status", [("run", label)],
                   help: "Worst check status of the run: 0 ok, 1 warn, 2 fail.", Double(status.rank))
        text.gauge("fabricscope_health_last_success_timestamp_seconds",
                   help: "Unix time when fabricscope last finished a health run.", finishedAtSeconds)
        for status in [Status.ok, .warn, .fail] {
            text.gauge("fabricscope_health_checks", [("status", status.rawValue)], help: "Checks of the run by status.",
                       Double(checks.filter { $0.status == status }.count))
        }
        for check in checks {
            text.gauge("fabricscope_health_check_status",
                       [("check", check.name), ("src", check.src ?? ""), ("dst", check.dst ?? "")],
                       help: "Status of one health check: 0 ok, 1 warn, 2 fail (src and dst empty for the fabric).",
                       Double(check.status.rank))
        }
        for value in run.values {
            guard let export = PrometheusExport.gauge(value.metric) else { continue }
            let (prefix, labels) = PrometheusExport.scope(value.scope)
            text.gauge(prefix + export.name, labels, help: export.help, value.value * export.scale)
        }
        for (scope, totals) in run.totals.sorted(by: { $0.key < $1.key }) {
            let (prefix, labels) = PrometheusExport.scope(scope)
            for counter in PrometheusExport.counters {
                text.counter(prefix + counter.name, labels, help: counter.help, counter.value(totals))
            }
        }
        return text.text
    }
}

/// Names, units and help of the exported metrics, one table (Prometheus naming:
/// base units — seconds, bytes — and `_total` for counters).
enum PrometheusExport {
    struct Gauge { var name: String; var scale: Double; var help: String }
    struct Counter: Sendable { var name: String; var help: String; var value: @Sendable (UnitTotals) -> Int }

    static func scope(_ scope: Scope) -> (prefix: String, labels: [(String, String)]) {
        switch scope {
        case .fabric: ("fabricscope_fabric_", [])
        case .link(let source, let destination): ("fabricscope_link_", [("src", source), ("dst", destination)])
        }
    }

    static func gauge(_ metric: CompareMetric) -> Gauge? {
        switch metric {
        case .ackLatencyP50: Gauge(name: "ack_latency_p50_seconds", scale: 1e-9, help: "Median request to ACK latency at the tap.")
        case .ackLatencyP99: Gauge(name: "ack_latency_p99_seconds", scale: 1e-9, help: "p99 request to ACK latency at the tap.")
        case .ackLatencyP999: Gauge(name: "ack_latency_p999_seconds", scale: 1e-9, help: "p99.9 request to ACK latency at the tap.")
        case .throughput: Gauge(name: "throughput_bytes_per_second", scale: 1 / 8, help: "Wire bytes per second over the run.")
        case .goodput: Gauge(name: "goodput_bytes_per_second", scale: 1 / 8, help: "Payload of first transmissions per second over the run.")
        case .messageRate: Gauge(name: "message_rate_bytes_per_second", scale: 1 / 8, help: "Rate within messages: mean request size over the median gap within messages.")
        case .retransmittedFraction: Gauge(name: "retransmitted_ratio", scale: 1, help: "Requests sent again over requests.")
        case .ceFraction: Gauge(name: "ce_marked_ratio", scale: 1, help: "CE-marked packets over packets.")
        case .cnpRate: Gauge(name: "cnps_per_second", scale: 1, help: "CNPs sent back to the requesters per second.")
        case .nakRate: Gauge(name: "naks_per_second", scale: 1, help: "NAKs sent back to the requesters per second.")
        case .pfcPausedFraction: Gauge(name: "pfc_paused_ratio", scale: 1, help: "Time paused by PFC, summed over ports and priorities, over the run.")
        case .iterationTime: Gauge(name: "iteration_seconds", scale: 1e-9, help: "One iteration of the ring all-reduce.")
        case .collectiveEfficiency: Gauge(name: "collective_efficiency_ratio", scale: 1, help: "Model time over measured iteration time.")
        }
    }

    static let counters: [Counter] = [
        Counter(name: "wire_bytes_total", help: "Wire bytes in the run.") { $0.wireBytes },
        Counter(name: "packets_total", help: "Packets in the run.") { $0.packets },
        Counter(name: "requests_total", help: "Request packets in the run.") { $0.requests },
        Counter(name: "retransmitted_requests_total", help: "Requests sent again in the run.") { $0.retransmittedPackets },
        Counter(name: "ce_marked_packets_total", help: "CE-marked packets in the run.") { $0.cePackets },
        Counter(name: "cnps_total", help: "CNPs sent back to the requesters in the run.") { $0.cnps },
        Counter(name: "naks_total", help: "NAKs sent back to the requesters in the run.") { $0.naks },
    ]
}
