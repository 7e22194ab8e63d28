import FabricStats

/// A ring collective found in a summary, measured and set against the collective
/// model: facts only (numbers, which rule applied, what broke), for every consumer —
/// the report renders them in words, comparisons and health checks read the numbers.
public struct RingFinding: Sendable, Equatable {
    public var ring: DetectedRing
    public var iterations: Int
    /// The median busy period: one iteration's time (nil: not measurable).
    public var iterationNs: Int64?
    /// The link that stands apart as slowest; nil when the links are even.
    public var straggler: DetectedRing.Edge?
    /// Links compared by their rate within messages (else by p99 request→ACK latency).
    public var comparesByRate: Bool
    /// Timeout stalls as long as the iteration boundary (each taken for a stall).
    public var stallsAtBoundary: Int
    /// Timeout retransmissions anywhere in the ring.
    public var timeoutStalls: Int
    public var iterationsCertain: Bool
    /// The ring's busy periods with their bus bandwidth (nil: they cannot be cut exactly).
    public var phases: [RingPhase]?
    /// Why the iteration count cannot be trusted (nil: it can).
    public var uncertainty: DetectedRing.Uncertainty?
    /// The model's view, when a link could be estimated from the traffic and the
    /// iteration count is certain: the size of one all-reduce, and so the model's
    /// time and the efficiency, rest on it. An uncertain count judges nothing.
    public var model: Model?

    public struct Model: Sendable, Equatable {
        public var link: LinkParameters
        /// How α, B and the jitter were estimated, for the output.
        public var method: [String]
        /// α-β time of one all-reduce of the inferred size.
        public var predictedNs: Double
        /// With the measured jitter (ring Monte Carlo, mean).
        public var predictedWithJitterNs: Double
        /// predicted with jitter ÷ measured iteration.
        public var efficiency: Double?
        /// Above 100 %, why the efficiency cannot be right.
        public var problem: EfficiencyProblem?
        /// The time if every link ran at the straggler's rate.
        public var predictedAtStragglerNs: Double?
    }

    /// The model is a lower bound on a ring's time; when it exceeds what was measured,
    /// the input the numbers point to.
    public enum EfficiencyProblem: Sendable, Equatable {
        /// Moving an iteration's bytes at the estimated link rate takes longer than the
        /// iteration measured: too many iterations, an underestimated rate (coarse
        /// timestamps), or traffic that is not a ring all-reduce.
        case slowerThanWire(measuredNs: Double, wireNs: Double, linkBitsPerSecond: Double, iterations: Int,
                            resolutionNs: Double)
        /// The model's per-step latency α exceeds what the traffic shows between steps.
        case latency(alphaNs: Double)
    }

    /// Replications of the ring Monte Carlo: only its mean is reported here, and it
    /// settles fast.
    static let replications = 200

    /// Finds ring collectives in `summary` and sets them against the model.
    /// `graph`: the summary's hosts and links, when another pass numbered them already.
    public static func find(in summary: AnalysisSummary, graph: HostGraph? = nil) -> [RingFinding] {
        let rings = DetectedRing.find(in: summary, graph: graph)
        guard !rings.isEmpty else { return [] }
        let estimate = LinkEstimate(summary: summary)
        return rings.map { RingFinding(ring: $0, estimate: estimate, resolutionNs: summary.resolutionNs) }
    }

    init(ring: DetectedRing, estimate: LinkEstimate?, resolutionNs: Double) {
        self.ring = ring
        iterations = ring.iterations
        iterationNs = ring.iterationNs
        straggler = ring.straggler(resolutionNs: resolutionNs)
        comparesByRate = ring.comparesByRate
        stallsAtBoundary = ring.stallsAsLongAsIdleGap
        timeoutStalls = ring.timeoutStalls
        iterationsCertain = ring.iterationsCertain
        uncertainty = ring.uncertainty
        phases = ring.phases
        guard let estimate, uncertainty == nil, let collective = ring.kind.modelled, let bytes = ring.inferredBytes else { return }
        let cost = AlphaBetaModel.cost(collective, .ring, ranks: ring.ranks, bytes: bytes, link: estimate.link)
        var completion = CompletionModel(jitter: estimate.jitter)
        completion.replications = RingFinding.replications
        let expected = completion.evaluate(collective, .ring, ranks: ring.ranks, bytes: bytes, link: estimate.link).expectedNs
        let measured = Double(iterationNs ?? ring.spanNs)
        var model = Model(link: estimate.link, method: estimate.method, predictedNs: cost.totalNs,
                          predictedWithJitterNs: expected, efficiency: measured > 0 ? expected / measured : nil)
        if let efficiency = model.efficiency, efficiency > 1 {
            let wireNs = Double(ring.bytesPerRank) / Double(iterations) / estimate.link.bytesPerSecond * 1e9
            model.problem = wireNs > measured ? .slowerThanWire(measuredNs: measured, wireNs: wireNs,
                                                     linkBitsPerSecond: estimate.link.bytesPerSecond * 8,
                                                     iterations: iterations, resolutionNs: resolutionNs)
                : .latency(alphaNs: estimate.link.latencyNs)
        }
        if let rate = straggler?.inMessageBitsPerSecond {
            var slowLink = estimate.link
            slowLink.bytesPerSecond = rate / 8
            model.predictedAtStragglerNs = completion.evaluate(
                collective, .ring, ranks: ring.ranks, bytes: bytes, link: slowLink).expectedNs
        }
        self.model = model
    }
}
