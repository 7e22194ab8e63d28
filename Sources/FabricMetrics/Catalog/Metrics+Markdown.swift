extension Metrics {
    public static let docsBegin = "<!-- metric catalog: generated from Metrics (FabricMetrics), checked by MetricCatalogTests -->"
    public static let docsEnd = "<!-- end of metric catalog -->"

    /// The catalog as the Markdown table in docs/metrics.md, between its markers. The
    /// Prometheus column lists the families the health exporter writes (a test holds
    /// it against an export): flow-only metrics have none.
    public static func markdownTable() -> String {
        var lines = [
            docsBegin,
            "| metric | unit | better | scopes | per link | across runs | JSON (per flow) | table | Prometheus | from |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for metric in all {
            let scopes = MetricScope.allCases.filter(metric.scopes.contains).map(\.rawValue).joined(separator: ", ")
            let cells = [
                "`\(metric.name)`: \(metric.summary)" + (metric.flow?.requestFlowsOnly == true ? " (request flows)" : ""),
                metric.unit.rawValue, metric.direction.rawValue, scopes, metric.linkAggregation.rawValue,
                metric.runAggregation.rawValue, metric.flow.map { "`\($0.jsonPath)`" } ?? "", metric.flow?.tableColumn ?? "",
                metric.prometheusNames.map { "`\($0)` (\(metric.prometheus!.kind.rawValue))" }.joined(separator: "<br>"),
                metric.flow.map { "`\($0.summaryField)`" } ?? "",
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append(docsEnd)
        return lines.joined(separator: "\n")
    }
}
