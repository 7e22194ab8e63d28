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
        chart.xTicks = [(1, "0%"), (2, "50%"), (10, "90%"), (100, "99%"), (1000, "99.9%"), (10000, "99.99%")]
        chart.series = latencyFlows.map { flow in
            let latency = flow.requester!.ackLatency
            let values = latency.values(atPercentiles: percentiles)
            return SVGChart.Series(name: "\(flow.key.source)→\(flow.key.destination)", points: zip(percentiles, values).map {
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

    var origin: Int64 { summary.totals.startNs }

    func throughputChart() -> String {
        var chart = SVGChart(title: "Throughput per \(Units.duration(summary.windowNs)) window",
                             xLabel: "time since capture start (ms)", yLabel: "wire throughput (Gb/s)")
        let busiest = summary.flows.sorted { ($0.counters.wireBytes, $1.key) > ($1.counters.wireBytes, $0.key) }
            .prefix(plotted)
        chart.series = busiest.compactMap { flow in
            guard let series = flow.timeSeries else { return nil }
            return SVGChart.Series(name: "\(flow.key.source)→\(flow.key.destination)", points: series.windows.map {
                (Double($0.startNs - origin) / 1e6, Double($0.wireBytes) * 8 / Double(series.windowNs))
            })
        }
        return chart.render()
    }

    func congestionChart() -> String {
        var ce: [Int64: Int] = [:], cnp: [Int64: Int] = [:]
        for flow in summary.flows {
            for window in flow.timeSeries?.windows ?? [] {
                ce[window.startNs, default: 0] += window.cePackets
                cnp[window.startNs, default: 0] += window.cnpPackets
            }
        }
        var chart = SVGChart(title: "Congestion signals per \(Units.duration(summary.windowNs)) window",
                             xLabel: "time since capture start (ms)", yLabel: "packets")
        func points(_ counts: [Int64: Int]) -> [(x: Double, y: Double)] {
            counts.sorted { $0.key < $1.key }.map { (Double($0.key - origin) / 1e6, Double($0.value)) }
        }
        var pfc: [Int64: Int] = [:]
        for window in summary.pauseTimeSeries?.windows ?? [] { pfc[window.startNs] = window.packets }
        chart.series = [SVGChart.Series(name: "CE-marked", points: points(ce)),
                        SVGChart.Series(name: "CNPs", points: points(cnp))]
        if !pfc.isEmpty { chart.series.append(SVGChart.Series(name: "PFC frames", points: points(pfc))) }
        return chart.render()
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
            .note{color:#555;font-size:13px} svg{margin:8px 0}
            </style></head><body>
            <h1>FabricScope report</h1>
            <p>\(capture.packets) packets (\(capture.rocePackets) RoCE/IB) in \(capture.files.count) file(s): \
            \(escape(capture.files.map(\.path).joined(separator: ", "))); link \(capture.linkTypes.joined(separator: ", ")); \
            timestamps \(AnalysisDocument.formatNs(capture.timestampResolutionNs)).</p>
            <h2>Summary</h2>

            """
        for verdict in verdicts {
            page += "<div class=\"verdict \(verdict.level.rawValue)\"><b>\(escape(verdict.topic)):</b> \(escape(verdict.text))</div>\n"
        }
        for warning in capture.warnings { page += "<div class=\"verdict warn\"><b>Input:</b> \(escape(warning))</div>\n" }
        page += "<h2>Flows</h2>\n" + flowTable()
        page += "<h2>Latency</h2>\n" + percentileChart() + "\n" + cdfChart() + "\n"
        page += "<h2>Throughput</h2>\n" + throughputChart() + "\n"
        page += "<h2>Congestion</h2>\n" + congestionChart() + "\n" + pfcTable()
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
        guard !document.collectives.isEmpty else {
            return "<p class=\"note\">No ring collective found (no set of hosts each writing to one successor with "
                + "similar byte counts). <code>fabricscope model</code> plans one from the measured link.</p>\n"
        }
        var html = ""
        for ring in document.collectives {
            html += "<p>Ring all-reduce over <b>\(ring.ranks)</b> ranks: \(escape(ring.hosts.joined(separator: " → "))) → "
                + "\(escape(ring.hosts.first ?? "")).</p><table>"
            var rows: [(String, String)] = [
                ("bytes per rank", Units.bytes(ring.bytesPerRank)),
                ("iterations", String(ring.iterations)),
                ("inferred all-reduce size (per iteration)", Units.bytes(Int(ring.inferredAllreduceBytes))),
                ("measured per iteration", Units.duration(ring.measuredIterationNs ?? ring.measuredNs)),
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
            html += "</table><ul class=\"note\">" + ring.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        return html
    }

    /// The same report as Markdown: verdicts, flows, PFC, collectives, limits (the
    /// plots are in the HTML version).
    public func markdown() -> String {
        let capture = document.capture
        var text = "# FabricScope report\n\n\(capture.packets) packets (\(capture.rocePackets) RoCE/IB) from "
            + capture.files.map { "`\($0.path)`" }.joined(separator: ", ")
            + "; timestamps \(AnalysisDocument.formatNs(capture.timestampResolutionNs)).\n\n## Summary\n\n"
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
            text += "- Ring all-reduce over \(ring.ranks) ranks (\(ring.hosts.joined(separator: " → "))), "
                + "\(ring.iterations) iteration(s) of ≈ \(Units.bytes(Int(ring.inferredAllreduceBytes))), "
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
