import FabricRandom
import Foundation
import FabricStats

/// The per-message extra delay D ≥ 0 that jitter adds to a collective's steps, as
/// a discrete distribution: values with their probabilities, from measured
/// latencies (D = latency − minimum latency) or from a formula.
public struct JitterDistribution: Sendable, Equatable {
    /// Distinct values (ns), increasing, and the cumulative probability at each.
    public let values: [Double]
    public let cumulative: [Double]

    /// From samples of D (ns).
    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "a jitter distribution needs samples")
        var counts: [Double: Int] = [:]
        for sample in samples { counts[max(0, sample), default: 0] += 1 }
        let sorted = counts.sorted { $0.key < $1.key }
        var running = 0.0
        values = sorted.map(\.key)
        cumulative = sorted.map { entry in
            running += Double(entry.value) / Double(samples.count)
            return running
        }
    }

    /// From a measured latency distribution: D = latency − its minimum, both taken at
    /// the low edge of their HdrHistogram bucket (within 0.1 %).
    public init?(latencies: Distribution) {
        guard !latencies.isEmpty else { return nil }
        let floor = Double(HdrLayout.lowestEquivalent(UInt64(latencies.minimum)))
        var values: [Double] = [], cumulative: [Double] = []
        var seen = 0.0
        let total = Double(latencies.count)
        for bucket in latencies.buckets() {
            let value = max(0, Double(HdrLayout.lowestValue(atIndex: bucket.index)) - floor)
            seen += Double(bucket.count)
            if let last = values.last, last >= value {
                cumulative[cumulative.count - 1] = seen / total
            } else {
                values.append(value)
                cumulative.append(seen / total)
            }
        }
        self.values = values
        self.cumulative = cumulative
    }

    /// No jitter at all.
    public static let none = JitterDistribution(samples: [0])

    public var mean: Double {
        var previous = 0.0, total = 0.0
        for (value, probability) in zip(values, cumulative) {
            total += value * (probability - previous)
            previous = probability
        }
        return total
    }

    /// The distribution of the maximum of n independent draws: P(max = vₖ) = Fₖⁿ − Fₖ₋₁ⁿ.
    private func maximumMasses(of n: Int) -> [(value: Double, mass: Double)] {
        var previous = 0.0
        return zip(values, cumulative).map { value, probability in
            let power = pow(probability, Double(n))
            defer { previous = power }
            return (value, power - previous)
        }
    }

    /// E[max of n independent draws] = Σ vₖ (Fₖⁿ − Fₖ₋₁ⁿ): exact for this distribution.
    public func expectedMaximum(of n: Int) -> Double {
        maximumMasses(of: n).reduce(0) { $0 + $1.value * $1.mass }
    }

    /// Variance of the maximum of n draws.
    public func varianceOfMaximum(of n: Int) -> Double {
        let masses = maximumMasses(of: n)
        let mean = masses.reduce(0) { $0 + $1.value * $1.mass }
        return max(0, masses.reduce(0) { $0 + $1.value * $1.value * $1.mass } - mean * mean)
    }

    /// The q-quantile of the maximum of n draws: the smallest value with Fⁿ ≥ q.
    public func quantileOfMaximum(_ q: Double, of n: Int) -> Double {
        let target = pow(q, 1 / Double(n))
        return values[cumulative.firstIndex { $0 >= target - 1e-12 } ?? values.count - 1]
    }

    /// One draw.
    @inline(__always)
    public func sample(_ random: inout SplitMix64) -> Double {
        let u = random.unit()
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < u { low = middle + 1 } else { high = middle }
        }
        return values[low]
    }
}
