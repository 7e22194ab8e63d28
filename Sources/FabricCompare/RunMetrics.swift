import FabricConcurrency
import FabricMetrics
import FabricModels
import FabricStats

/// One run's value of every `compare` metric, per scope: what the history keeps per
/// night for trends, and what health checks hold against thresholds and baselines.
public struct RunMetrics: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var scope: Scope
        public var metric: CompareMetric
        public var value: Double

        public init(scope: Scope, metric: CompareMetric, value: Double) {
            self.scope = scope
            self.metric = metric
            self.value = value
        }
    }

    public var values: [Value]
    /// Request→ACK samples per scope (a tail needs enough of them to mean anything).
    public var latencySamples: [Scope: Int]
    /// PFC pause storms in the run (fabric).
    public var pauseStorms: Int
    /// Packets the capture itself lost (a mirror's sequence numbers, or PSNs the
    /// responder acknowledged that the tap never saw), and the records it kept.
    public var captureLostPackets = 0
    public var capturedPackets = 0
    /// The counts behind the values, per scope (for counters in exports).
    public var totals: [Scope: UnitTotals]
    /// The ring's busy periods with their bus bandwidth: known even when its iteration
    /// count is not (exported per period, and each judged against the baseline).
    public var periods: [RingPhase] = []
    /// The classes RoCE travelled in, and how ECMP could spread it (health judges both).
    public var qos: QosObservation?
    public var ecmp: EcmpSpread?

    /// Measures `summary` the way `compare` pools a side, from the flows' own totals
    /// over the capture's span. Scopes that carry no requests (ACK-only directions)
    /// are left out.
    public init(summary: AnalysisSummary) throws(CompareError) {
        // The hosts and links numbered once, for the ring search and the links' totals.
        let graph = HostGraph(summary)
        try self.init(summary: summary, ring: RingFinding.find(in: summary, graph: graph).first, graph: graph)
    }

    /// The same, with the ring already found (it runs a Monte Carlo: find it once).
    /// `graph`: the summary's hosts and links, when another pass numbered them already.
    public init(summary: AnalysisSummary, ring: RingFinding?, graph: HostGraph? = nil) throws(CompareError) {
        try self.init(traffic: summary, graph: graph)
        qos = QosObservation(summary)
        ecmp = EcmpSpread(summary)
        addCollective(ring)
    }

    /// The traffic metrics alone, without the collective's, the classes or the ECMP
    /// spread (`qos` and `ecmp` are left nil): they do not need the ring, so a report
    /// can find the ring and measure the traffic side by side, and read the classes and
    /// the spread on the ring's core (which finished a tenth of a second earlier at
    /// 10⁵ flows).
    /// `graph`: the summary's hosts and links, when another pass numbered them already.
    public init(traffic summary: AnalysisSummary, graph: HostGraph? = nil) throws(CompareError) {
        try self.init(traffic: summary, units: TrafficUnits(summary, graph: graph))
    }

    /// The traffic metrics of `units`, cut from `summary`. Links are measured in
    /// slices on all cores and joined in order: the values are those of one core.
    public init(traffic summary: AnalysisSummary, units: TrafficUnits) throws(CompareError) {
        // From the flows' own totals, never the windows: every summary has them, and a
        // run's numbers are then the same whether its summary kept windows or not
        // (merged per-node summaries equal one analysis, byte for byte).
        let units = units.units
        let resolution = summary.resolutionNs
        let metrics = CompareMetric.traffic.filter { $0 != .pfcPausedFraction || summary.totals.pfcFrames > 0 }
        let sliceSize = 4096
        var slices = ParallelMap.map((units.count + sliceSize - 1) / sliceSize) { slice -> Measured in
            var measured = Measured()
            let range = slice * sliceSize..<min(units.count, (slice + 1) * sliceSize)
            measured.values.reserveCapacity(range.count * metrics.count)
            measured.scopes.reserveCapacity(range.count)
            for index in range {
                let scope = units[index].scope
                let pooled = PooledTotals(CollectionOfOne(units[index].totals))
                guard scope == .fabric || pooled.totals.requestPackets > 0 else { continue }
                measured.scopes.append((scope, pooled.totals, pooled.ackLatency.total))
                for metric in metrics {
                    if let value = metric.value(of: pooled, resolutionNs: resolution, scope: scope) {
                        measured.values.append(Value(scope: scope, metric: metric, value: value))
                    }
                }
            }
            return measured
        }
        // Joined a slice at a time, each freed once copied: at 10⁵ links the values
        // are 30 MB, and all the slices kept until the end held them twice.
        var values: [Value] = []
        values.reserveCapacity(slices.reduce(0) { $0 + $1.values.count })
        for index in slices.indices {
            values += slices[index].values
            slices[index].values = []
        }
        self.values = values
        // The two tables by scope side by side (each hashes every link's name), each
        // sized once: grown step by step, they rehashed every link several times.
        let measured = slices
        let scopes = measured.reduce(0) { $0 + $1.scopes.count }
        (totals, latencySamples) = ParallelMap.both({
            var totals: [Scope: UnitTotals] = [:]
            totals.reserveCapacity(scopes)
            for slice in measured { for entry in slice.scopes { totals[entry.scope] = entry.totals } }
            return totals
        }, {
            var samples: [Scope: Int] = [:]
            samples.reserveCapacity(scopes)
            for slice in measured { for entry in slice.scopes { samples[entry.scope] = entry.samples } }
            return samples
        })
        pauseStorms = summary.pauses.reduce(0) { $0 + $1.counters.timeline.storms.count }
        capturedPackets = summary.totals.packets
        captureLostPackets = RunMetrics.captureLostPackets(summary)
    }

    /// What one slice of links measured.
    private struct Measured: Sendable {
        var values: [Value] = []
        var scopes: [(scope: Scope, totals: UnitTotals, samples: Int)] = []
    }

    /// What the capture lost, by the largest of its independent counts (they overlap,
    /// so they are not added): the mirrors' sequence numbers (exact, every kind of
    /// packet), the capture's own drop counters (ERF loss counters, pcapng interface
    /// statistics), and the request PSNs the responders acknowledged without the tap
    /// seeing them (a lower bound).
    static func captureLostPackets(_ summary: AnalysisSummary) -> Int {
        let acknowledgedUnseen = summary.captureLostPSNs
        let counted = summary.files.reduce(summary.totals.reportedDrops) { $0 + ($1.interfaceDrops ?? 0) }
        return max(summary.totals.mirrorLostCopies, acknowledgedUnseen, counted)
    }

    /// Adds the collective's metrics (iteration time, efficiency) when its iterations
    /// are certain.
    public mutating func addCollective(_ ring: RingFinding?) {
        periods = ring?.phases ?? []
        // Each period's busbw, known by its bytes per rank (a size run again on another
        // night sends the same bytes): judged against the baseline's like any value.
        // Two periods with the same bytes are one size run twice: the first stands.
        var seen = Set<Int>()
        for period in periods where seen.insert(period.bytesPerRank).inserted {
            values.append(Value(scope: .period(bytesPerRank: period.bytesPerRank), metric: .periodBusbw,
                                value: period.busBitsPerSecond))
        }
        guard let ring, ring.iterationsCertain else { return }
        if let iteration = ring.iterationNs { values.append(Value(scope: .fabric, metric: .iterationTime, value: Double(iteration))) }
        if let efficiency = ring.model?.efficiency {
            values.append(Value(scope: .fabric, metric: .collectiveEfficiency, value: efficiency))
        }
    }

    public func value(_ metric: CompareMetric, _ scope: Scope) -> Double? {
        values.first { $0.metric == metric && $0.scope == scope }?.value
    }
}
