import FabricStats
import FabricCompare
import Foundation

/// One sentence per check that a person on call can act on.
enum HealthAdvice {
    static func format(_ value: Double, _ metric: CompareMetric) -> String {
        switch metric.unit {
        case .nanoseconds: return value >= 1e6 ? Printf.format("%.2f ms", value / 1e6)
            : value >= 1e3 ? Printf.format("%.2f µs", value / 1e3) : Printf.format("%.0f ns", value)
        case .bitsPerSecond: return Printf.format("%.1f Gb/s", value / 1e9)
        case .fraction: return Printf.format("%.3g %%", value * 100)
        case .perSecond: return Printf.format("%.3g/s", value)
        }
    }

    static func what(_ metric: CompareMetric) -> String {
        switch metric {
        case .ackLatencyP50: "median request→ACK latency"
        case .ackLatencyP99: "p99 request→ACK latency"
        case .ackLatencyP999: "p99.9 request→ACK latency"
        case .throughput: "throughput"
        case .goodput: "goodput"
        case .messageRate: "rate within messages"
        case .retransmittedFraction: "retransmitted share of requests"
        case .ceFraction: "CE-marked share of packets"
        case .cnpRate: "CNP rate"
        case .nakRate: "NAK rate"
        case .pfcPausedFraction: "PFC paused share of time"
        case .iterationTime: "collective iteration time"
        case .collectiveEfficiency: "collective efficiency"
        }
    }

    static func action(_ metric: CompareMetric) -> String {
        switch metric {
        case .ackLatencyP50, .ackLatencyP99, .ackLatencyP999:
            "look for congestion on this link (CE marks, CNPs, PFC) or a slow receiver"
        case .throughput, .goodput, .iterationTime:
            "check whether the job changed; if not, look for a straggler link or stalls"
        case .messageRate:
            "check the link's negotiated speed, FEC mode and error counters"
        case .retransmittedFraction, .nakRate:
            "retransmissions mean loss: check the link's error counters (FEC, CRC), optics and cabling, and PFC on the RDMA priority"
        case .ceFraction, .cnpRate:
            "queues are building: check the ECN thresholds and whether the link is oversubscribed"
        case .pfcPausedFraction:
            "find the port that pauses (the PFC table) and check its buffers and headroom"
        case .collectiveEfficiency:
            "the collective runs far below the model: look for a straggler link or timeout stalls"
        }
    }

    static func threshold(
        metric: CompareMetric, status: HealthReport.Status, value: Double, limit: Double?, scope: Scope,
        linkBitsPerSecond: Double
    ) -> String {
        let shown = metric == .messageRate ? Printf.format("%.0f %% of the %.0f Gb/s link", value * 100, linkBitsPerSecond / 1e9)
            : format(value, metric)
        let bound = limit.map { metric == .messageRate ? Printf.format("%.0f %%", $0 * 100) : format($0, metric) } ?? "-"
        let prefix = "\(scope.name): \(what(metric)) \(shown)"
        switch status {
        case .ok: return prefix + " (limit \(bound))."
        case .warn, .fail:
            let side = (metric == .messageRate || metric.better == .higher) ? "below" : "above"
            return prefix + " is \(side) the \(status == .fail ? "fail" : "warn") limit \(bound): " + action(metric) + "."
        }
    }

    static func baseline(
        metric: CompareMetric, status: HealthReport.Status, change: Double, value: Double, reference: Double, runs: Int,
        p: Double, significant: Bool, scope: Scope
    ) -> String {
        let direction = change >= 0 ? "above" : "below"
        let text = "\(what(metric)) \(format(value, metric)) is \(Printf.format("%.1f", abs(change) * 100)) % \(direction) "
            + "its baseline \(format(reference, metric)) (\(runs) runs, adjusted p=\(Printf.format("%.2g", p)))"
        switch status {
        case .ok:
            return text + (significant ? ": within the margin, or in the good direction." : ": not a significant change.")
        case .warn, .fail:
            let advice = action(metric)
            return (scope == .fabric ? "fabric: " : "\(scope.name): ") + text + ": "
                + (scope == .fabric ? advice.replacingOccurrences(of: "this link", with: "the links named in the other checks") : advice) + "."
        }
    }
}
