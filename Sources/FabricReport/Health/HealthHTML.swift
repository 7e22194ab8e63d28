import FabricModels
import FabricCompare
import FabricHealth
import FabricMetrics
import FabricStats
import Foundation

/// `health --html`: the night's page — the headline verdict first (in words and
/// colour), the failing and warning checks, trend plots of the key metrics over the
/// history with the baseline band, then the run's own report.
public struct HealthHTML {
    public struct Night: Sendable {
        public var label: String
        public var values: [RunMetrics.Value]

        public init(label: String, values: [RunMetrics.Value]) {
            self.label = label
            self.values = values
        }
    }

    let report: HealthReport
    let summary: AnalysisSummary
    let trend: [Night]
    let baselineLabels: Set<String>
    /// With `--topology`: the run's own report shows its switches.
    let topology: FabricTopology?

    public init(report: HealthReport, summary: AnalysisSummary, trend: [Night], baselineLabels: Set<String>,
                topology: FabricTopology? = nil) {
        self.report = report
        self.summary = summary
        self.trend = trend
        self.baselineLabels = baselineLabels
        self.topology = topology
    }

    /// Metrics drawn over the nights, fabric scope.
    static let trended: [CompareMetric] = [.ackLatencyP99, .throughput, .ceFraction, .retransmittedFraction, .iterationTime]

    func trendChart(_ metric: CompareMetric, scope: Scope = .fabric) -> String {
        let points = trend.enumerated().compactMap { index, night -> (x: Double, y: Double)? in
            night.values.first { $0.metric == metric && $0.scope == scope }.map { (Double(index + 1), $0.value) }
        }
        let title = "\(metric.definition.title), \(scope.name)"
        guard !points.isEmpty else { return "<p class=\"note\">\(escape(title)): not measured in these runs.</p>" }
        if points.allSatisfy({ $0.y == 0 }) {
            return "<p class=\"note\">\(escape(title)): zero in every run (\(points.count)) — nothing to plot.</p>"
        }
        let scale = metric.unit.chartAxis.scale
        var chart = SVGChart(title: "\(title), by night", xLabel: "night", yLabel: metric.unit.chartAxis.unit)
        // The nights by their labels (dates, usually), at most ten of them written.
        let every = max(1, (trend.count + 9) / 10)
        chart.xTicks = trend.indices.filter { $0 % every == 0 || $0 == trend.count - 1 }.map { (Double($0 + 1), trend[$0].label) }
        chart.series = [SVGChart.Series(name: "nights", points: points.map { ($0.x, $0.y * scale) })]
        let baseline = trend.enumerated().filter { baselineLabels.contains($0.element.label) }.compactMap { index, night in
            night.values.first { $0.metric == metric && $0.scope == scope }?.value
        }
        if baseline.count >= 2 {
            let low = baseline.min()! * scale, high = baseline.max()! * scale
            let xs = points.map(\.x)
            chart.series.append(SVGChart.Series(name: "baseline max", points: [(xs.min()!, high), (xs.max()!, high)]))
            chart.series.append(SVGChart.Series(name: "baseline min", points: [(xs.min()!, low), (xs.max()!, low)]))
        }
        return chart.render()
    }

    /// A trend for each link or size a check warns or fails on, by the check's metric
    /// (the fabric's trends alone hid the link whose p99 doubled).
    var problemTrends: [(CompareMetric, Scope)] {
        var seen: Set<String> = []
        return report.checks.filter { $0.status != .ok }.compactMap { check -> (CompareMetric, Scope)? in
            let name = check.name.split(separator: "/").last.map(String.init) ?? check.name
            guard let metric = CompareMetric(rawValue: name) else { return nil }
            let scope: Scope = check.bytesPerRank.map { .period(bytesPerRank: $0) }
                ?? check.src.map { .link(source: $0, destination: check.dst ?? "") } ?? .fabric
            guard scope != .fabric, seen.insert(metric.rawValue + scope.name).inserted else { return nil }
            return (metric, scope)
        }.prefix(6).map { $0 }
    }

    public func html() -> String {
        let level = report.status == .fail ? "bad" : report.status == .warn ? "warn" : "ok"
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>FabricScope nightly: \(escape(report.label))</title>
            <style>
            body{font-family:sans-serif;max-width:1100px;margin:24px auto;color:#222;line-height:1.4}
            h1{font-size:24px} h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            table{border-collapse:collapse;font-size:13px} td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
            td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left} td.text,th.text{text-align:left}
            .verdict{padding:8px 12px;margin:4px 0;border-left:6px solid #999;background:#fafafa;font-size:18px}
            .ok{border-color:#2ca02c}.warn{border-color:#ff9800}.bad{border-color:#d62728}
            .note{color:#555;font-size:13px} svg{margin:8px 0}
            </style></head><body>
            <h1>FabricScope nightly: \(escape(report.label))</h1>
            <div class="verdict \(level)"><b>\(escape(report.headline))</b></div>
            <p class="note">Baseline: \(report.baseline.isEmpty ? "none yet" : escape(report.baseline.joined(separator: ", "))).</p>

            """
        let problems = report.checks.filter { $0.status != .ok }
        page += "<h2>Checks that did not pass (\(problems.count) of \(report.checks.count))</h2>\n"
        if problems.isEmpty {
            page += "<p>Every check passed.</p>\n"
        } else {
            page += "<table><tr><th>status</th><th>scope</th><th class=\"text\">check</th><th class=\"text\">what to do</th></tr>\n"
            for check in problems {
                page += "<tr><td><b>\(check.status.rawValue.uppercased())</b></td><td>\(escape(check.scopeName))</td>"
                    + "<td class=\"text\">\(escape(check.name))</td><td class=\"text\">\(escape(check.message))</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "<h2>Trends (the baseline's range as two lines)</h2>\n"
        for (metric, scope) in problemTrends { page += trendChart(metric, scope: scope) + "\n" }
        for metric in HealthHTML.trended { page += trendChart(metric) + "\n" }
        for note in report.notes { page += "<p class=\"note\">\(escape(note))</p>\n" }
        // The run's own report, from its stored summary.
        let own = HTMLReport(summary: summary, document: AnalysisDocument(summary: summary, topology: topology)).html()
        if let start = own.range(of: "<h2>Summary</h2>"), let end = own.range(of: "</body>", options: .backwards) {
            page += "<h2>This run</h2>\n" + String(own[start.lowerBound..<end.lowerBound])
        }
        return page + "</body></html>\n"
    }
}
