import FabricModels
import FabricMetrics
import FabricCompare
import FabricHealth

/// One line of the report's summary: what the numbers say, and how worried to be.
public struct Verdict: Sendable, Equatable {
    public enum Level: String, Sendable, Comparable {
        case ok, info, warn, bad

        private var rank: Int { [.ok: 0, .info: 0, .warn: 1, .bad: 2][self]! }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    public var level: Level
    public var topic: String
    public var text: String

    /// Samples a flow needs before its p99 (not its maximum) is judged.
    static let tailSamples = 100
    /// Timestamp ticks the median must span before a p99/p50 ratio means anything.
    static let tailTicks = 10.0

    /// The worst status of the document's health checks on these metrics, as a level:
    /// a summary line is never milder than the checks table beside it (the page once
    /// said "[WARN] PFC" above "FAIL pfc_paused_fraction").
    static func healthLevel(_ document: AnalysisDocument, _ metrics: [MetricDefinition]) -> Level {
        let statuses = (document.health?.checks ?? []).filter { check in
            metrics.contains { check.name == "threshold/" + $0.name || check.name == $0.name }
        }.map(\.status)
        return statuses.contains(.fail) ? .bad : statuses.contains(.warn) ? .warn : .ok
    }

    /// The verdicts for a document, in the order a reader should see them.
    public static func verdicts(for document: AnalysisDocument) -> [Verdict] {
        var verdicts: [Verdict] = []
        // Tails: the flow whose p99 is furthest from its median. A p99 is only a p99 with
        // at least 100 samples (below that it is the maximum, one outlier), and a ratio to
        // a median of a few timestamp ticks measures the clock, not the tail.
        let resolution = document.capture.timestampResolutionNs
        let tails = document.flows.compactMap { flow -> (AnalysisDocument.FlowEntry, Double)? in
            guard let latency = flow.ackLatencyNs, latency.count >= Verdict.tailSamples,
                  Double(latency.p50) >= Verdict.tailTicks * resolution, latency.p50 > 0 else { return nil }
            return (flow, Double(latency.p99) / Double(latency.p50))
        }
        if let (flow, ratio) = tails.max(by: { $0.1 < $1.1 }), let latency = flow.ackLatencyNs {
            verdicts.append(Verdict(
                level: ratio >= 3 ? .bad : ratio >= 1.5 ? .warn : .ok, topic: "Tail latency",
                text: "worst tail: \(flow.src) → \(flow.dst) QP 0x\(String(flow.destQP, radix: 16)) has p99 "
                    + "\(Units.duration(latency.p99)), \(Units.fixed(ratio, digits: 1))× its median "
                    + "(\(Units.duration(latency.p50))) over \(latency.count) request→ACK samples"))
        } else {
            verdicts.append(Verdict(level: .info, topic: "Tail latency",
                                    text: "no flow has \(Verdict.tailSamples) request→ACK samples with a median of at least "
                                        + "\(Int(Verdict.tailTicks)) timestamp ticks "
                                        + "(\(Units.resolution(Verdict.tailTicks * resolution))): no tail to judge"))
        }
        // Loss and congestion, judged per link (source host → destination host, all
        // its QPs together) and headlined by the worst link: pooled over a fleet, one
        // bad link would fade into a "warn" as more healthy traffic is merged in.
        let links = LinkTotals.of(document)
        let lossy = links.filter { $0.requestPackets > 0 }
        if let worst = lossy.max(by: { $0.retransmittedShare < $1.retransmittedShare }) {
            // The health check's default limits on the same per-link share, so that the
            // report's summary and its health section never disagree about a link.
            let limit = HealthConfig.defaultThresholds[CompareMetric.retransmittedFraction.rawValue]!
            func level(_ share: Double) -> Level {
                share > limit.fail ?? .infinity ? .bad : share > limit.warn ?? .infinity ? .warn : .ok
            }
            let bad = lossy.filter { level($0.retransmittedShare) == .bad }.count
            let warn = lossy.filter { level($0.retransmittedShare) == .warn }.count
            var causes: [String: Int] = [:]
            for cause in worst.episodeCauses { causes[cause, default: 0] += 1 }
            let causeText = causes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            let pooledRetransmitted = lossy.reduce(0) { $0 + $1.retransmitted }
            let pooledRequests = lossy.reduce(0) { $0 + $1.requestPackets }
            verdicts.append(Verdict(
                level: max(level(worst.retransmittedShare), healthLevel(document, [Metrics.retransmittedFraction, Metrics.nakRate])),
                topic: "Loss",
                text: "worst link \(worst.src) → \(worst.dst): \(worst.retransmitted) of \(worst.requestPackets) request "
                    + "packets retransmitted (\(Units.fixed(worst.retransmittedShare * 100, digits: 3)) %)"
                    + (causeText.isEmpty ? "" : "; go-back-N episodes: " + causeText)
                    + "; \(bad) link(s) bad, \(warn) warn of \(lossy.count); all links together "
                    + "\(Units.percent(pooledRetransmitted, of: pooledRequests))"))
        }
        let marked = links.filter { $0.ectPackets > 0 }
        if let worst = marked.max(by: { $0.ceShare < $1.ceShare }) {
            let over = marked.filter { $0.ceShare > 0.05 }.count
            verdicts.append(Verdict(
                level: max(worst.ceShare > 0.05 ? .warn : .ok, healthLevel(document, [Metrics.ceFraction, Metrics.cnpRate])), topic: "ECN",
                text: "worst link \(worst.src) → \(worst.dst): \(Units.fixed(worst.ceShare * 100, digits: 2)) % of "
                    + "ECN-capable packets marked CE, \(worst.cnpPackets) CNPs answering it; \(over) of \(marked.count) "
                    + "link(s) above 5 %"))
        }
        let storms = document.pfc.reduce(0) { $0 + $1.storms.count }
        let worstPause = document.pfc.max { ($0.pauseNsPerSecond ?? 0) < ($1.pauseNsPerSecond ?? 0) }
        if let worstPause {
            let perSecond = worstPause.pauseNsPerSecond ?? 0
            verdicts.append(Verdict(
                level: max(storms > 0 ? .bad : perSecond > 10_000_000 ? .warn : .ok,
                           healthLevel(document, [Metrics.pfcPausedFraction, Metrics.pfcStorms])), topic: "PFC",
                text: "\(document.pfc.count) paused link/priority pairs; most paused: \(worstPause.sourceMAC) priority "
                    + "\(worstPause.priority), \(Units.duration(Int64(perSecond)))/s paused, longest "
                    + "\(Units.duration(worstPause.longestPauseNs)); \(storms) storm(s)"))
        }
        for ring in document.collectives {
            var text = ring.uncertaintyWords.map {
                "\(ring.kindWords) over \(ring.ranks) ranks, iteration count uncertain (\($0)): "
                    + "\(Units.bytes(ring.bytesPerRank)) per rank in \(Units.duration(ring.measuredNs)); no efficiency judged"
            } ?? "\(ring.kindWords) over \(ring.ranks) ranks, \(ring.iterations) iteration(s) of ≈ "
                + "\(Units.bytes(Int(ring.inferredSizeBytes ?? 0))) in \(Units.duration(ring.measuredIterationNs ?? ring.measuredNs)) each"
            if let efficiency = ring.efficiency {
                text += "; the model explains \(Units.fixed(efficiency * 100, digits: 1)) % of that time"
            }
            text += ring.straggler.map { "; straggler \($0.src) → \($0.dst) (\($0.reason))" } ?? "; links even, no straggler"
            var level: Level = (ring.efficiency ?? 1) < 0.5 ? .warn : .ok
            if let problem = ring.efficiencyProblem {
                text += ". " + problem
                level = .warn
            }
            if !ring.iterationsCertain { level = .warn }
            verdicts.append(Verdict(level: level, topic: "Collective", text: text))
        }
        if document.capture.timestampResolutionNs > 1 {
            verdicts.append(Verdict(
                level: .info, topic: "Timestamps",
                text: "resolution \(Units.resolution(document.capture.timestampResolutionNs)): nothing shorter "
                    + "is measured, whatever the digits say"))
        }
        return verdicts
    }
}
