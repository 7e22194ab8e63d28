import FabricMetrics
import FabricStats

/// Units added together: one side's pooled totals in a scope, or one bootstrap
/// resample of them. Latency and gap sketches go into dense bucket arrays, so that
/// adding many units costs one pass over their few buckets each.
struct PooledTotals {
    var totals = UnitTotals()
    var ackLatency = DenseBuckets()
    var gaps = DenseBuckets()

    mutating func add(_ unit: UnitTotals) {
        var counters = unit
        counters.ackLatency = LogSketch()
        counters.gaps = LogSketch()
        totals.add(counters)
        ackLatency.add(unit.ackLatency)
        gaps.add(unit.gaps)
    }

    init() {}

    init<Units: Sequence>(_ units: Units) where Units.Element == UnitTotals {
        for unit in units { add(unit) }
    }
}

/// Counts per `LogSketch` bucket in one flat array.
///
/// Until a second sketch arrives the first is kept as it is: a run's link holds a
/// single sketch, and 16 KiB of zeroed counts for each of 10⁵ links cost more than
/// the rest of the run's metrics.
struct DenseBuckets {
    private var single: LogSketch?
    private var counts: [UInt32] = []
    private(set) var total = 0
    private var lowest = Int.max
    private var highest = -1

    mutating func add(_ sketch: LogSketch) {
        guard let first = sketch.buckets.first, let last = sketch.buckets.last else { return }
        total += sketch.count
        lowest = min(lowest, Int(first))
        highest = max(highest, Int(last))
        if counts.isEmpty, single == nil {
            single = sketch
            return
        }
        if counts.isEmpty {
            counts = [UInt32](repeating: 0, count: LogSketch.maximumBucket + 1)
            if let kept = single { addCounts(kept) }
            single = nil
        }
        addCounts(sketch)
    }

    private mutating func addCounts(_ sketch: LogSketch) {
        for (bucket, count) in zip(sketch.buckets, sketch.counts) { counts[Int(bucket)] &+= count }
    }

    /// The nearest-rank quantile: the bucket holding the ⌈q·n⌉-th smallest value,
    /// read at its geometric middle.
    func quantile(_ q: Double) -> Double? {
        guard total > 0 else { return nil }
        // q·n in floating point lands a hair above an integer (0.999 × 10000 =
        // 9990.000000000002): take that as the integer, as exact arithmetic would.
        let exact = q * Double(total)
        let rank = max(1, Int((exact - 1e-9 * max(1, exact)).rounded(.up)))
        var seen = 0
        if let single {
            for (bucket, count) in zip(single.buckets, single.counts) {
                seen += Int(count)
                if seen >= rank { return LogSketch.value(ofBucket: Int(bucket)) }
            }
        } else {
            for bucket in lowest...highest {
                seen += Int(counts[bucket])
                if seen >= rank { return LogSketch.value(ofBucket: bucket) }
            }
        }
        return LogSketch.value(ofBucket: highest)
    }
}
