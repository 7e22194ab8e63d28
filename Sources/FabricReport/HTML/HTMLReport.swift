import FabricHealth
import FabricWire
import FabricCompare
import FabricMetrics
import FabricIngest
import FabricModels
import FabricStats
import Foundation

/// The analysis as a self-contained HTML page — summary and verdicts first, then
/// the flows, latency percentiles on a 1/(1−p) axis and as a CDF, throughput and
/// congestion over time, and the collective model — plus the same text as Markdown.
public struct HTMLReport {
    public let document: AnalysisDocument
    public let summary: AnalysisSummary
    public let verdicts: [Verdict]
    /// Flows drawn in the plots (the busiest ones).
    let plotted = 8

    public init(summary: AnalysisSummary, document: AnalysisDocument) {
        self.summary = summary
        self.document = document
        verdicts = Verdict.verdicts(for: document)
    }

    func name(_ key: FlowKey) -> String { "\(key.source) → \(key.destination) QP 0x\(String(key.destQP, radix: 16))" }

    /// Request flows with latency samples, most samples first.
    var latencyFlows: [AnalysisSummary.Flow] {
        summary.flows.filter { $0.requester?.ackLatency.isEmpty == false }
            .sorted { ($0.requester!.ackLatency.count, $1.key) > ($1.requester!.ackLatency.count, $0.key) }
            .prefix(plotted).map { $0 }
    }

    func percentileChart() -> String {
        let percentiles = [0.0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99]
        var chart = SVGChart(title: "Request→ACK latency by percentile", xLabel: "percentile (axis: 1/(1−p))",
                             yLabel: "latency (µs)", xScale: .logarithmic, yScale: .linear)
        // The axis ends at the highest percentile the samples resolve (1 − 1/n).
        let samples = Double(latencyFlows.map { $0.requester!.ackLatency.count }.max() ?? 1)
        chart.xTicks = [(1, "0%"), (2, "50%"), (10, "90%"), (100, "99%"), (1000, "99.9%"), (10000, "99.99%")]
            .filter { $0.0 <= max(2, samples) }
        chart.series = latencyFlows.map { flow in
            let latency = flow.requester!.ackLatency
            // A percentile beyond 1 − 1/n is the maximum again: stop where the samples stop.
            let resolved = percentiles.filter { 1 / (1 - $0 / 100) <= Double(latency.count) }
            let values = latency.values(atPercentiles: resolved)
            return SVGChart.Series(name: "\(flow.key.source)→\(flow.key.destination) QP 0x\(String(flow.key.destQP, radix: 16))",
                                   points: zip(resolved, values).map {
                (1 / (1 - $0 / 100), Double($1) / 1000)
            })
        }
        return chart.render()
    }

    func cdfChart() -> String {
        var chart = SVGChart(title: "Request→ACK latency CDF", xLabel: "latency (µs)", yLabel: "fraction ≤ x")
        chart.series = latencyFlows.map { flow in
            let points = flow.requester!.ackLatency.cdf().map { (x: Double($0.valueNs) / 1000, y: $0.fraction) }
            return SVGChart.Series(name: "\(flow.key.source)→\(flow.key.destination)", points: points)
        }
        return chart.render()
    }

    /// Time zero of the plots: the first plotted bin, so no point lies before it.
    var origin: Int64 {
        let bin = plotBinNs, start = summary.totals.startNs
        return start >= 0 ? start / bin * bin : (start - bin + 1) / bin * bin
    }

    /// The time axis in a unit that suits the capture: µs, ms or s.
    var timeAxis: (label: String, divisor: Double) {
        let span = Double(Int64.span(from: origin, to: summary.totals.endNs))
        return span < 2e6 ? ("time since capture start (µs)", 1e3) : span < 2e9 ? ("time since capture start (ms)", 1e6)
            : ("time since capture start (s)", 1e9)
    }

    /// Fewer bins than this make no time series: said in words instead.
    static let minimumBins = 5

    /// Why there is no time series, when the capture is too short for its windows.
    var tooShortForSeries: String? {
        let span = Int64.span(from: summary.totals.startNs, to: summary.totals.endNs)
        guard span < Int64(HTMLReport.minimumBins) * summary.windowNs else { return nil }
        let finer = max(1, span / 50 / 1000)
        return "the capture lasts \(Units.duration(span)), under \(HTMLReport.minimumBins) windows of "
            + "\(Units.duration(summary.windowNs)): no time series to draw; 'fabricscope report --window \(finer)us' draws one"
    }

    /// Plot bins: the summary's windows grouped so that a capture of any length gives
    /// at most about 300 points.
    var plotBinNs: Int64 {
        let span = max(summary.windowNs, Int64.span(from: summary.totals.startNs, to: summary.totals.endNs))
        let windows = span / summary.windowNs + 1
        return summary.windowNs * max(1, windows / 300 + 1)
    }

    /// Values per bin, keyed by bin start.
    func binned(_ windows: [FlowTimeSeries.Window], _ value: (FlowTimeSeries.Window) -> Int) -> [Int64: Int] {
        let bin = plotBinNs
        var bins: [Int64: Int] = [:]
        for window in windows {
            let start = window.startNs >= 0 ? window.startNs / bin * bin : (window.startNs - bin + 1) / bin * bin
            bins[start, default: 0] += value(window)
        }
        return bins
    }

    /// Request-carrying links (source host → destination host).
    var links: Set<String> {
        Set(summary.flows.filter { $0.requester != nil }.map { "\($0.key.source)→\($0.key.destination)" })
    }

    /// Throughput over time: one line per link while there are few; beyond a handful,
    /// a link × link table of mean rates instead (lines would be unreadable).
    func throughputChart() -> String {
        let bin = plotBinNs
        guard links.count <= plotted else { return linkHeatmap() }
        if let tooShortForSeries { return "<p class=\"empty\">Throughput over time: \(escape(tooShortForSeries)).</p>" }
        let axis = timeAxis
        var chart = SVGChart(title: "Throughput per \(Units.duration(bin)) bin, by link",
                             xLabel: axis.label, yLabel: "wire throughput (Gb/s)")
        var byLink: [String: [FlowTimeSeries.Window]] = [:]
        for flow in summary.flows where flow.requester != nil {
            byLink["\(flow.key.source)→\(flow.key.destination)", default: []] += flow.timeSeries?.windows ?? []
        }
        chart.series = byLink.sorted { $0.key < $1.key }.map { link, windows in
            let bins = binned(windows) { $0.wireBytes }
            return SVGChart.Series(name: link, points: bins.sorted { $0.key < $1.key }.map {
                (Double(Int64.span(from: origin, to: $0.key)) / axis.divisor, Double($0.value) * 8 / Double(bin))
            }, gapAbove: Double(bin) * 1.5 / axis.divisor)
        }
        // The axis in the unit the peak reads best in: a real capture's few Mb/s read
        // "8e-03 Gb/s" on a Gb/s axis.
        let peak = chart.series.flatMap(\.points).map(\.y).max() ?? 0
        let (unit, factor) = peak >= 1 ? ("Gb/s", 1.0) : peak >= 1e-3 ? ("Mb/s", 1e3) : ("kb/s", 1e6)
        if factor != 1 {
            chart.yLabel = "wire throughput (\(unit))"
            for index in chart.series.indices {
                chart.series[index].points = chart.series[index].points.map { ($0.x, $0.y * factor) }
            }
        }
        chart.allZeroMessage = "no traffic"
        return chart.render()
    }

    /// Mean wire throughput per (source host, destination host) over the capture, as
    /// a table shaded by rate: readable with hundreds of links, where lines are not.
    func linkHeatmap() -> String {
        var rate: [NodeAddress: [NodeAddress: Double]] = [:]
        let seconds = max(1e-9, Double(Int64.span(from: summary.totals.startNs, to: summary.totals.endNs)) / 1e9)
        for flow in summary.flows where flow.requester != nil {
            rate[flow.key.source, default: [:]][flow.key.destination, default: 0] += Double(flow.counters.wireBytes) * 8 / seconds
        }
        // Hosts in address order (10.0.0.2 before 10.0.0.10), not text order.
        let sources = rate.keys.sorted()
        let destinations = Set(rate.values.flatMap(\.keys)).sorted()
        let peak = rate.values.flatMap(\.values).max() ?? 1
        var html = "<p class=\"note\">\(links.count) links: mean wire throughput per link over the capture "
            + "(rows: source host, columns: destination host; darker is busier, blank is no traffic).</p>"
            + "<table class=\"heatmap\"><tr><th>src \\ dst</th>" + destinations.map { "<th>\(escape($0.description))</th>" }.joined() + "</tr>\n"
        for source in sources {
            html += "<tr><th>\(escape(source.description))</th>"
            for destination in destinations {
                if let value = rate[source]?[destination] {
                    let shade = Int(255 - 180 * value / max(peak, 1))
                    html += "<td style=\"background:rgb(\(shade),\(shade),255)\">\(escape(Units.bitRate(value)))</td>"
                } else {
                    html += "<td></td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    func congestionChart() -> String {
        var ce: [FlowTimeSeries.Window] = []
        for flow in summary.flows { ce += flow.timeSeries?.windows ?? [] }
        let bin = plotBinNs
        if let tooShortForSeries { return "<p class=\"empty\">Congestion over time: \(escape(tooShortForSeries)).</p>" }
        let axis = timeAxis
        var chart = SVGChart(title: "Congestion signals per \(Units.duration(bin)) bin",
                             xLabel: axis.label, yLabel: "packets")
        func points(_ counts: [Int64: Int]) -> [(x: Double, y: Double)] {
            counts.sorted { $0.key < $1.key }.map { (Double(Int64.span(from: origin, to: $0.key)) / axis.divisor, Double($0.value)) }
        }
        let gap = Double(bin) * 1.5 / axis.divisor
        let marks = binned(ce) { $0.cePackets }, cnps = binned(ce) { $0.cnpPackets }
        if marks.values.contains(where: { $0 > 0 }) { chart.series.append(SVGChart.Series(name: "CE-marked", points: points(marks), gapAbove: gap)) }
        if cnps.values.contains(where: { $0 > 0 }) { chart.series.append(SVGChart.Series(name: "CNPs", points: points(cnps), gapAbove: gap)) }
        let pfc = binned(summary.pauseTimeSeries?.windows ?? []) { $0.packets }
        if !pfc.isEmpty { chart.series.append(SVGChart.Series(name: "PFC frames", points: points(pfc), gapAbove: gap)) }
        guard !chart.series.isEmpty else {
            return "<p class=\"empty\">Congestion signals: no CE marks, no CNPs and no PFC frames in the capture.</p>"
        }
        chart.allZeroMessage = "no CE marks, CNPs or PFC frames"
        return chart.render()
    }

    /// The headline: the health checks' status in words ("fabric FAIL: 1 link"), the
    /// same checks `health` and `analyze -T json` give; the verdicts' worst level when
    /// there are no checks (no RDMA traffic).
    var headline: (level: Verdict.Level, text: String) {
        if let health = document.health {
            let level: Verdict.Level = health.status == .fail ? .bad : health.status == .warn ? .warn : .ok
            return (level, health.headline)
        }
        let order: [Verdict.Level] = [.bad, .warn, .ok, .info]
        let worst = order.first { level in verdicts.contains { $0.level == level } } ?? .info
        let topics = verdicts.filter { $0.level == worst }.map(\.topic)
        switch worst {
        case .bad, .warn: return (worst, "fabric \(worst.rawValue.uppercased()): " + topics.joined(separator: ", "))
        case .ok: return (.ok, "fabric OK")
        case .info: return (.info, "fabric: no verdict (too little traffic to judge)")
        }
    }

    /// The checks behind the headline that did not pass, worst first.
    func checksSection() -> String {
        guard let health = document.health else { return "" }
        let problems = health.checks.filter { $0.status != .ok }
        let all = health.passed + health.checks.count
        var html = "<h2>Checks (\(all - problems.count) of \(all) ok)</h2>\n"
        guard !problems.isEmpty else {
            return html + "<p>Every check against the default limits passed (docs/nightly.md lists them).</p>\n"
        }
        html += "<table><tr><th>status</th><th>scope</th><th>check</th><th>what to do</th></tr>\n"
        for check in problems.prefix(40) {
            html += "<tr><td><b>\(check.status.rawValue.uppercased())</b></td><td>\(escape(check.scopeName))</td>"
                + "<td>\(escape(check.name))</td><td style=\"text-align:left\">\(escape(check.message))</td></tr>\n"
        }
        if problems.count > 40 { html += "<tr><td colspan=\"4\">… \(problems.count - 40) more (analyze -T json)</td></tr>\n" }
        return html + "</table>\n"
    }

    public func html() -> String {
        let capture = document.capture
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>FabricScope report</title>
            <style>
            body{font-family:sans-serif;max-width:1100px;margin:24px auto;color:#222;line-height:1.4}
            h1{font-size:24px} h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            table{border-collapse:collapse;font-size:13px} td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
            td:first-child,th:first-child,td:nth-child(2),th:nth-child(2){text-align:left}
            .verdict{padding:6px 10px;margin:4px 0;border-left:5px solid #999;background:#fafafa}
            .ok{border-color:#2ca02c}.warn{border-color:#ff9800}.bad{border-color:#d62728}.info{border-color:#1f77b4}
            .note{color:#555;font-size:13px} svg{margin:8px 0} .headline{font-size:18px}
            .heatmap td{text-align:center;min-width:70px} .empty{color:#555;font-style:italic}
            </style></head><body>
            <h1>FabricScope report</h1>
            <p>\(capture.packets) packets (\(capture.rocePackets) RoCE/IB) in \(capture.files.count) file(s): \
            \(escape(capture.files.map(\.path).joined(separator: ", "))); link \(capture.linkTypes.joined(separator: ", ")); \
            timestamps \(Units.resolution(capture.timestampResolutionNs)).</p>
            <div class="verdict \(headline.level.rawValue) headline"><b>\(escape(headline.text))</b></div>

            """
        page += checksSection() + "<h2>Summary</h2>\n"
        for verdict in verdicts {
            page += "<div class=\"verdict \(verdict.level.rawValue)\"><b>[\(verdict.level.rawValue.uppercased())] "
                + "\(escape(verdict.topic)):</b> \(escape(verdict.text))</div>\n"
        }
        for warning in capture.warnings { page += "<div class=\"verdict warn\"><b>Input:</b> \(escape(warning))</div>\n" }
        page += "<h2>Flows</h2>\n" + flowTable()
        page += "<h2>Latency</h2>\n" + percentileChart() + "\n" + cdfChart() + "\n"
        page += "<h2>Throughput</h2>\n" + throughputChart() + "\n"
        page += "<h2>Congestion</h2>\n" + congestionChart() + "\n" + pfcTable()
        if let switches = document.switches, !switches.isEmpty { page += "<h2>Switches</h2>\n" + switchTable(switches) }
        page += "<h2 id=\"collective\">Collective model</h2>\n" + collectiveSection()
        page += "<h2>Limits</h2>\n<ul class=\"note\">" + document.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        return page + "</body></html>\n"
    }

    func flowTable() -> String {
        var html = "<table><tr><th>src</th><th>dst</th><th>QP</th><th>packets</th><th>wire</th><th>mean</th>"
            + "<th>ACK p50</th><th>p99</th><th>p99.9</th><th>retx</th><th>NAK</th><th>CNP</th><th>CE</th></tr>\n"
        for flow in document.flows.prefix(40) {
            let latency = flow.ackLatencyNs
            let cells = [
                flow.src, flow.dst, "0x" + String(flow.destQP, radix: 16), String(flow.packets),
                Units.bytes(flow.wireBytes), Units.bitRate(flow.throughputBps.mean),
                latency.map { Units.duration($0.p50) } ?? "–", latency.map { Units.duration($0.p99) } ?? "–",
                latency.map { Units.duration($0.p999) } ?? "–",
                flow.requester.map { String($0.retransmittedPackets) } ?? "–",
                String(flow.naks.values.reduce(0, +)), String(flow.cnpPackets),
                Units.percent(flow.ecn.cePackets, of: flow.ecn.ectPackets),
            ]
            html += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        if document.flows.count > 40 { html += "<tr><td colspan=\"13\">… \(document.flows.count - 40) more</td></tr>\n" }
        return html + "</table>\n"
    }

    /// With `--topology`: each switch's figures pooled over the links through it
    /// (ports are in the JSON), as the table under `analyze`'s flows shows them.
    func switchTable(_ switches: [AnalysisDocument.SwitchEntry]) -> String {
        var html = "<table><tr><th class=\"text\">switch</th><th>links</th><th>bytes</th><th>CE-marked</th><th>retransmitted</th>"
            + "<th>ACK p99</th><th>PFC paused</th></tr>\n"
        for entry in switches where entry.kind == "switch" {
            let share = { (value: Double?) -> String in value.map { Units.fixed($0 * 100, digits: 2) + " %" } ?? "–" }
            let p99: String = entry.ackLatencyNs?.p99.map { Units.duration(Int64($0)) } ?? "–"
            let cells: [String] = [String(entry.links), Units.bytes(entry.wireBytes), share(entry.ceFraction),
                                   share(entry.retransmittedFraction), p99, share(entry.pfcPausedFraction)]
            html += "<tr><td class=\"text\">\(escape(entry.name))</td>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    func pfcTable() -> String {
        guard !document.pfc.isEmpty else { return "<p class=\"note\">No PFC frames in the capture.</p>\n" }
        var html = "<table><tr><th>from</th><th>priority</th><th>XOFF</th><th>XON</th><th>paused</th><th>longest</th>"
            + "<th>per second</th><th>storms</th></tr>\n"
        for entry in document.pfc {
            let cells = [entry.sourceMAC, String(entry.priority), String(entry.xoffFrames), String(entry.xonFrames),
                         Units.duration(entry.pausedNs), Units.duration(entry.longestPauseNs),
                         entry.pauseNsPerSecond.map { Units.duration(Int64($0)) + "/s" } ?? "–", String(entry.storms.count)]
            html += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    func collectiveSection() -> String {
        let groups = (document.otherCollectives ?? []).map { "<p>" + escape(String($0.line.dropLast())) + "</p>"
            + "<ul class=\"note\">" + $0.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n" }.joined()
        guard !document.collectives.isEmpty else {
            return "<p class=\"note\">No ring collective found (no set of hosts each writing to one successor with "
                + "similar byte counts). <code>fabricscope model</code> plans one from the measured link.</p>\n" + groups
        }
        var html = ""
        for ring in document.collectives {
            html += "<p>\(escape(ring.kindWords.prefix(1).uppercased() + ring.kindWords.dropFirst())) over <b>\(ring.ranks)</b> ranks: \(escape(ring.hostPath)) → "
                + "\(escape(ring.hosts.first ?? "")).</p><table>"
            var rows: [(String, String)] = [
                ("bytes per rank", Units.bytes(ring.bytesPerRank)),
                ("iterations", ring.uncertaintyWords.map { "uncertain: " + $0 } ?? String(ring.iterations)),
                ("inferred size (per iteration)", ring.iterationsCertain ? ring.inferredSizeBytes.map { Units.bytes(Int($0)) } ?? "-" : "-"),
                ("measured per iteration", ring.iterationsCertain ? Units.duration(ring.measuredIterationNs ?? ring.measuredNs) : "-"),
                ("measured, whole capture", Units.duration(ring.measuredNs)),
            ]
            if let latency = ring.modelLatencyNs, let bandwidth = ring.modelBandwidthBps {
                rows.append(("model link", "α \(Units.duration(Int64(latency))), B \(Units.bitRate(bandwidth))"))
            }
            if let predicted = ring.predictedNs { rows.append(("model, no jitter", Units.duration(Int64(predicted)))) }
            if let predicted = ring.predictedWithJitterNs { rows.append(("model, measured jitter", Units.duration(Int64(predicted)))) }
            if let efficiency = ring.efficiency {
                rows.append(("efficiency", Units.fixed(efficiency * 100, digits: 1) + " %"
                    + (ring.efficiencyProblem.map { " (" + $0 + ")" } ?? "")))
            }
            if let slow = ring.straggler {
                var straggler = "\(slow.src) → \(slow.dst) (\(slow.reason)"
                if let rate = slow.inMessageBps { straggler += ", \(Units.bitRate(rate))" }
                rows.append(("straggler", straggler + ")"))
            } else {
                rows.append(("straggler", "none: the links are even"))
            }
            if let slow = ring.predictedAtStragglerNs { rows.append(("model at the straggler's rate", Units.duration(Int64(slow)))) }
            html += rows.map { "<tr><td>\(escape($0.0))</td><td>\(escape($0.1))</td></tr>" }.joined(separator: "\n")
            html += "</table>"
            if let phases = ring.phases, phases.count > 1 || !ring.iterationsCertain {
                html += "<p>Busy periods (nccl-tests' sizes): busbw is the bytes each rank sent ÷ the period, whatever the "
                    + "iterations in it.</p><table><tr><th>period</th><th>start</th><th>duration</th><th>bytes/rank</th>"
                    + "<th>algbw</th><th>busbw</th><th>slowest link</th></tr>\n"
                let start = phases.first?.startNs ?? 0
                for (index, phase) in phases.enumerated() {
                    let cells = [String(index + 1), "+" + Units.duration(phase.startNs - start), Units.duration(phase.durationNs),
                                 Units.bytes(phase.bytesPerRank), phase.algbwBps.map(Units.bitRate) ?? "-",
                                 Units.bitRate(phase.busbwBps),
                                 phase.linksEven ? "even" : "\(phase.slowestLink) \(Units.bitRate(phase.slowestLinkBps))"]
                    html += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
                }
                html += "</table>"
            }
            html += "<ul class=\"note\">" + ring.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        return html + groups
    }

    /// The same report as Markdown: verdicts, flows, PFC, collectives, limits (the
    /// plots are in the HTML version).
    public func markdown() -> String {
        let capture = document.capture
        var text = "# FabricScope report\n\n\(capture.packets) packets (\(capture.rocePackets) RoCE/IB) from "
            + capture.files.map { "`\($0.path)`" }.joined(separator: ", ")
            + "; timestamps \(Units.resolution(capture.timestampResolutionNs)).\n\n## Summary\n\n"
        for verdict in verdicts { text += "- **\(verdict.topic)** (\(verdict.level.rawValue)): \(verdict.text)\n" }
        for warning in capture.warnings { text += "- **Input** (warn): \(warning)\n" }
        text += "\n## Flows\n\n| src | dst | QP | packets | wire | ACK p50 | p99 | p99.9 | retx | NAK | CNP | CE |\n"
            + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for flow in document.flows.prefix(40) {
            let latency = flow.ackLatencyNs
            text += "| \(flow.src) | \(flow.dst) | 0x\(String(flow.destQP, radix: 16)) | \(flow.packets) | "
                + "\(Units.bytes(flow.wireBytes)) | \(latency.map { Units.duration($0.p50) } ?? "–") | "
                + "\(latency.map { Units.duration($0.p99) } ?? "–") | \(latency.map { Units.duration($0.p999) } ?? "–") | "
                + "\(flow.requester.map { String($0.retransmittedPackets) } ?? "–") | \(flow.naks.values.reduce(0, +)) | "
                + "\(flow.cnpPackets) | \(Units.percent(flow.ecn.cePackets, of: flow.ecn.ectPackets)) |\n"
        }
        if !document.pfc.isEmpty {
            text += "\n## PFC\n\n| from | priority | paused | longest | storms |\n|---|---:|---:|---:|---:|\n"
            for entry in document.pfc {
                text += "| \(entry.sourceMAC) | \(entry.priority) | \(Units.duration(entry.pausedNs)) | "
                    + "\(Units.duration(entry.longestPauseNs)) | \(entry.storms.count) |\n"
            }
        }
        text += "\n## Collective model\n\n"
        if document.collectives.isEmpty { text += "No ring collective found in the capture.\n" }
        for ring in document.collectives {
            text += "- \(ring.kindWords.prefix(1).uppercased() + ring.kindWords.dropFirst()) over \(ring.ranks) ranks "
                + "(\(ring.hostPath)), "
                + "\(ring.iterations) iteration(s) of ≈ \(Units.bytes(Int(ring.inferredSizeBytes ?? 0))), "
                + "\(Units.duration(ring.measuredIterationNs ?? ring.measuredNs)) each"
            if let predicted = ring.predictedWithJitterNs, let efficiency = ring.efficiency {
                text += "; model \(Units.duration(Int64(predicted))), efficiency \(Units.fixed(efficiency * 100, digits: 1)) %"
            }
            text += ring.straggler.map { "; straggler \($0.src) → \($0.dst) (\($0.reason)).\n" } ?? "; links even, no straggler.\n"
            if let problem = ring.efficiencyProblem { text += "  - \(problem)\n" }
        }
        text += "\n## Limits\n\n" + document.notes.map { "- \($0)\n" }.joined()
        return text + "\nPlots: see the HTML version of this report.\n"
    }
}
