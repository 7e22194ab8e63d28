extension MetricCatalog {
    static let docsBegin = "<!-- metric catalog: generated from MetricCatalog, checked by MetricCatalogTests -->"
    static let docsEnd = "<!-- end of metric catalog -->"

    /// The catalog as the Markdown table in docs/metrics.md, between its markers.
    public static func markdownTable() -> String {
        var lines = [
            docsBegin,
            "| metric | unit | better | per link | across runs | JSON (per flow) | table | Prometheus (per link) | from |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for metric in flow {
            let cells = [
                "`\(metric.name)`: \(metric.summary)" + (metric.requestFlowsOnly ? " (request flows)" : ""),
                metric.unit.rawValue, metric.direction.rawValue, metric.linkAggregation.rawValue,
                metric.runAggregation.rawValue, "`\(metric.jsonPath)`", metric.tableColumn ?? "",
                "`\(metric.prometheusName)`", "`\(metric.summaryField)`",
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append(docsEnd)
        return lines.joined(separator: "\n")
    }
}
