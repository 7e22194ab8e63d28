import Histogram

/// A distribution of nanosecond values: exact count, min, max, mean and standard
/// deviation, and percentiles from an HdrHistogram with 3 significant digits (so a
/// percentile is within 0.1 % of the value it stands for).
///
/// Memory follows what it holds. Most of a flow's distributions never get a value
/// (READ, atomic, CNP timing, and every one of a flow that carries no requests); at
/// fabric scale most flows carry a handful of samples; and even a busy flow's
/// latencies fill a few dozen buckets. A full HdrHistogram costs 16 KiB or more
/// whatever it holds. So a distribution has three forms, each taken only when the
/// one before stops paying:
/// - up to `fewLimit` samples, the samples themselves;
/// - then up to `sparseLimit` non-empty buckets, those buckets (index and count);
/// - then the full histogram.
/// All three answer identically: a percentile is the lowest value of its sample's
/// bucket in every form, and encodings, CDFs and merges go through the same buckets
/// (`buckets()`); tests hold the forms equal.
public struct Distribution: Sendable {
    // Field order is cache order: what recording a sample in the first form
    // touches comes first.
    /// Every sample, in the first form (recorded ones as they were; decoded ones as
    /// the lowest value of their bucket, which lands in the same bucket).
    private var few: [Int64] = []
    public private(set) var count = 0
    public private(set) var minimum: Int64 = .max
    public private(set) var maximum: Int64 = .min
    private(set) var sum = 0.0
    private(set) var sumOfSquares = 0.0
    /// The non-empty buckets in increasing index order, in the second form.
    private var sparse: [HdrLayout.Bucket] = []
    /// The histogram, in the third form; nil before.
    private var full: HistogramBox?
    /// The bucket the last sample went into (second form): latencies cluster, so
    /// the next sample usually lands there without a search.
    private var lastSparse = 0
    /// 256 samples take 2 KiB, an eighth of the smallest histogram, and sorting
    /// them for a percentile is cheaper than walking a histogram's buckets.
    static let fewLimit = 256
    /// 1,024 buckets take 16 KiB, the smallest histogram's size.
    static let sparseLimit = 1024

    public init() {}

    /// From decoded buckets (increasing indices) and the exact moments.
    init(buckets: [HdrLayout.Bucket], count: Int, minimum: Int64, maximum: Int64, sum: Double, sumOfSquares: Double) {
        self.count = count
        self.minimum = minimum
        self.maximum = maximum
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        guard count > 0 else { return }
        if count <= Distribution.fewLimit {
            few.reserveCapacity(count)
            for bucket in buckets {
                let value = Int64(clamping: HdrLayout.lowestValue(atIndex: bucket.index))
                few.append(contentsOf: repeatElement(value, count: Int(bucket.count)))
            }
        } else if buckets.count <= Distribution.sparseLimit {
            sparse = buckets
        } else {
            full = Distribution.histogram(of: buckets)
        }
    }

    /// Records one value; negative values (clock steps backwards) are recorded as 0.
    @inline(__always)
    public mutating func record(_ value: Int64) {
        let v = max(0, value)
        if full != nil {
            recordInHistogram(v)
        } else if !sparse.isEmpty {
            recordInBuckets(v)
        } else if count < Distribution.fewLimit {
            few.append(v)
        } else {
            sparse = buckets()
            few = []
            recordInBuckets(v)
        }
        count += 1
        minimum = min(minimum, v)
        maximum = max(maximum, v)
        let d = Double(v)
        sum += d
        sumOfSquares += d * d
    }

    @inline(__always)
    private mutating func recordInBuckets(_ v: Int64) {
        add(HdrLayout.Bucket(index: HdrLayout.index(of: UInt64(v)), count: 1))
        if sparse.count > Distribution.sparseLimit {
            full = Distribution.histogram(of: sparse)
            sparse = []
        }
    }

    /// Adds a bucket's count in the second form: the last bucket hit first, then
    /// where the bucket would be if every bucket between them were taken (true near
    /// the mode), then a binary search on the side of the last where it lies.
    @inline(__always)
    private mutating func add(_ bucket: HdrLayout.Bucket) {
        var low = 0, high = sparse.count
        if lastSparse < high {
            let lastIndex = sparse[lastSparse].index
            if lastIndex == bucket.index {
                sparse[lastSparse].count += bucket.count
                return
            }
            // Near the mode every bucket is taken, so the bucket sits as many places
            // from the last as its index is: tried first.
            let guess = lastSparse &+ (bucket.index &- lastIndex)
            if guess >= 0, guess < high, sparse[guess].index == bucket.index {
                sparse[guess].count += bucket.count
                lastSparse = guess
                return
            }
            if lastIndex < bucket.index { low = lastSparse + 1 } else { high = lastSparse }
        }
        while low < high {
            let middle = (low &+ high) &>> 1
            if sparse[middle].index < bucket.index { low = middle + 1 } else { high = middle }
        }
        if low < sparse.count, sparse[low].index == bucket.index {
            sparse[low].count += bucket.count
        } else {
            sparse.insert(bucket, at: low)
        }
        lastSparse = low
    }

    private mutating func recordInHistogram(_ v: Int64) {
        let box = uniqueHistogram()
        if UInt64(v) > box.histogram.highestTrackableValue { grow(box, toInclude: UInt64(v)) }
        _ = box.histogram.record(UInt64(v))
    }

    /// The histogram, unshared (copy on write), made from the other forms if needed.
    private mutating func uniqueHistogram() -> HistogramBox {
        if full == nil {
            full = Distribution.histogram(of: buckets())
            few = []
            sparse = []
        } else if !isKnownUniquelyReferenced(&full!) {
            full = HistogramBox(full!.histogram)
        }
        return full!
    }

    /// A histogram holding `buckets`, sized for the largest.
    private static func histogram(of buckets: [HdrLayout.Bucket]) -> HistogramBox {
        let top = buckets.last.map { HdrLayout.lowestValue(atIndex: $0.index) } ?? 0
        let box = HistogramBox(holding: HdrLayout.highestTrackable(forMaximum: top))
        for bucket in buckets { _ = box.histogram.record(HdrLayout.lowestValue(atIndex: bucket.index), count: bucket.count) }
        return box
    }

    /// Re-creates the histogram with a range that holds `value` and adds the old
    /// counts in. hdrhistogram-swift can auto-resize, but it grows its counts array
    /// element by element (tens of millions of instructions to reach milliseconds);
    /// allocating the wider array at once and adding into it is fast.
    private func grow(_ box: HistogramBox, toInclude value: UInt64) {
        let wider = HistogramBox(holding: max(HdrLayout.highestTrackable(forMaximum: value), box.histogram.highestTrackableValue * 2))
        wider.histogram.add(box.histogram)
        box.histogram = wider.histogram
    }

    public var isEmpty: Bool { count == 0 }
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// Population standard deviation.
    public var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = mean
        return (max(0, sumOfSquares / Double(count) - m * m)).squareRoot()
    }

    /// The non-empty buckets in increasing order: what encodings, CDFs and
    /// comparisons are made of, the same for both forms.
    public func buckets() -> [HdrLayout.Bucket] {
        guard count > 0 else { return [] }
        if !sparse.isEmpty { return sparse }
        guard let full else {
            var buckets: [HdrLayout.Bucket] = []
            for index in few.map({ HdrLayout.index(of: UInt64($0)) }).sorted() {
                if buckets.last?.index == index { buckets[buckets.count - 1].count += 1 } else { buckets.append(.init(index: index, count: 1)) }
            }
            return buckets
        }
        var buckets: [HdrLayout.Bucket] = []
        for (index, count) in full.histogram.countsByIndex.enumerated() where count != 0 {
            buckets.append(.init(index: index, count: count))
        }
        return buckets
    }

    /// The samples as an HdrHistogram (built on demand while there are few; for
    /// interoperability and tests, reports use `buckets()`).
    public var histogram: Histogram<UInt64> {
        if let full { return full.histogram }
        return Distribution.histogram(of: buckets()).histogram
    }

    /// The empirical CDF: for each recorded bucket, its lowest equivalent value and
    /// the fraction of samples at or below it (for plots; renderers do not walk
    /// histograms themselves).
    public func cdf() -> [(valueNs: Int64, fraction: Double)] {
        var running: UInt64 = 0
        let total = Double(count)
        return buckets().map { bucket in
            running += bucket.count
            return (Int64(clamping: HdrLayout.lowestValue(atIndex: bucket.index)), Double(running) / total)
        }
    }

    /// The value at `percentile` (0–100) by the nearest-rank definition: the
    /// smallest sample with at least that share of samples at or below it, i.e. the
    /// sample of rank ⌈p/100 · n⌉. It is read from the histogram, so it is the lowest
    /// value of the sample's bucket (within 0.1 % of it; a sample of exactly 18000
    /// reads 18000), clamped to the exact min and max.
    public func value(atPercentile percentile: Double) -> Int64 {
        values(atPercentiles: [percentile])[0]
    }

    /// Several percentiles in one pass over the histogram (each pass walks every
    /// bucket up to the highest rank asked for, so reports ask for all at once).
    /// With few samples the rank is taken from the sorted samples and mapped to its
    /// bucket's lowest value, which is what the walk would return (a test holds the
    /// two ways equal).
    public func values(atPercentiles percentiles: [Double]) -> [Int64] {
        guard count > 0 else { return percentiles.map { _ in 0 } }
        if !sparse.isEmpty {
            let ranks = percentiles.map { UInt64(Distribution.rank(percentile: $0, count: count)) }
            let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
            var answers = [Int64](repeating: maximum, count: ranks.count)
            var next = 0, cumulative: UInt64 = 0
            for bucket in sparse where next < order.count {
                cumulative += bucket.count
                while next < order.count, cumulative >= ranks[order[next]] {
                    answers[order[next]] = min(max(Int64(clamping: HdrLayout.lowestValue(atIndex: bucket.index)), minimum), maximum)
                    next += 1
                }
            }
            return answers
        }
        guard let full else {
            let sorted = few.sorted()
            return percentiles.map { percentile in
                let sample = sorted[Distribution.rank(percentile: percentile, count: count) - 1]
                let value = Int64(clamping: HdrLayout.lowestEquivalent(UInt64(sample)))
                return min(max(value, minimum), maximum)
            }
        }
        let ranks = percentiles.map { UInt64(Distribution.rank(percentile: $0, count: count)) }
        return values(atRanks: ranks, counts: full.histogram.countsByIndex)
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
                let value = Int64(clamping: HdrLayout.lowestValue(atIndex: index))
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

    /// Adds every sample of `other` (exact: buckets add).
    public mutating func merge(_ other: Distribution) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        if full == nil, other.full == nil, sparse.isEmpty, other.sparse.isEmpty, count + other.count <= Distribution.fewLimit {
            few += other.few
        } else if full == nil, other.full == nil {
            // Buckets into buckets, a histogram only if there are too many.
            if sparse.isEmpty {
                sparse = buckets()
                few = []
            }
            for bucket in other.buckets() { add(bucket) }
            if sparse.count > Distribution.sparseLimit {
                full = Distribution.histogram(of: sparse)
                sparse = []
            }
        } else if let theirs = other.full {
            let mine = uniqueHistogram()
            // Add the narrower histogram into the wider one: growing a histogram to a
            // wider range (hdrhistogram-swift's resize) is slow, adding into one is not.
            if theirs.histogram.highestTrackableValue > mine.histogram.highestTrackableValue {
                var wider = theirs.histogram
                wider.add(mine.histogram)
                mine.histogram = wider
            } else {
                mine.histogram.add(theirs.histogram)
            }
        } else {
            let mine = uniqueHistogram()
            if UInt64(other.maximum) > mine.histogram.highestTrackableValue { grow(mine, toInclude: UInt64(other.maximum)) }
            for bucket in other.buckets() {
                _ = mine.histogram.record(HdrLayout.lowestValue(atIndex: bucket.index), count: bucket.count)
            }
        }
        count += other.count
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }
}

extension Distribution: Equatable {
    /// Equal samples as the histogram sees them, whichever form holds them.
    public static func == (a: Distribution, b: Distribution) -> Bool {
        a.count == b.count && a.minimum == b.minimum && a.maximum == b.maximum && a.sum == b.sum
            && a.buckets() == b.buckets()
    }
}
