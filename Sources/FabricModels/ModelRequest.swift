/// What `fabricscope model` is asked: a collective on a fabric, over a sweep of sizes,
/// with the link given or estimated from a capture, and optionally its jitter and a
/// two-level (intra-node, inter-node) all-reduce. `ModelReport(request)` answers it.
public struct ModelRequest: Sendable {
    public var collective: Collective
    public var algorithm: CollectiveAlgorithm
    public var ranks: Int
    public var sizes: [Double]
    public var link: LinkParameters
    /// Measured jitter: the expected completion (Monte Carlo or barrier bound) is added.
    public var jitter: JitterDistribution?
    /// How the link was estimated from a capture (said in the report).
    public var estimation: [String] = []
    /// Two-level all-reduce: GPUs per node and the intra-node link.
    public var twoLevel: (gpusPerNode: Int, intra: LinkParameters)?
    /// NCCL's protocol cost on a stated line rate (`ideal` for a measured link). In a
    /// two-level all-reduce it applies to the network link only.
    public var `protocol`: NCCLProtocol = .ideal
    public var seed: UInt64 = 1

    public init(collective: Collective, algorithm: CollectiveAlgorithm, ranks: Int, sizes: [Double], link: LinkParameters) {
        self.collective = collective
        self.algorithm = algorithm
        self.ranks = ranks
        self.sizes = sizes
        self.link = link
    }

    /// The sizes from `low` to `high` in powers of two, at most `limit` of them (as
    /// nccl-tests sweeps with `-f 2`).
    public static func sweep(from low: Double, to high: Double, limit: Int = 64) -> [Double] {
        var sizes: [Double] = []
        var current = low
        while current <= high, sizes.count < limit {
            sizes.append(current)
            current *= 2
        }
        return sizes
    }
}

extension ModelReport {
    /// The α-β time of each size, with the expected completion under the jitter when
    /// one is given, and the notes that say how to read them.
    public init(_ request: ModelRequest) {
        let ranks = request.ranks, operation = request.collective
        let efficiency = request.protocol.bandwidthEfficiency(algorithm: request.algorithm)
        var link = request.link
        link.bytesPerSecond *= efficiency
        var model = request.jitter.map { CompletionModel(jitter: $0) }
        model?.seed = request.seed
        let rows = request.sizes.map { bytes -> ModelReport.Row in
            let cost = request.twoLevel.map {
                AlphaBetaModel.hierarchicalAllReduce(gpusPerNode: $0.gpusPerNode, nodes: ranks / $0.gpusPerNode, bytes: bytes,
                                                     intra: $0.intra, inter: link)
            } ?? AlphaBetaModel.cost(operation, request.algorithm, ranks: ranks, bytes: bytes, link: link)
            let completion = request.twoLevel == nil
                ? model?.evaluate(operation, request.algorithm, ranks: ranks, bytes: bytes, link: link) : nil
            return ModelReport.Row(size: bytes, cost: cost, collective: operation, ranks: ranks, completion: completion)
        }
        var notes = ["Rates are bits per second in JSON and GB/s (10^9 bytes) in the table, as nccl-tests prints them."]
        if request.protocol != .ideal {
            notes.append("NCCL \(request.protocol.rawValue) protocol: the model uses "
                + "\((efficiency * 1000).rounded() / 10) % of the stated bandwidth, as NCCL's tuning model does "
                + "(its topology search runs a channel at 96 % of the NIC's rate; docs/models.md); "
                + "--protocol ideal gives the plain α-β time.")
        }
        if request.jitter != nil {
            notes.append("Completion: Monte Carlo of the ring's step dependencies where the algorithm is a ring; "
                + "otherwise the barrier bound (every step waits for the slowest of the ranks).")
            if request.algorithm == .ring, rows.contains(where: { $0.completionNs?.method == "barrier" }) {
                notes.append("At \(ranks) ranks the ring's Monte Carlo (ranks × steps per replication) is beyond its "
                    + "work budget: the barrier bound is given instead, an upper bound on the expected time.")
            }
        }
        let hierarchy = request.twoLevel.map {
            "\(ranks / $0.gpusPerNode) nodes × \($0.gpusPerNode) GPUs: intra-node reduce-scatter, inter-node "
                + "all-reduce on 1/\($0.gpusPerNode) of the data, intra-node all-gather"
        }
        self.init(collective: operation, algorithm: request.algorithm, ranks: ranks, latencyNs: link.latencyNs,
                  bandwidthBps: request.link.bytesPerSecond * 8, hierarchy: hierarchy, estimation: request.estimation,
                  notes: notes, results: rows)
        self.protocol = request.protocol
        self.protocolEfficiency = efficiency
    }
}
