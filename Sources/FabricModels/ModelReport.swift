import FabricStats

/// The output of `fabricscope model`: one row per message size.
public struct ModelReport: Encodable, Sendable {
    public struct Row: Encodable, Sendable {
        public var sizeBytes: Double
        public var idealTimeNs: Double
        public var latencyTermNs: Double
        public var bandwidthTermNs: Double
        /// From the α-β time (no jitter), in bits per second like every rate here.
        public var algbwBps: Double
        public var busbwBps: Double
        /// From the expected completion with the measured jitter.
        public var expectedAlgbwBps: Double?
        public var expectedBusbwBps: Double?
        public var completionNs: Completion?
        public var barrierBoundNs: Double?
        /// ideal ÷ expected under the measured jitter: the share of the time jitter
        /// leaves to the α-β model. Named apart from `analyze`'s `efficiency` (model ÷
        /// measured iteration), a different ratio.
        public var jitterEfficiency: Double?
        public var jitterTax: Double?
        public var tailTax: Double?
        /// Time lost to jitter on average (expected − ideal) and to the tail (p99 − p50), ns.
        public var jitterLossNs: Double?
        public var tailLossNs: Double?

        public struct Completion: Encodable, Sendable {
            public var mean: Double
            public var p50: Double
            public var p99: Double
            /// "monte_carlo" (ring dependencies) or "barrier" (every step waits for the slowest).
            public var method: String
        }

        enum CodingKeys: String, CodingKey {
            case sizeBytes = "size_bytes", idealTimeNs = "ideal_time_ns", latencyTermNs = "latency_term_ns"
            case bandwidthTermNs = "bandwidth_term_ns", algbwBps = "algbw_bps", busbwBps = "busbw_bps"
            case expectedAlgbwBps = "expected_algbw_bps", expectedBusbwBps = "expected_busbw_bps"
            case completionNs = "completion_ns", barrierBoundNs = "barrier_bound_ns", jitterEfficiency = "jitter_efficiency"
            case jitterTax = "jitter_tax", tailTax = "tail_tax", jitterLossNs = "jitter_loss_ns"
            case tailLossNs = "tail_loss_ns"
        }
    }

    public var collective: Collective
    public var algorithm: CollectiveAlgorithm
    public var ranks: Int
    public var latencyNs: Double
    public var bandwidthBps: Double
    /// The NCCL protocol whose cost the times include, and the share of `bandwidthBps`
    /// the model used for it.
    public var `protocol`: NCCLProtocol = .ideal
    public var protocolEfficiency = 1.0
    public var hierarchy: String?
    public var estimation: [String]
    public var notes: [String]
    public var results: [Row]

    public init(
        collective: Collective, algorithm: CollectiveAlgorithm, ranks: Int, latencyNs: Double, bandwidthBps: Double,
        hierarchy: String?, estimation: [String], notes: [String], results: [Row]
    ) {
        self.collective = collective
        self.algorithm = algorithm
        self.ranks = ranks
        self.latencyNs = latencyNs
        self.bandwidthBps = bandwidthBps
        self.hierarchy = hierarchy
        self.estimation = estimation
        self.notes = notes
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case collective, algorithm, ranks, latencyNs = "latency_ns", bandwidthBps = "bandwidth_bps", hierarchy
        case `protocol`, protocolEfficiency = "protocol_efficiency"
        case estimation, notes, results
    }

    /// Flattened for a single size (so `ideal_time_ns` etc. sit at the top), a
    /// `results` list for a sweep.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(collective, forKey: .collective)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encode(ranks, forKey: .ranks)
        try container.encode(latencyNs, forKey: .latencyNs)
        try container.encode(bandwidthBps, forKey: .bandwidthBps)
        try container.encode(`protocol`, forKey: .protocol)
        try container.encode(protocolEfficiency, forKey: .protocolEfficiency)
        try container.encodeIfPresent(hierarchy, forKey: .hierarchy)
        try container.encode(estimation, forKey: .estimation)
        try container.encode(notes, forKey: .notes)
        if results.count == 1 {
            try results[0].encode(to: encoder)
        } else {
            try container.encode(results, forKey: .results)
        }
    }
}

extension ModelReport.Row {
    public init(size: Double, cost: CollectiveCost, collective: Collective, ranks: Int, completion: CompletionModel.Result?) {
        sizeBytes = size
        idealTimeNs = cost.totalNs
        latencyTermNs = cost.latencyNs
        bandwidthTermNs = cost.bandwidthNs
        let factor = collective.busBandwidthFactor(ranks: ranks)
        algbwBps = AlphaBetaModel.algorithmBandwidth(bytes: size, timeNs: cost.totalNs) * 8
        busbwBps = algbwBps * factor
        guard let completion else { return }
        expectedAlgbwBps = AlphaBetaModel.algorithmBandwidth(bytes: size, timeNs: completion.expectedNs) * 8
        expectedBusbwBps = expectedAlgbwBps.map { $0 * factor }
        barrierBoundNs = completion.barrierMeanNs
        if let mc = completion.monteCarlo {
            completionNs = Completion(mean: mc.meanNs, p50: mc.p50Ns, p99: mc.p99Ns, method: "monte_carlo")
        } else {
            completionNs = Completion(mean: completion.barrierMeanNs, p50: completion.barrierMeanNs,
                                      p99: completion.barrierP99Ns, method: "barrier")
        }
        jitterEfficiency = completion.efficiency
        jitterTax = completion.jitterTax
        tailTax = completion.tailTax
        jitterLossNs = completion.expectedNs - completion.idealNs
        tailLossNs = completionNs.map { $0.p99 - $0.p50 }
    }
}
