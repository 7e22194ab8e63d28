import FabricJSON
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
        if let tape = decoder as? TapeDecoder {
            try self.init(tape: tape.tape, node: tape.node, path: tape.codingPath)
            return
        }
        self.init()
        var container = try decoder.unkeyedContainer()
        var previous = -1
        while !container.isAtEnd {
            let bucket = try container.decode(Int.self)
            guard !container.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: LogSketch.bucketWithoutCount)
            }
            let count = try container.decode(UInt32.self)
            guard append(bucket: bucket, count: count, after: previous) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: LogSketch.badPair)
            }
            previous = bucket
        }
    }

    /// What both decoders refuse, in the same words.
    static let bucketWithoutCount = "a bucket without its count"
    static let badPair = "buckets must increase within 0…\(LogSketch.maximumBucket), counts be positive"

    /// Appends a decoded pair if it is valid: buckets increasing (after `previous`)
    /// up to `maximumBucket`, counts positive.
    private mutating func append(bucket: Int, count: UInt32, after previous: Int) -> Bool {
        guard bucket > previous, bucket <= LogSketch.maximumBucket, count > 0 else { return false }
        buckets.append(UInt16(bucket))
        counts.append(count)
        return true
    }

    /// The sketch at `node` of a tape, read in place: one per window of a summary, so
    /// an unkeyed container and a coding path per sketch were a large part of reading
    /// one (see `FlowTimeSeries+TapeDecoding.swift`). The same checks and errors as
    /// `init(from:)`.
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        self.init()
        let tape = box.tape
        guard tape.nodes[node].kind == .array else { throw mismatch([Int].self, node, path(), tape) }
        let count = tape.nodes[node].count
        buckets.reserveCapacity(count / 2)
        counts.reserveCapacity(count / 2)
        var element = node + 1, index = 0, previous = -1
        while index < count {
            let bucket = try tape.int(at: element)
                ?? decodeValue(Int.self, node: element, tape: box, path: path() + [TapeIndexKey(index)])
            (element, index) = (tape.nodes[element].next, index + 1)
            // As `dataCorruptedError(in:)` of an unkeyed container: the path ends at
            // the container's current index.
            guard index < count else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: path() + [TapeIndexKey(index)], debugDescription: LogSketch.bucketWithoutCount))
            }
            let count = try tape.uint32(at: element)
                ?? decodeValue(UInt32.self, node: element, tape: box, path: path() + [TapeIndexKey(index)])
            (element, index) = (tape.nodes[element].next, index + 1)
            guard append(bucket: bucket, count: count, after: previous) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: path() + [TapeIndexKey(index)], debugDescription: LogSketch.badPair))
            }
            previous = bucket
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
