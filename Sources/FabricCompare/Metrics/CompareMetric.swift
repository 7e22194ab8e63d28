import FabricStats
import Foundation

/// A metric `compare` holds the two sides against, and which way is better.
public enum CompareMetric: String, CaseIterable, Sendable, Codable {
    case ackLatencyP50 = "ack_latency_p50_ns"
    case ackLatencyP99 = "ack_latency_p99_ns"
    case ackLatencyP999 = "ack_latency_p999_ns"
    case throughput = "throughput_bps"
    case goodput = "goodput_bps"
    case messageRate = "message_rate_bps"
    case retransmittedFraction = "retransmitted_fraction"
    case ceFraction = "ce_fraction"
    case cnpRate = "cnp_per_s"
    case nakRate = "nak_per_s"
    case pfcPausedFraction = "pfc_paused_fraction"
    case iterationTime = "iteration_time_ns"
    case collectiveEfficiency = "collective_efficiency"

    public enum Better: String, Sendable, Codable {
        case lower, higher
    }

    public var better: Better {
        switch self {
        case .throughput, .goodput, .messageRate, .collectiveEfficiency: .higher
        default: .lower
        }
    }

    /// How values are printed: a duration, a bit rate, a fraction or a rate per second.
    public enum Unit: Sendable {
        case nanoseconds, bitsPerSecond, fraction, perSecond
    }

    public var unit: Unit {
        switch self {
        case .ackLatencyP50, .ackLatencyP99, .ackLatencyP999, .iterationTime: .nanoseconds
        case .throughput, .goodput, .messageRate: .bitsPerSecond
        case .retransmittedFraction, .ceFraction, .pfcPausedFraction, .collectiveEfficiency: .fraction
        case .cnpRate, .nakRate: .perSecond
        }
    }

    /// Short name for tables.
    public var label: String {
        switch self {
        case .ackLatencyP50: "ACK p50"
        case .ackLatencyP99: "ACK p99"
        case .ackLatencyP999: "ACK p99.9"
        case .throughput: "throughput"
        case .goodput: "goodput"
        case .messageRate: "rate in msgs"
        case .retransmittedFraction: "retransmitted"
        case .ceFraction: "CE-marked"
        case .cnpRate: "CNP rate"
        case .nakRate: "NAK rate"
        case .pfcPausedFraction: "PFC paused"
        case .iterationTime: "iteration"
        case .collectiveEfficiency: "efficiency"
        }
    }

    /// Latency quantiles and the samples each needs on a side: below that the
    /// quantile is one of the few largest samples, and no test is meaningful.
    public var quantile: (q: Double, minimumSamples: Int)? {
        switch self {
        case .ackLatencyP50: (0.5, 20)
        case .ackLatencyP99: (0.99, 100)
        case .ackLatencyP999: (0.999, 1000)
        default: nil
        }
    }

    /// How far a value may be from the samples' own, relatively, however many there
    /// are: quantiles are read from sketch buckets (±0.54 %) of timestamps that
    /// tick at `resolutionNs` (the rate within messages is read from a gap quantile).
    func readError(of value: Double, resolutionNs: Double) -> Double {
        guard quantile != nil || self == .messageRate, value > 0 else { return 0 }
        let bucket = exp2(0.5 / Double(LogSketch.bucketsPerOctave)) - 1
        let gap = self == .messageRate ? nil as Double? : value
        return bucket + (gap.map { resolutionNs / $0 } ?? 0)
    }

    /// Metrics measured from the per-window traffic (the others come from the
    /// collective found in each run).
    static let traffic: [CompareMetric] = allCases.filter { $0 != .iterationTime && $0 != .collectiveEfficiency }

    /// The metric's value over pooled units; nil when the units cannot measure it.
    func value(of pooled: PooledTotals, resolutionNs: Double, scope: Scope) -> Double? {
        let t = pooled.totals
        let seconds = Double(t.durationNs) / 1e9
        switch self {
        case .ackLatencyP50, .ackLatencyP99, .ackLatencyP999:
            let (q, minimum) = quantile!
            guard pooled.ackLatency.total >= minimum else { return nil }
            return pooled.ackLatency.quantile(q)
        case .throughput:
            return seconds > 0 ? Double(t.wireBytes) * 8 / seconds : nil
        case .goodput:
            return seconds > 0 && t.requestPackets > 0 ? Double(t.goodputBytes) * 8 / seconds : nil
        case .messageRate:
            guard pooled.gaps.total >= 10, t.requestPackets > 0, let gap = pooled.gaps.quantile(0.5),
                  gap >= 10 * resolutionNs else { return nil }
            return Double(t.requestWireBytes) / Double(t.requestPackets) * 8e9 / gap
        case .retransmittedFraction:
            return t.requests > 0 ? Double(t.retransmittedPackets) / Double(t.requests) : nil
        case .ceFraction:
            return t.requestPackets > 0 ? Double(t.cePackets) / Double(t.packets) : nil
        case .cnpRate:
            return seconds > 0 && t.requestPackets > 0 ? Double(t.cnps) / seconds : nil
        case .nakRate:
            return seconds > 0 && t.requestPackets > 0 ? Double(t.naks) / seconds : nil
        case .pfcPausedFraction:
            guard case .fabric = scope, seconds > 0 else { return nil }
            return Double(t.pausedNs) / Double(t.durationNs)
        case .iterationTime, .collectiveEfficiency:
            return nil
        }
    }
}
