import FabricMetrics
import FabricStats
import Foundation

/// A metric `compare` and `health` hold runs against: one of the catalog's run
/// metrics (`Metrics.run`), as a typed key. Its name, unit, direction, label and
/// quantile come from its `MetricDefinition`; what is added here is how the value is
/// read from pooled units.
public struct CompareMetric: Hashable, Sendable, Codable, CaseIterable, RawRepresentable {
    /// Its place in the catalog's run metrics: what a metric is compared and hashed
    /// by. Holding the definition made each copy retain its dozen strings and each
    /// comparison compare names, for each of a run's values (10⁶ at 10⁵ links).
    private let position: Int

    public var definition: MetricDefinition { Metrics.run[position] }
    /// Its place in `allCases` (the catalog's run metrics): for tables of what each
    /// metric needs, read once per value without hashing its name.
    public var catalogIndex: Int { position }

    private init(position: Int) { self.position = position }

    private init(_ definition: MetricDefinition) {
        guard let position = Metrics.run.firstIndex(where: { $0.name == definition.name }) else {
            preconditionFailure("\(definition.name) is not one of the catalog's run metrics")
        }
        self.position = position
    }

    public init?(rawValue: String) {
        guard let metric = CompareMetric.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = metric
    }

    public var rawValue: String { Metrics.run[position].name }

    // Compared and hashed by position, said here: left to the compiler, `==` (and so
    // every `switch` over metrics) resolved to the standard library's one for
    // `RawRepresentable`, which compares the names as text, and hashing hashed them:
    // at 10⁵ links, matching a value's metric in `value(of:)` was a sixth of measuring
    // the links.
    public static func == (a: CompareMetric, b: CompareMetric) -> Bool { a.position == b.position }
    public func hash(into hasher: inout Hasher) { hasher.combine(position) }

    public static let ackLatencyP50 = CompareMetric(Metrics.ackLatencyP50)
    public static let ackLatencyP99 = CompareMetric(Metrics.ackLatencyP99)
    public static let ackLatencyP999 = CompareMetric(Metrics.ackLatencyP999)
    public static let throughput = CompareMetric(Metrics.throughput)
    public static let goodput = CompareMetric(Metrics.goodput)
    public static let messageRate = CompareMetric(Metrics.messageRate)
    public static let retransmittedFraction = CompareMetric(Metrics.retransmittedFraction)
    public static let ceFraction = CompareMetric(Metrics.ceFraction)
    public static let cnpRate = CompareMetric(Metrics.cnpRate)
    public static let nakRate = CompareMetric(Metrics.nakRate)
    public static let pfcPausedFraction = CompareMetric(Metrics.pfcPausedFraction)
    public static let iterationTime = CompareMetric(Metrics.iterationTime)
    public static let collectiveEfficiency = CompareMetric(Metrics.collectiveEfficiency)
    public static let periodBusbw = CompareMetric(Metrics.periodBusbw)

    /// In the catalog's order (`Metrics.run`).
    public static let allCases: [CompareMetric] = Metrics.run.indices.map(CompareMetric.init(position:))

    public var better: MetricDirection { Metrics.run[position].direction }
    public var unit: MetricUnit { Metrics.run[position].unit }
    /// Short name for tables.
    public var label: String { Metrics.run[position].label }
    public var quantile: (q: Double, minimumSamples: Int)? { Metrics.run[position].quantile }

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
        default:
            // The collective's metrics come from the ring found in each run.
            return nil
        }
    }
}
