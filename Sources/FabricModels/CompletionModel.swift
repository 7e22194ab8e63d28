import FabricConcurrency
import FabricRandom
import FabricStats
import Foundation

/// What jitter does to a collective's completion time.
///
/// Two answers that bracket the truth: a **barrier** bound (every step waits for
/// the slowest of the n transfers, exact per step: P(max ≤ x) = F(x)ⁿ), and a
/// **Monte Carlo** of the ring's real dependencies, where rank i can send step j
/// only when it sent step j−1 and received its predecessor's step j−1:
/// F[i][j] = max(F[i][j−1], F[i−1][j−1]) + X[i][j]  (max-plus recursion).
public struct CompletionModel: Sendable {
    public struct Result: Sendable, Equatable, Codable {
        /// α-β time with no jitter.
        public var idealNs: Double
        /// Barrier bound: Σ over steps of E[max of n], and a normal approximation
        /// of its p99 (central limit over the steps).
        public var barrierMeanNs: Double
        public var barrierP99Ns: Double
        /// Monte Carlo of the ring's dependencies (ring algorithms only).
        public var monteCarlo: Summary?
        public var replications: Int

        public struct Summary: Sendable, Equatable, Codable {
            public var meanNs: Double
            public var p50Ns: Double
            public var p99Ns: Double
        }

        /// ideal ÷ expected completion (1 = jitter costs nothing).
        public var efficiency: Double { idealNs / expectedNs }
        /// Expected completion: the Monte Carlo where it applies, else the barrier bound.
        public var expectedNs: Double { monteCarlo?.meanNs ?? barrierMeanNs }
        /// (expected − ideal) ÷ ideal.
        public var jitterTax: Double { (expectedNs - idealNs) / idealNs }
        /// (p99 − p50) ÷ p50 of the completion time.
        public var tailTax: Double? { monteCarlo.map { ($0.p99Ns - $0.p50Ns) / $0.p50Ns } }
    }

    public var jitter: JitterDistribution
    public var seed: UInt64 = 1
    /// Upper bound on ranks × steps × replications, to keep large rings tractable.
    public var workBudget = 50_000_000
    /// Fewer replications than this say too little about a tail.
    public static let minimumReplications = 20
    /// Monte Carlo replications (fewer when the work budget says so).
    public var replications = 1000

    public init(jitter: JitterDistribution) {
        self.jitter = jitter
    }

    public func evaluate(
        _ collective: Collective, _ algorithm: CollectiveAlgorithm, ranks: Int, bytes: Double, link: LinkParameters
    ) -> Result {
        let cost = AlphaBetaModel.cost(collective, algorithm, ranks: ranks, bytes: bytes, link: link)
        let steps = max(1, cost.steps)
        let perStep = cost.totalNs / Double(steps)
        let maxMean = jitter.expectedMaximum(of: ranks), maxVariance = jitter.varianceOfMaximum(of: ranks)
        let barrierMean = Double(steps) * (perStep + maxMean)
        let barrierP99 = barrierMean + 2.326 * (Double(steps) * maxVariance).squareRoot()
        var result = Result(idealNs: cost.totalNs, barrierMeanNs: barrierMean, barrierP99Ns: barrierP99,
                            monteCarlo: nil, replications: 0)
        // The Monte Carlo costs ranks × steps per replication, and a ring's steps grow
        // with its ranks: quadratic. Beyond the budget at the minimum replications (about
        // 1,100 ranks for a ring all-reduce) only the barrier bound, linear in ranks, is given.
        if algorithm == .ring, collective != .broadcast,
           ranks * steps <= workBudget / CompletionModel.minimumReplications {
            let replications = max(CompletionModel.minimumReplications, min(self.replications, workBudget / max(1, ranks * steps)))
            result.monteCarlo = ring(ranks: ranks, steps: steps, perStepNs: perStep, replications: replications)
            result.replications = replications
        }
        return result
    }

    /// Draws above which the replications are shared out over the cores.
    public var concurrentAboveDraws = 60_000

    /// The max-plus recursion over `replications` independent draws.
    ///
    /// Replication r takes draws r·ranks·steps onwards of one seeded stream, whichever
    /// thread runs it (`SplitMix64.skip`), and the totals are sorted before they are
    /// summed: the results do not depend on how the replications were shared out.
    func ring(ranks: Int, steps: Int, perStepNs: Double, replications: Int) -> Result.Summary {
        let perReplication = ranks * steps
        let parts = max(1, min(4, replications, replications * perReplication / max(1, concurrentAboveDraws)))
        let (seed, jitter) = (self.seed, self.jitter.sampler())
        var totals = ParallelMap.map(parts) { part -> [Double] in
            let first = replications * part / parts, end = replications * (part + 1) / parts
            var random = SplitMix64(seed: seed)
            random.skip(first * perReplication)
            return CompletionModel.ring(ranks: ranks, steps: steps, perStepNs: perStepNs, replications: end - first,
                                        jitter: jitter, random: &random)
        }.flatMap { $0 }
        totals.sort()
        func quantile(_ q: Double) -> Double { totals[min(totals.count - 1, Int((q * Double(totals.count)).rounded(.up)) - 1)] }
        return Result.Summary(meanNs: totals.reduce(0, +) / Double(totals.count), p50Ns: quantile(0.5), p99Ns: quantile(0.99))
    }

    /// `replications` runs of the recursion, drawing from `random` in turn.
    private static func ring(
        ranks: Int, steps: Int, perStepNs: Double, replications: Int, jitter: JitterDistribution.Sampler,
        random: inout SplitMix64
    ) -> [Double] {
        var finish = [Double](repeating: 0, count: ranks)
        var previous = [Double](repeating: 0, count: ranks)
        var totals: [Double] = []
        totals.reserveCapacity(replications)
        for _ in 0..<replications {
            for i in 0..<ranks { finish[i] = 0 }
            for _ in 0..<steps {
                swap(&previous, &finish)
                // Rank 0's predecessor is the last rank; the rest's is the rank before
                // (no remainder per draw: a division costs more than the draw).
                var predecessor = ranks > 0 ? previous[ranks - 1] : 0
                for i in 0..<ranks {
                    let own = previous[i]
                    finish[i] = max(own, predecessor) + perStepNs + jitter.sample(&random)
                    predecessor = own
                }
            }
            totals.append(finish.max() ?? 0)
        }
        return totals
    }
}
