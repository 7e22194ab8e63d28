import FabricRandom
import FabricModels
import FabricStats
import XCTest

/// The collective models against their closed forms and the validation cases of
/// issue 4: no jitter reproduces α-β exactly; exponential jitter's expected
/// per-step maximum approaches θ·H_N.
final class CollectiveModelTests: XCTestCase {
    let link = LinkParameters(latencyNs: 5_000, bytesPerSecond: 48e9)
    let mib = 1_048_576.0

    func harmonic(_ n: Int) -> Double { (1...n).reduce(0) { $0 + 1 / Double($1) } }

    func testBusBandwidthFactors() {
        XCTAssertEqual(Collective.allreduce.busBandwidthFactor(ranks: 8), 1.75)
        XCTAssertEqual(Collective.allgather.busBandwidthFactor(ranks: 8), 0.875)
        XCTAssertEqual(Collective.reducescatter.busBandwidthFactor(ranks: 4), 0.75)
        XCTAssertEqual(Collective.alltoall.busBandwidthFactor(ranks: 2), 0.5)
        XCTAssertEqual(Collective.broadcast.busBandwidthFactor(ranks: 64), 1)
    }

    func testAlphaBetaClosedForms() {
        let s = 256 * mib
        let ring = AlphaBetaModel.cost(.allreduce, .ring, ranks: 64, bytes: s, link: link)
        XCTAssertEqual(ring.steps, 126)
        XCTAssertEqual(ring.latencyNs, 126 * 5_000)
        XCTAssertEqual(ring.bandwidthNs, 2 * 63.0 / 64 * s / 48e9 * 1e9, accuracy: 1e-6)
        // The worked example of the research notes: ≈ 11.6 ms without jitter.
        XCTAssertEqual(ring.totalNs / 1e6, 11.64, accuracy: 0.01)
        let rabenseifner = AlphaBetaModel.cost(.allreduce, .halvingDoubling, ranks: 64, bytes: s, link: link)
        XCTAssertEqual(rabenseifner.steps, 12)
        XCTAssertEqual(rabenseifner.bandwidthNs, ring.bandwidthNs, accuracy: 1e-6, "both move 2(n−1)/n·S")
        let doubling = AlphaBetaModel.cost(.allreduce, .recursiveDoubling, ranks: 64, bytes: s, link: link)
        XCTAssertEqual(doubling.bytesOnPath, 6 * s)
        let allgather = AlphaBetaModel.cost(.allgather, .ring, ranks: 8, bytes: s, link: link)
        XCTAssertEqual(allgather.steps, 7)
        XCTAssertEqual(allgather.bytesOnPath, 7.0 / 8 * s)
        // algbw·factor equals the link speed when latency is negligible.
        let big = AlphaBetaModel.cost(.allreduce, .ring, ranks: 8, bytes: 64 * 1024 * mib,
                                      link: LinkParameters(latencyNs: 0, bytesPerSecond: 50e9))
        let busbw = AlphaBetaModel.algorithmBandwidth(bytes: 64 * 1024 * mib, timeNs: big.totalNs)
            * Collective.allreduce.busBandwidthFactor(ranks: 8)
        XCTAssertEqual(busbw, 50e9, accuracy: 1)
    }

    func testHierarchicalReducesToFlatRingOnOneNode() {
        let flat = AlphaBetaModel.cost(.allreduce, .ring, ranks: 8, bytes: 64 * mib, link: link)
        let twoLevel = AlphaBetaModel.hierarchicalAllReduce(gpusPerNode: 8, nodes: 1, bytes: 64 * mib, intra: link, inter: link)
        XCTAssertEqual(twoLevel.totalNs, flat.totalNs, accuracy: 1e-6)
    }

    func testNoJitterEqualsAlphaBeta() {
        let model = CompletionModel(jitter: .none)
        let result = model.evaluate(.allreduce, .ring, ranks: 16, bytes: 256 * mib, link: link)
        let ideal = AlphaBetaModel.cost(.allreduce, .ring, ranks: 16, bytes: 256 * mib, link: link).totalNs
        XCTAssertEqual(result.idealNs, ideal)
        XCTAssertEqual(result.barrierMeanNs, ideal, accuracy: 1e-6)
        let mc = try! XCTUnwrap(result.monteCarlo)
        XCTAssertEqual(mc.meanNs, ideal, accuracy: ideal * 1e-12)
        XCTAssertEqual(mc.p99Ns, ideal, accuracy: ideal * 1e-12)
        XCTAssertEqual(result.efficiency, 1, accuracy: 1e-12)
    }

    func exponentialJitter(mean: Double, count: Int) -> JitterDistribution {
        var random = SplitMix64(seed: 99)
        return JitterDistribution(samples: (0..<count).map { _ in random.exponential(mean: mean).rounded() })
    }

    func testExponentialJitterMaximumApproachesThetaTimesHarmonic() {
        let jitter = exponentialJitter(mean: 10_000, count: 400_000)
        for n in [2, 8, 64] {
            XCTAssertEqual(jitter.expectedMaximum(of: n), 10_000 * harmonic(n), accuracy: 10_000 * harmonic(n) * 0.02, "n = \(n)")
        }
        // Median of the maximum: F⁻¹(0.5^(1/n)) = −θ·ln(1 − 0.5^(1/n)).
        let n = 64.0
        XCTAssertEqual(jitter.quantileOfMaximum(0.5, of: 64), -10_000 * log(1 - pow(0.5, 1 / n)), accuracy: 1_500)
    }

    func testMonteCarloLiesBetweenMeanPathAndBarrier() {
        // The research notes' worked example: 64 ranks, 256 MiB, α = 5 µs, 48 GB/s,
        // Exp(10 µs) jitter: mean path ≈ 12.9 ms, barrier ≈ 17.6 ms.
        var model = CompletionModel(jitter: exponentialJitter(mean: 10_000, count: 100_000))
        model.workBudget = 2_000_000
        let result = model.evaluate(.allreduce, .ring, ranks: 64, bytes: 256 * mib, link: link)
        let meanPath = result.idealNs + 126 * model.jitter.mean
        XCTAssertEqual(meanPath / 1e6, 12.9, accuracy: 0.05)
        XCTAssertEqual(result.barrierMeanNs / 1e6, 17.6, accuracy: 0.15)
        let mc = try! XCTUnwrap(result.monteCarlo)
        XCTAssertGreaterThan(mc.meanNs, meanPath)
        XCTAssertLessThan(mc.meanNs, result.barrierMeanNs)
        XCTAssertLessThanOrEqual(mc.p50Ns, mc.p99Ns)
        XCTAssertGreaterThan(result.jitterTax, 0.1)
    }

    /// The guide table's draws are the binary search's, draw for draw: on many distinct
    /// values, one value, a measured latency histogram, and cumulative probabilities that
    /// sum to just under 1 (the last value then takes the rest).
    func testGuidedDrawsAreTheBinarySearchs() {
        var latencies = Distribution()
        var source = SplitMix64(seed: 5)
        for _ in 0..<20_000 { latencies.record(2_000 + Int64(source.exponential(mean: 700))) }
        let distributions = [
            exponentialJitter(mean: 10_000, count: 50_000),
            JitterDistribution.none,
            try! XCTUnwrap(JitterDistribution(latencies: latencies)),
            JitterDistribution(samples: [1, 2, 2, 3, 5, 8, 13, 21, 34, 55]),
            JitterDistribution(samples: (0..<3).map { Double($0) }),
        ]
        for distribution in distributions {
            let sampler = distribution.sampler()
            var guided = SplitMix64(seed: 17), searched = SplitMix64(seed: 17)
            for draw in 0..<200_000 {
                let a = sampler.sample(&guided), b = distribution.sample(&searched)
                guard a == b else { return XCTFail("draw \(draw) of \(distribution.values.count) values: \(a) against \(b)") }
            }
        }
    }

    /// The Monte Carlo gives what the plain recursion gives, F[i][j] = max(F[i][j−1],
    /// F[i−1][j−1]) + per-step time + a draw, with rank i−1 of rank 0 the last rank,
    /// written here with a remainder and the binary search (as it was before its loop
    /// was made cheaper): to the last bit.
    func testMonteCarloIsThePlainRecursion() {
        let jitter = exponentialJitter(mean: 3_000, count: 20_000)
        var model = CompletionModel(jitter: jitter)
        model.replications = 50
        // In one pass, and shared out over threads (16 ranks: four parts of the 50).
        for (ranks, concurrentAbove) in [(2, 60_000), (3, 60_000), (16, 60_000), (16, 1_000), (3, 100)] {
            model.concurrentAboveDraws = concurrentAbove
            let result = model.evaluate(.allreduce, .ring, ranks: ranks, bytes: 64 * mib, link: link)
            let steps = AlphaBetaModel.cost(.allreduce, .ring, ranks: ranks, bytes: 64 * mib, link: link).steps
            let perStep = result.idealNs / Double(steps)
            var random = SplitMix64(seed: model.seed)
            var totals: [Double] = []
            for _ in 0..<result.replications {
                var finish = [Double](repeating: 0, count: ranks)
                for _ in 0..<steps {
                    let previous = finish
                    for i in 0..<ranks {
                        finish[i] = max(previous[i], previous[(i + ranks - 1) % ranks]) + perStep + jitter.sample(&random)
                    }
                }
                totals.append(finish.max()!)
            }
            let mc = try! XCTUnwrap(result.monteCarlo)
            XCTAssertEqual(result.replications, 50)
            totals.sort()
            XCTAssertEqual(mc.meanNs, totals.reduce(0, +) / Double(totals.count), "ranks \(ranks), parts above \(concurrentAbove)")
            XCTAssertEqual(mc.p99Ns, totals.max()!, "ranks \(ranks), parts above \(concurrentAbove)")
        }
    }

    /// Skipping n draws leaves the generator where n draws would.
    func testSkippingDrawsIsDrawing() {
        for n in [0, 1, 7, 1_000, 123_457] {
            var drawn = SplitMix64(seed: 42), skipped = SplitMix64(seed: 42)
            for _ in 0..<n { _ = drawn.next() }
            skipped.skip(n)
            XCTAssertEqual(drawn.next(), skipped.next(), "after \(n) draws")
        }
    }

    func testJitterFromMeasuredLatencies() {
        var latencies = Distribution()
        for value: Int64 in [3_000, 3_000, 3_500, 4_000, 10_000] { latencies.record(value) }
        let jitter = try! XCTUnwrap(JitterDistribution(latencies: latencies))
        XCTAssertEqual(jitter.values.first, 0)
        XCTAssertEqual(jitter.mean, (0 + 0 + 500 + 1000 + 7000) / 5, accuracy: 10)
        XCTAssertEqual(jitter.cumulative.last ?? 0, 1, accuracy: 1e-12)
    }
}

/// The protocol factors are NCCL's (src/graph/tuning.cc, ncclTopoTuneModel) on top of
/// the search's 96 % channel speed (src/graph/search.cc).
final class NCCLProtocolTests: XCTestCase {
    func testFactorsFollowNCCLsTuningModel() {
        XCTAssertEqual(NCCLProtocol.ideal.bandwidthEfficiency(algorithm: .ring), 1)
        XCTAssertEqual(NCCLProtocol.simple.bandwidthEfficiency(algorithm: .ring), 0.96, accuracy: 1e-12)
        XCTAssertEqual(NCCLProtocol.ll128.bandwidthEfficiency(algorithm: .ring), 0.96 * 0.92, accuracy: 1e-12)
        XCTAssertEqual(NCCLProtocol.ll.bandwidthEfficiency(algorithm: .ring), 0.48, accuracy: 1e-12)
        XCTAssertEqual(NCCLProtocol.simple.bandwidthEfficiency(algorithm: .doubleBinaryTree), 0.96 * 0.92, accuracy: 1e-12)
        XCTAssertEqual(NCCLProtocol.ll.bandwidthEfficiency(algorithm: .doubleBinaryTree), 0.96 * 0.92 / 3.8, accuracy: 1e-12)
        // The search's speeds for 100/200/400/800 Gb/s NICs are 96 % of their rates.
        for (nic, speed) in [(12.5, 12.0), (25, 24), (50, 48), (100, 96)] {
            XCTAssertEqual(speed / nic, NCCLProtocol.searchSpeedShare, accuracy: 1e-12)
        }
    }

    func testProtocolSlowsTheBandwidthTermOnly() {
        var request = ModelRequest(collective: .allreduce, algorithm: .ring, ranks: 8, sizes: [1_073_741_824],
                                   link: LinkParameters(latencyNs: 5_000, bytesPerSecond: 50e9))
        let ideal = ModelReport(request).results[0]
        request.protocol = .simple
        let simple = ModelReport(request).results[0]
        XCTAssertEqual(simple.latencyTermNs, ideal.latencyTermNs)
        XCTAssertEqual(simple.bandwidthTermNs, ideal.bandwidthTermNs / 0.96, accuracy: 1e-3)
    }
}
