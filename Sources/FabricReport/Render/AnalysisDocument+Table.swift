extension AnalysisDocument {
    /// Orders for the table, largest or worst first.
    public enum FlowOrder: String, CaseIterable, Sendable {
        case bytes, packets, p99, retx, naks

        func key(_ flow: FlowEntry) -> Double {
            switch self {
            case .bytes: return Double(flow.wireBytes)
            case .packets: return Double(flow.packets)
            case .p99: return Double(flow.ackLatencyNs?.p99 ?? -1)
            case .retx: return Double(flow.requester?.retransmittedPackets ?? -1)
            case .naks: return Double(flow.naks.values.reduce(0, +))
            }
        }
    }

    /// The flows in `order` (ties keep the document's order), at most `limit` of them.
    public func flows(orderedBy order: FlowOrder, limit: Int? = nil) -> [FlowEntry] {
        let sorted = order == .bytes ? flows : flows.enumerated().sorted {
            (order.key($0.element), -$0.offset) > (order.key($1.element), -$1.offset)
        }.map(\.element)
        return limit.map { Array(sorted.prefix($0)) } ?? sorted
    }

    /// The same document with only its first `limit` flows in `order`, and its first
    /// `limit` QoS hosts and ECMP host pairs (`keepingFirst` of each section), for JSON
    /// and CSV, with a note for each list saying how many were left out; totals and
    /// findings still cover them all.
    public func keepingFirst(_ limit: Int?, flowsOrderedBy order: FlowOrder) -> AnalysisDocument {
        let listed = deferredEntries?.count ?? flows.count
        precondition(flowsWithoutEntries == 0 || (order == .bytes && limit.map { $0 >= listed } == true),
                     "a document built with listingFirst lists its largest flows by bytes only")
        precondition(deferredEntries == nil || order == .bytes, "deferred entries are in the order of bytes")
        var copy = self
        if deferredEntries != nil {
            if let limit { copy.deferredEntries!.order = Array(deferredEntries!.order.prefix(limit)) }
        } else {
            copy.flows = flows(orderedBy: order, limit: limit)
        }
        let total = listed + flowsWithoutEntries
        if let limit, total > limit {
            copy.notes.append("Only the first \(limit) of \(total) flows (by \(order.rawValue)) are listed "
                + "(--top); the capture totals cover all of them.")
        }
        copy.flowsWithoutEntries = 0
        guard let limit else { return copy }
        copy.ecmp = ecmp?.keepingFirst(limit)
        if let ecmp = copy.ecmp, ecmp.hostPairsLeftOut > 0 {
            copy.notes.append("Only \(limit) of \(ecmp.hostPairs.count + ecmp.hostPairsLeftOut) host pairs are listed in "
                + "ecmp.host_pairs (--top): those with the most wire bytes; the ECMP findings cover all of them.")
        }
        copy.qos = qos?.keepingFirst(limit)
        if let qos = copy.qos, qos.hostsLeftOut > 0 {
            copy.notes.append("Only \(limit) of \(qos.hosts.count + qos.hostsLeftOut) hosts are listed in qos.hosts (--top): "
                + "those a finding names first, then by address; the QoS findings cover all of them.")
        }
        return copy
    }

    /// The default view: one line per flow, then totals, PFC and the notes and
    /// warnings that qualify the numbers. Latency columns are request→ACK at the
    /// tap; values below the timestamp resolution show as "<resolution".
    public func tableText(limit: Int? = nil, order: FlowOrder = .bytes) -> String {
        precondition(flowsWithoutEntries == 0 && deferredEntries == nil, "the table's totals need every flow's entry")
        let columns = MetricCatalog.tableOrder
        let header = ["SRC", "DST", "QP"] + columns.map { $0.tableColumn ?? $0.name }
        let shown = flows(orderedBy: order, limit: limit)
        var rows = shown.map { flow in
            [flow.src, flow.dst, "0x" + String(flow.destQP, radix: 16)] + columns.map { cell($0, $0.value(flow)) }
        }
        // Totals where they add up from the flows (counters, shares); blank for rates and percentiles.
        rows.append(["TOTAL", "\(flows.count) flows", ""] + columns.map { metric in
            metric.linkAggregation == .sum || metric.linkAggregation == .ratioOfSums
                ? cell(metric, metric.combined(flows)) : ""
        })
        var text = captureLine() + "\n\n" + AnalysisDocument.align([header] + rows, separatorBefore: rows.count)
        if let limit, flows.count > limit { text += "(\(flows.count - limit) more flows not shown)\n" }
        let episodes = flows.compactMap(\.requester).flatMap(\.retransmissionEpisodes)
        if !episodes.isEmpty { text += "\n" + episodeSummary(episodes) }
        if !pfc.isEmpty { text += "\n" + pfcTable() }
        if let taps { text += "\n" + tapTable(taps) }
        for ring in collectives { text += "\n" + ringSummary(ring) }
        for group in otherCollectives ?? [] { text += "\n" + group.line }
        if qos != nil || ecmp != nil { text += "\n" + classLines() }
        if let switches, switches.contains(where: { $0.kind == "switch" }) { text += "\n" + switchTable(switches) }
        if let health { text += "\n" + healthLines(health) }
        for note in notes { text += "\nnote: " + note }
        for warning in capture.warnings { text += "\nwarning: " + warning }
        return text + "\n"
    }

    /// What the headers say about the fabric's configuration: the classes RoCE
    /// travelled in and how far ECMP could spread its QPs (findings are in the health
    /// lines below).
    private func classLines() -> String {
        var text = ""
        if let qos {
            let observed = "DSCP " + qos.data.dscpValues.map(String.init).joined(separator: ", ")
                + (qos.data.priorityValues.isEmpty ? "" : ", priority " + qos.data.priorityValues.map(String.init).joined(separator: ", "))
                + (qos.data.untagged ? (qos.data.priorityValues.isEmpty ? " (untagged)" : " and untagged") : "")
            text += "classes: RoCE data on \(observed)"
            if let cnps = qos.cnps {
                text += "; CNPs on DSCP " + cnps.dscpValues.map(String.init).joined(separator: ", ")
                    + (cnps.priorityValues.isEmpty ? "" : ", priority " + cnps.priorityValues.map(String.init).joined(separator: ", "))
            }
            if !qos.pausedPriorities.isEmpty {
                text += "; PFC paused priority " + qos.pausedPriorities.map(String.init).joined(separator: ", ")
                if qos.data.untagged { text += "; untagged RoCE's priority is not in the capture, so whether PFC protects it is not judged" }
            }
            text += qos.intent == nil ? " (no --qos declared)\n" : " (against --qos)\n"
        }
        if let ecmp {
            let several = ecmp.hostPairs.filter { $0.qps >= 2 }
            text += "ECMP: \(ecmp.qps) request QP(s) over \(ecmp.hostPairs.count) host pair(s), \(ecmp.distinctSourcePorts) distinct UDP source port(s)"
            if !several.isEmpty {
                let effective = several.map(\.effectivePorts).min() ?? 0
                text += "; pairs with several QPs: \(several.count), fewest effective ports \(String(format: "%.1f", effective))"
            }
            text += "\n"
        }
        return text
    }

    /// The health verdict under the table: the headline against the default limits,
    /// and the checks that warn or fail, worst first (ten at most; `-T json` and
    /// `fabricscope health` have them all).
    private func healthLines(_ health: HealthSection) -> String {
        var text = "health: \(health.headline) (default limits; `fabricscope health` also judges against earlier nights)\n"
        let shown = health.checks.prefix(AnalysisDocument.listedChecks)
        if !shown.isEmpty {
            text += AnalysisDocument.align(
                shown.map { [$0.status.rawValue.uppercased(), $0.scopeName, $0.name, $0.message] }, separatorBefore: nil,
                rightAlignFrom: 4)
        }
        if health.checks.count > shown.count { text += "(\(health.checks.count - shown.count) more in -T json)\n" }
        return text
    }

    static let listedChecks = 10

    /// A metric's value as the table shows it: "-" when the flow has none.
    /// A metric's value as the table shows it: "-" when the flow has none, and a
    /// duration below the timestamp resolution as "<resolution".
    private func cell(_ metric: Metric, _ value: Double?) -> String {
        guard let value else { return "-" }
        if metric.unit == .nanoseconds, let whole = Units.whole(value) { return duration(whole) }
        return metric.definition.format(value, .cell)
    }

    private func duration(_ ns: Int64) -> String {
        if Double(ns) < capture.timestampResolutionNs, capture.timestampResolutionNs > 1 {
            return "<" + Units.resolution(capture.timestampResolutionNs).replacingOccurrences(of: " ", with: "")
        }
        return Units.duration(ns)
    }

    private func captureLine() -> String {
        let duration = (capture.endNs ?? 0) - (capture.startNs ?? 0)
        return "\(capture.packets) packets (\(capture.rocePackets) RoCE/IB, \(capture.otherPackets) other), "
            + "\(Units.bytes(capture.wireBytes)) in \(Units.fixed(Double(duration) / 1e9, digits: 6)) s; "
            + "link \(capture.linkTypes.joined(separator: ", ")); "
            + "timestamps \(Units.resolution(capture.timestampResolutionNs))"
            + (capture.files.contains { ($0.switchClockRecords ?? 0) > 0 } ? " (ERSPAN III switch clock)" : "")
    }

    private func episodeSummary(_ episodes: [RetransmissionEpisodeSummary]) -> String {
        var byCause: [String: (count: Int, packets: Int)] = [:]
        for episode in episodes {
            byCause[episode.cause.rawValue, default: (0, 0)].count += 1
            byCause[episode.cause.rawValue, default: (0, 0)].packets += episode.packets
        }
        let parts = byCause.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key) (\($0.value.packets) packets)" }
        return "retransmission episodes: " + parts.joined(separator: ", ") + "\n"
    }

    /// The switches the links cross (`--topology`), with the figures of those links
    /// pooled; ports are in the JSON (`switches`).
    private func switchTable(_ switches: [SwitchEntry]) -> String {
        let header = ["SWITCH", "LINKS", "BYTES", "CE", "RETX", "ACK P99", "PFC PAUSED"]
        let rows = switches.filter { $0.kind == "switch" }.map { entry in
            [entry.name, String(entry.links), Units.bytes(entry.wireBytes),
             entry.ceFraction.map { Units.fixed($0 * 100, digits: 2) + " %" } ?? "-",
             entry.retransmittedFraction.map { Units.fixed($0 * 100, digits: 2) + " %" } ?? "-",
             entry.ackLatencyNs?.p99.map { Units.duration(Int64($0)) } ?? "-",
             entry.pfcPausedFraction.map { Units.fixed($0 * 100, digits: 2) + " %" } ?? "-"]
        }
        return AnalysisDocument.align([header] + rows, separatorBefore: 1, rightAlignFrom: 1)
    }

    private func pfcTable() -> String {
        let header = ["PFC FROM", "PRIO", "XOFF", "XON", "PAUSED", "LONGEST", "PER SECOND", "STORMS"]
        let rows = pfc.map {
            [$0.sourceMAC, String($0.priority), String($0.xoffFrames), String($0.xonFrames),
             Units.duration($0.pausedNs), Units.duration($0.longestPauseNs),
             $0.pauseNsPerSecond.map { Units.duration(Int64($0)) + "/s" } ?? "-", String($0.storms.count)]
        }
        return AnalysisDocument.align([header] + rows, separatorBefore: nil)
    }

    private func ringSummary(_ ring: CollectiveEntry) -> String {
        var text = "\(ring.kindWords): \(ring.ranks) ranks (" + ring.hostPath + " → …), "
        if let reason = ring.uncertaintyWords {
            text += "iteration count uncertain (\(reason)): \(Units.bytes(ring.bytesPerRank)) per rank in "
                + Units.duration(ring.measuredNs)
        } else {
            text += "\(ring.iterations) iteration(s) of ≈ \(Units.bytes(Int(ring.inferredSizeBytes ?? 0))), "
                + "\(Units.duration(ring.measuredIterationNs ?? ring.measuredNs)) each"
        }
        if let predicted = ring.predictedWithJitterNs, let efficiency = ring.efficiency {
            text += "; model \(Units.duration(Int64(predicted))) → efficiency \(Units.fixed(efficiency * 100, digits: 1))%"
        }
        if let problem = ring.efficiencyProblem { text += "\n" + problem }
        if let straggler = ring.straggler {
            text += "\nstraggler: \(straggler.src) → \(straggler.dst) (\(straggler.reason)"
            if let rate = straggler.inMessageBps { text += ", \(Units.bitRate(rate))" }
            text += ")"
            if let slow = ring.predictedAtStragglerNs { text += "; at its rate the model gives \(Units.duration(Int64(slow)))" }
        } else {
            text += "\nno straggler: the links are even"
        }
        if let phases = ring.phases, phases.count > 1 || !ring.iterationsCertain {
            text += "\n" + AnalysisDocument.phaseTable(phases)
            return text
        }
        return text + "\n"
    }

    /// The busy periods as nccl-tests prints its sizes: bytes each rank sent, the time,
    /// algbw and busbw (which need no iteration count), and the slowest link.
    static func phaseTable(_ phases: [CollectiveEntry.Phase]) -> String {
        let header = ["PERIOD", "START", "DURATION", "BYTES/RANK", "ALGBW", "BUSBW", "SLOWEST LINK"]
        let start = phases.first?.startNs ?? 0
        let rows = phases.enumerated().map { index, phase in
            [String(index + 1), "+" + Units.duration(phase.startNs - start), Units.duration(phase.durationNs),
             Units.bytes(phase.bytesPerRank), phase.algbwBps.map(Units.bitRate) ?? "-", Units.bitRate(phase.busbwBps),
             phase.linksEven ? "even" : "\(phase.slowestLink) \(Units.bitRate(phase.slowestLinkBps))"]
        }
        return "busy periods (busbw: bytes each rank sent ÷ the period, whatever the iterations in it):\n"
            + AnalysisDocument.align([header] + rows, separatorBefore: nil)
    }

    private func tapTable(_ taps: TapsSection) -> String {
        // The title on its own line: as the first header cell it widened the SRC column
        // past its addresses (issue 28, row 13).
        let header = ["SRC", "DST", "QP", "FROM→TO", "N", "P50", "P99", "MAX", "IPDV P50", "IPDV P99"]
        let rows = taps.flows.map { flow -> [String] in
            let delay = flow.oneWayDelayNs, ipdv = flow.ipdvNs
            return [flow.src, flow.dst, "0x" + String(flow.destQP, radix: 16),
                    flow.fromTap == taps.files[0] ? "1→2" : "2→1", String(delay?.count ?? 0),
                    delay.map { duration($0.p50) } ?? "-", delay.map { duration($0.p99) } ?? "-",
                    delay.map { duration($0.max) } ?? "-", ipdv.map { duration($0.p50) } ?? "-",
                    ipdv.map { duration($0.p99) } ?? "-"]
        }
        var text = "taps: 1 = \(taps.files[0]), 2 = \(taps.files[1]); \(taps.matchedPackets) packets matched, "
            + "\(taps.unmatchedPackets[0]) seen only at 1, \(taps.unmatchedPackets[1]) only at 2\n"
        text += "delay from one tap to the other, per flow:\n" + AnalysisDocument.align([header] + rows, separatorBefore: nil)
        for note in taps.notes { text += "note: " + note + "\n" }
        return text
    }

    /// Left-aligns text columns and right-aligns numbers.
    static func align(_ rows: [[String]], separatorBefore: Int?, rightAlignFrom: Int = 2) -> String {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (index, row) in rows.enumerated() {
            if index == separatorBefore {
                text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
            let cells = row.enumerated().map { column, cell -> String in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < rightAlignFrom ? cell + pad : pad + cell
            }
            var line = cells.joined(separator: "  ")
            while line.last?.isWhitespace == true { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}

import FabricHealth
import Foundation
import FabricMetrics
import FabricStats
typealias RetransmissionEpisodeSummary = RetransmissionEpisode
