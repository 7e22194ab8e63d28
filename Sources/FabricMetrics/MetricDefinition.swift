/// One measured quantity, defined once: what it is, in what unit, which way is
/// better, how it combines, what it is called in every output and what to do when it
/// is bad. Every surface — the table, JSON, CSV, HTML, Prometheus, JUnit, `compare`,
/// `health` and docs/metrics.md — reads these fields instead of spelling a name, a
/// description or a unit itself, so a new metric is one entry in `Metrics` plus the
/// code that computes it.
public struct MetricDefinition: Sendable {
    /// Stable identifier: the CSV column, the `compare` and `health` metric name, the
    /// name in docs/metrics.md.
    public let name: String
    /// What it is, in a sentence's words ("p99 request→ACK latency").
    public let title: String
    /// A short heading for tables of metrics (`compare`).
    public let label: String
    /// One line for the docs: what is counted and over what.
    public let summary: String
    public let unit: MetricUnit
    public let direction: MetricDirection
    public let scopes: Set<MetricScope>
    public let linkAggregation: MetricAggregation
    public let runAggregation: MetricAggregation
    /// One sentence a person on call can act on when the metric is bad.
    public let advice: String?
    /// What the health exporter writes for it, per link and for the fabric.
    public let prometheus: PrometheusSeries?
    /// For `ratioOfSums`: the metrics whose sums are divided.
    public let ratio: (numerator: String, denominator: String)?
    /// A latency quantile and the samples a side needs before it is judged: below that
    /// the quantile is one of the few largest samples.
    public let quantile: (q: Double, minimumSamples: Int)?
    /// Per flow: where it sits in each flow object of `analyze -T json` (dots for
    /// nesting), its table column if the table shows it, the stored summary field it is
    /// computed from, and whether only flows that carry requests have it.
    public let flow: FlowFacet?

    public struct FlowFacet: Sendable {
        public let jsonPath: String
        public let tableColumn: String?
        public let summaryField: String
        public let requestFlowsOnly: Bool
    }

    public init(
        _ name: String, title: String, label: String? = nil, summary: String, unit: MetricUnit,
        direction: MetricDirection = .neutral, scopes: Set<MetricScope>, link: MetricAggregation = .sum,
        run: MetricAggregation? = nil, advice: String? = nil, prometheus: PrometheusSeries? = nil,
        ratio: (String, String)? = nil, quantile: (Double, Int)? = nil, flow: FlowFacet? = nil
    ) {
        self.name = name
        self.title = title
        self.label = label ?? title
        self.summary = summary
        self.unit = unit
        self.direction = direction
        self.scopes = scopes
        linkAggregation = link
        runAggregation = run ?? link
        self.advice = advice
        self.prometheus = prometheus
        self.ratio = ratio.map { (numerator: $0.0, denominator: $0.1) }
        self.quantile = quantile.map { (q: $0.0, minimumSamples: $0.1) }
        self.flow = flow
    }

    /// The Prometheus families written for it, one per exported scope.
    public var prometheusNames: [String] {
        guard let prometheus else { return [] }
        return [MetricScope.link, .fabric].filter(scopes.contains).compactMap { PrometheusSeries.prefix($0).map { $0 + prometheus.name } }
    }

    /// A value as people read it, in this metric's unit (see `MetricUnit.format`).
    public func format(_ value: Double, _ style: MetricFormatStyle) -> String { unit.format(value, style) }
}

extension MetricDefinition: Hashable {
    public static func == (a: MetricDefinition, b: MetricDefinition) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension MetricDefinition.FlowFacet {
    public static func column(
        _ jsonPath: String, table: String? = nil, field: String, requests: Bool = false
    ) -> MetricDefinition.FlowFacet {
        MetricDefinition.FlowFacet(jsonPath: jsonPath, tableColumn: table, summaryField: field, requestFlowsOnly: requests)
    }
}
