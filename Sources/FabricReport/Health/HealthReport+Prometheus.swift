import FabricModels
import FabricCompare
import FabricHealth
import FabricMetrics
import FabricStats

extension HealthReport {
    /// Prometheus text exposition for node_exporter's textfile collector: per-link
    /// gauges (`src`/`dst` labels) in base units, per-run counters (`_total`), the
    /// status of every check, and the time of this success. `promtool check metrics`
    /// validates it in the tests (see `PrometheusText` for why it is not built
    /// through swift-prometheus's registry).
    /// `switches`: with `--topology`, the figures per switch and port (gauges and the
    /// run's counters, labelled `switch` and `port`).
    public func prometheusText(run: RunMetrics, finishedAtSeconds: Double, switches: [FabricElementTotals] = []) -> String {
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
                       [("check", check.name), ("src", check.src ?? ""), ("dst", check.dst ?? "")]
                           + (check.bytesPerRank.map { [("bytes_per_rank", String($0))] } ?? []),
                       help: "Status of one health check: 0 ok, 1 warn, 2 fail (src and dst empty for the fabric).",
                       Double(check.status.rank))
        }
        for value in run.values where value.scope.periodKey == nil {  // periods: below, with their index
            guard let export = PrometheusExport.gauge(value.metric) else { continue }
            let (prefix, labels) = PrometheusExport.scope(value.scope)
            text.gauge(prefix + export.name, labels, help: export.help, value.value * export.scale)
        }
        if let series = Metrics.periodBusbw.prometheus, let prefix = PrometheusSeries.prefix(.fabric) {
            for (index, period) in run.periods.enumerated() {
                text.gauge(prefix + series.name, [("period", String(index + 1)), ("bytes_per_rank", String(period.bytesPerRank))],
                           help: series.help, period.busBitsPerSecond * series.scale)
            }
        }
        for (scope, totals) in run.totals.sorted(by: { $0.key < $1.key }) {
            let (prefix, labels) = PrometheusExport.scope(scope)
            for counter in PrometheusExport.counters {
                text.counter(prefix + counter.series.name, labels, help: counter.series.help, counter.value(totals))
            }
        }
        for entry in switches {
            let labels = [("switch", entry.element.switchName), ("port", entry.element.port ?? "")]
            for (metric, value) in entry.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let export = PrometheusExport.gauge(metric) else { continue }
                text.gauge(PrometheusSeries.switchPrefix + export.name, labels, help: export.help + " Per switch or port, pooled over the links through it.",
                           value * export.scale)
            }
            for counter in PrometheusExport.counters {
                text.counter(PrometheusSeries.switchPrefix + counter.series.name, labels,
                             help: counter.series.help + " Per switch or port, over the links through it.",
                             counter.value(entry.totals))
            }
        }
        return text.text
    }
}

/// What is exported: the catalog's run metrics and counters that have a Prometheus
/// series (names, units and help in `Metrics`), and how each counter is read from a
/// unit's totals.
enum PrometheusExport {
    struct Counter: Sendable { var series: PrometheusSeries; var value: @Sendable (UnitTotals) -> Int }

    static func scope(_ scope: Scope) -> (prefix: String, labels: [(String, String)]) {
        switch scope {
        case .fabric: (PrometheusSeries.prefix(.fabric)!, [])
        case .link(let source, let destination): (PrometheusSeries.prefix(.link)!, [("src", source), ("dst", destination)])
        case .period(let bytes): (PrometheusSeries.prefix(.fabric)!, [("bytes_per_rank", String(bytes))])
        }
    }

    static func gauge(_ metric: CompareMetric) -> PrometheusSeries? { metric.definition.prometheus }

    /// The run's counters, in `Metrics.runCounters` order.
    static let counters: [Counter] = Metrics.runCounters.map { definition in
        Counter(series: definition.prometheus!, value: counterValue(definition))
    }

    private static func counterValue(_ definition: MetricDefinition) -> @Sendable (UnitTotals) -> Int {
        switch definition {
        case Metrics.wireBytes: { $0.wireBytes }
        case Metrics.packets: { $0.packets }
        case Metrics.requests: { $0.requests }
        case Metrics.retransmittedPackets: { $0.retransmittedPackets }
        case Metrics.cePackets: { $0.cePackets }
        case Metrics.cnpPackets: { $0.cnps }
        case Metrics.naks: { $0.naks }
        default: preconditionFailure("\(definition.name) is in Metrics.runCounters but not read from UnitTotals")
        }
    }
}
