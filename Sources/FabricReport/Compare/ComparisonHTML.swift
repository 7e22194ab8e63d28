import FabricWire
import FabricMetrics
import FabricCompare
import FabricStats
import Foundation

/// `compare --html`: one self-contained page — the verdict first, the change
/// table, then per link the two sides' request→ACK latency CDFs and percentile
/// curves overlaid, and throughput and congestion side by side.
public struct ComparisonHTML {
    public let comparison: Comparison
    let baseline: [AnalysisSummary]
    let candidate: [AnalysisSummary]
    /// Links drawn (those with changes first).
    let plotted = 8

    public init(comparison: Comparison, baseline: [AnalysisSummary], candidate: [AnalysisSummary]) {
        self.comparison = comparison
        self.baseline = baseline
        self.candidate = candidate
    }

    /// The links to draw: those with a significant change first, then the busiest.
    var links: [(String, String)] {
        var seen = Set<String>(), result: [(String, String)] = []
        for change in comparison.changes {
            guard let src = change.src, let dst = change.dst, seen.insert(src + ">" + dst).inserted else { continue }
            result.append((src, dst))
        }
        return Array(result.prefix(plotted))
    }

    /// Request→ACK latency of a link's request flows over every run of a side.
    static func latency(_ runs: [AnalysisSummary], _ link: (String, String)) -> Distribution {
        var merged = Distribution()
        for run in runs {
            for flow in run.flows where flow.key.source.description == link.0 && flow.key.destination.description == link.1 {
                if let latency = flow.requester?.ackLatency { merged.merge(latency) }
            }
        }
        return merged
    }

    func latencyCharts(_ link: (String, String)) -> String {
        let sides = [("baseline", ComparisonHTML.latency(baseline, link)), ("candidate", ComparisonHTML.latency(candidate, link))]
        var cdf = SVGChart(title: "\(link.0)→\(link.1): request→ACK latency CDF", xLabel: "latency (µs)", yLabel: "fraction ≤ x")
        cdf.series = sides.filter { !$0.1.isEmpty }.map { name, latency in
            SVGChart.Series(name: "\(name) (\(latency.count))", points: latency.cdf().map { (x: Double($0.valueNs) / 1000, y: $0.fraction) })
        }
        // Percentiles only up to what the samples resolve (1/n from the top).
        var percentiles = SVGChart(title: "\(link.0)→\(link.1): latency by percentile", xLabel: "percentile (axis: 1/(1−p))",
                                   yLabel: "latency (µs)", xScale: .logarithmic, yScale: .linear)
        percentiles.xTicks = [(1, "0%"), (2, "50%"), (10, "90%"), (100, "99%"), (1000, "99.9%")]
        percentiles.series = sides.filter { !$0.1.isEmpty }.map { name, latency in
            let levels = [0.0, 50, 75, 90, 95, 99, 99.5, 99.9].filter { 1 / (1 - $0 / 100) <= Double(latency.count) }
            return SVGChart.Series(name: name, points: zip(levels, latency.values(atPercentiles: levels)).map {
                (1 / (1 - $0 / 100), Double($1) / 1000)
            })
        }
        return cdf.render() + "\n" + percentiles.render()
    }

    /// Fabric wire throughput per window, each side from its own start.
    func throughputChart() -> String {
        var chart = SVGChart(title: "Fabric throughput per window (each run from its start)",
                             xLabel: "time since start (ms)", yLabel: "wire throughput (Gb/s)")
        for (name, runs) in [("baseline", baseline), ("candidate", candidate)] {
            guard let run = runs.first else { continue }
            var bytes: [Int64: Int] = [:]
            for flow in run.flows { for window in flow.timeSeries?.windows ?? [] { bytes[window.startNs, default: 0] += window.wireBytes } }
            let start = bytes.keys.min() ?? 0
            chart.series.append(SVGChart.Series(name: name + (runs.count > 1 ? " (run 1)" : ""), points: bytes.keys.sorted().map {
                (x: Double($0 - start) / 1e6, y: Double(bytes[$0]!) * 8 / Double(run.windowNs))
            }))
        }
        return chart.render()
    }

    func changeTable() -> String {
        var rows = "<table><tr><th>scope</th><th>metric</th><th>baseline</th><th>candidate</th><th>change</th>"
            + "<th>interval</th><th>p (adj.)</th><th>assessment</th></tr>\n"
        // As the command line: rows zero on both sides are counted, not listed.
        let zero = comparison.changes.filter { $0.baseline == 0 && $0.candidate == 0 }
        for change in comparison.changes where !(change.baseline == 0 && change.candidate == 0) {
            let scope = change.scopeName
            rows += "<tr class=\"\(change.assessment.rawValue)\"><td>\(escape(scope))</td><td>\(escape(change.metric.label))</td>"
                + "<td>\(escape(Comparison.format(change.baseline, change.metric)))</td>"
                + "<td>\(escape(Comparison.format(change.candidate, change.metric)))</td>"
                + "<td>\(change.significant ? escape(Comparison.signedPercent(change.relativeChange)) : "~")</td>"
                + "<td>\(escape(comparison.interval(change)))</td><td>\(escape(comparison.pText(change)))</td>"
                + "<td>\(change.assessment == .unchanged ? "unchanged" : "<b>\(change.assessment.rawValue)</b>")</td></tr>\n"
        }
        rows += "</table>\n"
        if !zero.isEmpty {
            rows += "<p class=\"note\">\(zero.count) rows zero on both sides not shown: "
                + escape(Set(zero.map(\.metric.label)).sorted().joined(separator: ", ")) + " (see -T json).</p>\n"
        }
        let undecided = comparison.changes.filter { $0.note != nil }
        if !undecided.isEmpty {
            rows += "<h3>Not decided by the data</h3><ul class=\"note\">" + undecided.prefix(10).map {
                "<li>\(escape($0.scopeName)) \(escape($0.metric.label)): \(escape($0.note!))</li>"
            }.joined() + (undecided.count > 10 ? "<li>… and \(undecided.count - 10) more (see -T json)</li>" : "") + "</ul>\n"
        }
        return rows
    }

    public func html() -> String {
        let level = comparison.verdict == .regression || comparison.verdict == .notComparable ? "bad"
            : comparison.verdict == .mixed ? "warn" : comparison.verdict == .improvement ? "ok" : "info"
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>FabricScope comparison</title>
            <style>
            body{font-family:sans-serif;max-width:1100px;margin:24px auto;color:#222;line-height:1.4}
            h1{font-size:24px} h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            table{border-collapse:collapse;font-size:13px} td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
            td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}
            tr.worse td{background:#fdecea} tr.better td{background:#eaf6ea}
            .verdict{padding:6px 10px;margin:4px 0;border-left:5px solid #999;background:#fafafa}
            .ok{border-color:#2ca02c}.warn{border-color:#ff9800}.bad{border-color:#d62728}.info{border-color:#1f77b4}
            .note{color:#555;font-size:13px} svg{margin:8px 0}
            </style></head><body>
            <h1>FabricScope comparison</h1>
            <div class="verdict \(level)"><b>\(escape(comparison.headline))</b></div>
            <p>Baseline: \(escape(comparison.describe(comparison.baseline)))<br>Candidate: \(escape(comparison.describe(comparison.candidate)))</p>

            """
        if !comparison.workload.comparable {
            page += "<div class=\"verdict warn\"><b>Workloads differ:</b> "
                + escape(comparison.workload.notes.joined(separator: "; ")) + "</div>\n"
        } else {
            page += "<p>Workload: comparable (same links, bytes within the tolerance).</p>\n"
        }
        page += "<h2>Changes (worst first)</h2>\n" + changeTable()
        page += "<h2>Latency per link</h2>\n"
        for link in links { page += latencyCharts(link) + "\n" }
        page += "<h2>Throughput and congestion</h2>\n" + throughputChart() + "\n" + sideBySide()
        if let periods = comparison.periods, !periods.isEmpty {
            page += "<h2>Busy periods (nccl-tests' sizes)</h2>\n<table><tr><th>period</th><th>bytes/rank</th><th>baseline busbw</th>"
                + "<th>candidate busbw</th><th>change</th><th>slowest link (candidate)</th></tr>\n"
            for period in periods {
                page += "<tr><td>\(period.period)</td><td>\(escape(Units.bytes(period.bytesPerRank[1])))</td>"
                    + "<td>\(escape(Units.bitRate(period.busbwBps[0])))</td><td>\(escape(Units.bitRate(period.busbwBps[1])))</td>"
                    + "<td>\(escape(Comparison.signedPercent(period.relativeChange)))</td><td>\(escape(period.slowestLink[1]))</td></tr>\n"
            }
            page += "</table><p class=\"note\">\(escape(comparison.periodSummary)). One value a side: shown, not tested.</p>\n"
        }
        if !comparison.notes.isEmpty {
            page += "<h2>Notes</h2>\n<ul class=\"note\">" + comparison.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        page += "<p class=\"note\">Method: docs/compare.md. Units of replication are time blocks of one run or whole runs; "
            + "a single capture point cannot see one-way delay, and µs timestamps cannot resolve sub-µs changes.</p>\n"
        return page + "</body></html>\n"
    }

    /// Throughput, CE-marked share and CNP rate of each link, baseline beside candidate.
    func sideBySide() -> String {
        let metrics: [CompareMetric] = [.throughput, .goodput, .ceFraction, .cnpRate, .retransmittedFraction]
        var rows = "<table><tr><th>scope</th><th>metric</th><th>baseline</th><th>candidate</th></tr>\n"
        for change in comparison.changes.filter({ metrics.contains($0.metric) })
            .sorted(by: { ($0.src ?? "", $0.dst ?? "", $0.metric.rawValue) < ($1.src ?? "", $1.dst ?? "", $1.metric.rawValue) }) {
            let scope = change.scopeName
            rows += "<tr><td>\(escape(scope))</td><td>\(escape(change.metric.label))</td>"
                + "<td>\(escape(Comparison.format(change.baseline, change.metric)))</td>"
                + "<td>\(escape(Comparison.format(change.candidate, change.metric)))</td></tr>\n"
        }
        return rows + "</table>\n"
    }
}
