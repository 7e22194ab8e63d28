/// Where a value lands in an HdrHistogram with lowest discernible value 1 and 3
/// significant digits (FabricScope's only kind): 2048 sub-buckets in bucket 0, then
/// 1024 more per doubling, so an index never exceeds about 55,000 for a time in ns.
///
/// Why its own arithmetic: a distribution with a few samples keeps the samples, not a
/// histogram, and still has to answer exactly what the histogram would (percentiles,
/// CDF, encoding). These are the library's formulas (`countsArrayIndex`,
/// `valueFromIndex`, `sizeOfEquivalentValueRange`) for this one layout; a test holds
/// them equal to hdrhistogram-swift's over the whole range.
public enum HdrLayout {
    static let subBucketHalfCountMagnitude = 10
    static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    static let subBucketMask: UInt64 = (1 << (subBucketHalfCountMagnitude + 1)) - 1
    /// 64 − unit magnitude (0) − half-count magnitude − 1.
    static let leadingZeroCountBase = 64 - subBucketHalfCountMagnitude - 1

    /// One non-empty bucket: its counts-array index and how many samples it holds.
    public struct Bucket: Sendable, Equatable {
        public var index: Int
        public var count: UInt64
    }

    /// The counts-array index of `value`.
    @inline(__always)
    public static func index(of value: UInt64) -> Int {
        let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket))
        return ((bucket + 1) << subBucketHalfCountMagnitude) + subBucket - subBucketHalfCount
    }

    /// The lowest value counted at `index`.
    @inline(__always)
    public static func lowestValue(atIndex index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket)
    }

    /// How many values share the bucket at `index`.
    @inline(__always)
    static func width(atIndex index: Int) -> UInt64 {
        let bucket = max(0, (index >> subBucketHalfCountMagnitude) - 1)
        return 1 << UInt64(bucket)
    }

    /// The middle of the bucket at `index` (HdrHistogram's median equivalent value).
    public static func middleValue(atIndex index: Int) -> UInt64 {
        lowestValue(atIndex: index) + width(atIndex: index) >> 1
    }

    /// The lowest value of the bucket `value` falls in.
    @inline(__always)
    public static func lowestEquivalent(_ value: UInt64) -> UInt64 { lowestValue(atIndex: index(of: value)) }

    /// A highest trackable value that depends only on the largest value held: the
    /// smallest power of two above it, at least 2048. Encodings carry it, so two
    /// distributions with the same samples encode the same bytes however they grew.
    static func highestTrackable(forMaximum maximum: UInt64) -> UInt64 {
        guard maximum >= 2048 else { return 2048 }
        let bits = 64 - maximum.leadingZeroBitCount
        return bits >= 63 ? UInt64(Int64.max) : 1 << UInt64(bits)
    }
}
