import FabricWire
import FabricRandom
import FabricMetrics
import FabricStats

/// One side's value of a metric in a scope, and the variance of that value over
/// its units of replication.
struct SideEstimate {
    var value: Double
    /// Nil when it cannot be estimated (a single unit, or resamples that could not
    /// measure the metric).
    var variance: Double?
    var units: Int

    /// The pooled value, with its variance from a bootstrap over the units:
    /// resample the units with replacement, pool, measure; the spread of the
    /// measurements is the value's sampling variance, bursts and all, since a
    /// unit keeps its bursts whole. With whole runs as units (few of them) the
    /// bootstrap's n−1/n shrinkage is undone.
    static func estimates(
        _ units: [UnitTotals], metrics: [CompareMetric], scope: Scope, resolutionNs: Double,
        kind: SideUnits.Kind, options: CompareOptions, seed: UInt64
    ) -> [CompareMetric: SideEstimate] {
        let pooled = PooledTotals(units)
        var result: [CompareMetric: SideEstimate] = [:]
        var measured: [CompareMetric] = []
        for metric in metrics {
            guard let value = metric.value(of: pooled, resolutionNs: resolutionNs, scope: scope) else { continue }
            result[metric] = SideEstimate(value: value, variance: nil, units: units.count)
            measured.append(metric)
        }
        let n = units.count
        guard n >= 2, !measured.isEmpty else { return result }
        var random = SplitMix64(seed: seed)
        var samples = [CompareMetric: [Double]]()
        for _ in 0..<options.resamples {
            var resample = PooledTotals()
            for _ in 0..<n { resample.add(units[Int(random.next() % UInt64(n))]) }
            for metric in measured {
                if let value = metric.value(of: resample, resolutionNs: resolutionNs, scope: scope) {
                    samples[metric, default: []].append(value)
                }
            }
        }
        let correction = kind == .runs ? Double(n) / Double(n - 1) : 1
        for metric in measured {
            let values = samples[metric] ?? []
            guard values.count * 2 >= options.resamples else { continue }
            result[metric]!.variance = variance(values) * correction
        }
        return result
    }

    /// Per-run values (iteration time, efficiency): their mean and the variance of
    /// the mean.
    static func mean(of values: [Double]) -> SideEstimate? {
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        return SideEstimate(value: mean, variance: values.count >= 2 ? variance(values) * Double(values.count)
                                / Double(values.count - 1) / Double(values.count) : nil, units: values.count)
    }

    /// Population variance (divides by n).
    static func variance(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }
}
