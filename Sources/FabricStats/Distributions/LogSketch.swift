import Foundation

/// A sparse histogram of durations in logarithmic buckets, 64 per octave (each
/// bucket 1.09 % wide, so a quantile read from it is within 0.55 % of the sample's).
///
/// Kept per time window (request→ACK latency, gaps within messages) so that
/// `compare` can treat windows as units of replication: a window holds only the
/// buckets it saw, which is a few entries, where an HdrHistogram would cost kilobytes.
/// Sketches add bucket by bucket, so merged windows are exact.
public struct LogSketch: Sendable, Equatable {
    public static let bucketsPerOctave = 64
    /// Bucket 0 holds values ≤ 0; bucket i ≥ 1 holds [2^((i−1)/64), 2^(i/64)) ns.
    public static let maximumBucket = 63 * bucketsPerOctave + 1

    /// Bucket indices in increasing order, and their counts.
    public private(set) var buckets: [UInt16] = []
    public private(set) var counts: [UInt32] = []

    public init() {}

    public var isEmpty: Bool { buckets.isEmpty }
    public var count: Int { counts.reduce(0) { $0 + Int($1) } }

    /// The bucket a duration falls in.
    @inline(__always)
    public static func bucket(of ns: Int64) -> Int {
        ns <= 0 ? 0 : min(maximumBucket, Int((log2(Double(ns)) * Double(bucketsPerOctave)).rounded(.down)) + 1)
    }

    /// The value a bucket stands for: its geometric middle (0 for bucket 0).
    public static func value(ofBucket bucket: Int) -> Double {
        bucket == 0 ? 0 : exp2((Double(bucket) - 0.5) / Double(bucketsPerOctave))
    }

    public mutating func record(_ ns: Int64) { add(bucket: LogSketch.bucket(of: ns), count: 1) }

    mutating func add(bucket: Int, count: UInt32) {
        let b = UInt16(bucket)
        // Values in a window cluster: search from the end, where most land.
        var i = buckets.count
        while i > 0, buckets[i - 1] > b { i -= 1 }
        if i > 0, buckets[i - 1] == b {
            counts[i - 1] &+= count
        } else {
            buckets.insert(b, at: i)
            counts.insert(count, at: i)
        }
    }

    /// Adds another sketch bucket by bucket (into an empty one: shares its storage).
    public mutating func add(_ other: LogSketch) {
        if buckets.isEmpty {
            self = other
            return
        }
        for (bucket, count) in zip(other.buckets, other.counts) { add(bucket: Int(bucket), count: count) }
    }
}

extension LogSketch: Codable {
    /// Stored as one flat array, `[bucket, count, bucket, count, …]`: compact in JSON.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var previous = -1
        while !container.isAtEnd {
            let bucket = try container.decode(Int.self)
            guard !container.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a bucket without its count")
            }
            let count = try container.decode(UInt32.self)
            guard bucket > previous, bucket <= LogSketch.maximumBucket, count > 0 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "buckets must increase within 0…\(LogSketch.maximumBucket), counts be positive")
            }
            previous = bucket
            buckets.append(UInt16(bucket))
            counts.append(count)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for (bucket, count) in zip(buckets, counts) {
            try container.encode(Int(bucket))
            try container.encode(count)
        }
    }
}
