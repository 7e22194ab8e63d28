import Histogram

/// A distribution of nanosecond values: exact count, min, max, mean and standard
/// deviation, and percentiles from an HdrHistogram with 3 significant digits (so a
/// percentile is within 0.1 % of the value it stands for).
///
/// Memory is fixed by the value range, never by the number of samples, and two
/// distributions merge exactly. A distribution with no value holds no histogram at
/// all: most of a flow's distributions (READ, atomic, CNP timing, and every one of a
/// flow that carries no requests) never get a value, and an HdrHistogram costs
/// kilobytes up front.
public struct Distribution: Sendable, Equatable {
    /// Nil until the first value.
    private var storage: Histogram<UInt64>?
    /// The histogram (an empty one, shared, when there is no value yet).
    public var histogram: Histogram<UInt64> { storage ?? Distribution.emptyHistogram }
    static let emptyHistogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    public private(set) var count = 0
    public private(set) var minimum: Int64 = .max
    public private(set) var maximum: Int64 = .min
    private(set) var sum = 0.0
    private(set) var sumOfSquares = 0.0
    /// Every sample, while there are at most `fewLimit` (empty after that, or when
    /// the distribution was decoded without them): see `values(atPercentiles:)`.
    private var fewSamples: [Int64] = []
    static let fewLimit = 64

    public init() {}

    init(histogram: Histogram<UInt64>, count: Int, minimum: Int64, maximum: Int64, sum: Double, sumOfSquares: Double) {
        self.storage = count > 0 ? histogram : nil
        self.count = count
        self.minimum = minimum
        self.maximum = maximum
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    /// Records one value; negative values (clock steps backwards) are recorded as 0.
    @inline(__always)
    public mutating func record(_ value: Int64) {
        let v = max(0, value)
        if storage == nil { storage = Histogram<UInt64>(numberOfSignificantValueDigits: .three) }
        if UInt64(v) > storage!.highestTrackableValue { grow(toInclude: UInt64(v)) }
        _ = storage!.record(UInt64(v))
        if count < Distribution.fewLimit {
            fewSamples.append(v)
        } else if !fewSamples.isEmpty {
            fewSamples = []
        }
        count += 1
        minimum = min(minimum, v)
        maximum = max(maximum, v)
        let d = Double(v)
        sum += d
        sumOfSquares += d * d
    }

    /// Re-creates the histogram with a range that holds `value` and adds the old
    /// counts in. hdrhistogram-swift can auto-resize, but it grows its counts array
    /// element by element (tens of millions of instructions to reach milliseconds);
    /// allocating the wider array at once and adding into it is fast.
    private mutating func grow(toInclude value: UInt64) {
        let highest = max(value.multipliedReportingOverflow(by: 2).overflow ? value : value * 2,
                          histogram.highestTrackableValue * 2, 2048)
        var wider = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highest,
                                      numberOfSignificantValueDigits: .three)
        wider.autoResize = true
        wider.add(histogram)
        storage = wider
    }

    public var isEmpty: Bool { count == 0 }
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// Population standard deviation.
    public var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = mean
        return (max(0, sumOfSquares / Double(count) - m * m)).squareRoot()
    }

    /// The value at `percentile` (0–100) by the nearest-rank definition: the
    /// smallest sample with at least that share of samples at or below it, i.e. the
    /// sample of rank ⌈p/100 · n⌉. It is read from the histogram, so it is the lowest
    /// value of the sample's bucket (within 0.1 % of it; a sample of exactly 18000
    /// reads 18000), clamped to the exact min and max.
    /// The empirical CDF: for each recorded bucket, its lowest equivalent value and
    /// the fraction of samples at or below it (for plots; renderers do not walk
    /// histograms themselves).
    public func cdf() -> [(valueNs: Int64, fraction: Double)] {
        guard count > 0 else { return [] }
        let total = Double(histogram.totalCount)
        return histogram.recordedValues().map {
            (Int64(histogram.lowestEquivalentForValue($0.value)), Double($0.totalCountToThisValue) / total)
        }
    }

    public func value(atPercentile percentile: Double) -> Int64 {
        values(atPercentiles: [percentile])[0]
    }

    /// Several percentiles in one pass over the histogram (each pass walks every
    /// bucket up to the highest rank asked for, so reports ask for all at once).
    ///
    /// With few samples the walk would cost far more than the samples: it visits
    /// every bucket below the value, tens of thousands for millisecond values. Then
    /// the rank is taken from the sorted samples and mapped to its bucket's lowest
    /// value, which is exactly what the walk would return (a test holds the two
    /// ways equal).
    public func values(atPercentiles percentiles: [Double]) -> [Int64] {
        guard count > 0 else { return percentiles.map { _ in 0 } }
        if fewSamples.count == count {
            let sorted = fewSamples.sorted()
            return percentiles.map { percentile in
                let sample = sorted[Distribution.rank(percentile: percentile, count: count) - 1]
                let value = Int64(clamping: histogram.lowestEquivalentForValue(UInt64(sample)))
                return min(max(value, minimum), maximum)
            }
        }
        let ranks = percentiles.map { UInt64(Distribution.rank(percentile: $0, count: count)) }
        return values(atRanks: ranks, counts: histogram.countsByIndex)
    }

    /// The lowest value of the bucket holding each rank, walking the bucket counts
    /// (`countsByIndex`: a few instructions per bucket, where the library's iterator
    /// costs about 45).
    func values(atRanks ranks: [UInt64], counts: [UInt64]) -> [Int64] {
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var answers = [Int64](repeating: maximum, count: ranks.count)
        var next = 0, cumulative: UInt64 = 0
        for index in counts.indices where counts[index] != 0 {
            cumulative += counts[index]
            while next < order.count, cumulative >= ranks[order[next]] {
                let value = Int64(clamping: HdrHistogramEncoding.valueFromIndex(index))
                answers[order[next]] = min(max(value, minimum), maximum)
                next += 1
            }
            if next == order.count { break }
        }
        return answers
    }

    /// ⌈p/100 · n⌉, without letting floating-point noise (99.9 · 10000 / 100 =
    /// 9990.000000000002) push an exact product up to the next rank.
    static func rank(percentile: Double, count: Int) -> Int {
        let exact = percentile * Double(count) / 100
        var rank = Int(exact.rounded(.up))
        if rank > 1, Double(rank - 1) >= exact - exact * 1e-12 { rank -= 1 }
        return min(max(rank, 1), count)
    }

    /// Adds every sample of `other` (exact: histograms add bucket by bucket).
    public mutating func merge(_ other: Distribution) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        if fewSamples.count == count, other.fewSamples.count == other.count, count + other.count <= Distribution.fewLimit {
            fewSamples += other.fewSamples
        } else {
            fewSamples = []
        }
        // Add the narrower histogram into the wider one: growing a histogram to a
        // wider range (hdrhistogram-swift's resize) is slow, adding into one is not.
        if other.histogram.highestTrackableValue > histogram.highestTrackableValue {
            var wider = other.histogram
            wider.add(histogram)
            storage = wider
        } else {
            storage!.add(other.histogram)
        }
        count += other.count
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    public static func == (a: Distribution, b: Distribution) -> Bool {
        a.count == b.count && a.minimum == b.minimum && a.maximum == b.maximum && a.sum == b.sum
            && a.histogram == b.histogram
    }
}
