import FabricJSON
import Foundation

/// The pauses between a request stream's messages (from its last request to the
/// next message's first packet), kept in buckets an eighth of an octave wide (±4.5 %)
/// with each bucket's exact sum. A collective's iterations show here as two groups —
/// the short pauses between its steps and the long ones between iterations — so the
/// boundary can be found from the traffic itself after the capture is read
/// (`split()`), instead of from a threshold guessed beforehand. Sparse: memory grows
/// with the number of distinct pause scales, a handful per flow, not with packets.
public struct PauseHistogram: Sendable, Equatable, Codable, KeyOrderedEncodable {
    public struct Bucket: Sendable, Equatable, Codable, KeyOrderedEncodable {
        public var index: Int
        public var count: Int
        public var sumNs: Int64

        /// Members in key order (see `PauseHistogram.encodeMembers(into:)`).
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(count, forKey: CodingKeys.count)
            try object.encode(index, forKey: CodingKeys.index)
            try object.encode(sumNs, forKey: CodingKeys.sumNs)
        }
    }

    /// Buckets in increasing order of `index`.
    public private(set) var buckets: [Bucket] = []
    /// Pauses recorded: the buckets' counts summed, held because every message asks
    /// for it (a long pause notes how many messages came before it). Not encoded.
    public private(set) var count = 0

    static let bucketsPerOctave = 8.0

    enum CodingKeys: String, CodingKey {
        case buckets
    }

    public init() {}

    /// Written through `SortedJSONObject`, as every type a summary holds per flow:
    /// through a keyed container each histogram and bucket cost a boxed container,
    /// and each bucket its members moved into key order after writing.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(buckets, forKey: CodingKeys.buckets)
    }

    public init(from decoder: any Decoder) throws {
        buckets = try decoder.container(keyedBy: CodingKeys.self).decode([Bucket].self, forKey: .buckets)
        count = buckets.reduce(0) { $0 + $1.count }
    }
    /// Read off a summary's tape (`AnalysisSummary+TapeDecoding.swift`).
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let array = try object.required("buckets")
        buckets = try box.elements(ofArray: array, path: box.codingPath(to: array)) { element, _ in
            var bucket = try TapeObject(box, node: element)
            let count = try bucket.int("count")  // in the order written
            return Bucket(index: try bucket.int("index"), count: count, sumNs: try bucket.int64("sumNs"))
        }
        count = buckets.reduce(0) { $0 + $1.count }
    }

    public var isEmpty: Bool { buckets.isEmpty }

    /// The bucket of a pause of `ns` (pauses under 1 ns share bucket 0).
    static func index(of ns: Int64) -> Int {
        ns <= 1 ? 0 : Int((log2(Double(ns)) * bucketsPerOctave).rounded(.down))
    }

    /// The smallest pause of bucket `index`.
    public static func lowerBoundNs(ofBucket index: Int) -> Double { exp2(Double(index) / bucketsPerOctave) }

    public mutating func record(_ ns: Int64) {
        let index = PauseHistogram.index(of: ns)
        add(Bucket(index: index, count: 1, sumNs: ns))
    }

    public mutating func merge(_ other: PauseHistogram) {
        for bucket in other.buckets { add(bucket) }
    }

    private mutating func add(_ bucket: Bucket) {
        count += bucket.count
        var low = 0, high = buckets.count
        while low < high {
            let mid = (low + high) / 2
            if buckets[mid].index < bucket.index { low = mid + 1 } else { high = mid }
        }
        if low < buckets.count, buckets[low].index == bucket.index {
            buckets[low].count += bucket.count
            buckets[low].sumNs += bucket.sumNs
        } else {
            buckets.insert(bucket, at: low)
        }
    }

    /// Pauses at or above `thresholdNs` (by bucket: a bucket counts when its lower bound is).
    public func above(_ thresholdNs: Double) -> (count: Int, sumNs: Int64) {
        var count = 0, sum: Int64 = 0
        for bucket in buckets where PauseHistogram.lowerBoundNs(ofBucket: bucket.index) >= thresholdNs * 0.999_999 {
            count += bucket.count
            sum += bucket.sumNs
        }
        return (count, sum)
    }

    /// Where the pauses split into short ones (within busy periods) and long ones
    /// (idle periods between them), if they clearly do: the threshold between the two
    /// groups that best separates log(pause) (Otsu's criterion), accepted only when the
    /// groups are far apart for their spread — the gap between them in log space at
    /// least `minimumSeparation` times the larger group's standard deviation and at
    /// least a factor `minimumRatio` — and the long group is no larger than the short
    /// one (idle periods are the exception). Nil: one busy period.
    public func split(minimumRatio: Double = 1.5, minimumSeparation: Double = 4) -> Double? {
        guard buckets.count >= 2 else { return nil }
        let logs = buckets.map { log(max(1, Double($0.sumNs) / Double($0.count))) }
        let weights = buckets.map { Double($0.count) }
        let total = weights.reduce(0, +)
        var best: (score: Double, cut: Int)?
        for cut in 1..<buckets.count {
            let (w0, w1) = (weights[..<cut].reduce(0, +), weights[cut...].reduce(0, +))
            let m0 = zip(logs[..<cut], weights[..<cut]).reduce(0) { $0 + $1.0 * $1.1 } / w0
            let m1 = zip(logs[cut...], weights[cut...]).reduce(0) { $0 + $1.0 * $1.1 } / w1
            let score = w0 * w1 / (total * total) * (m1 - m0) * (m1 - m0)
            if score > (best?.score ?? -1) { best = (score, cut) }
        }
        guard let cut = best?.cut else { return nil }
        func spread(_ range: Range<Int>) -> Double {
            let w = weights[range].reduce(0, +)
            let mean = range.reduce(0.0) { $0 + logs[$1] * weights[$1] } / w
            return (range.reduce(0.0) { $0 + weights[$1] * (logs[$1] - mean) * (logs[$1] - mean) } / w).squareRoot()
        }
        let lowTop = logs[cut - 1], highBottom = logs[cut]
        let gap = highBottom - lowTop
        let longCount = weights[cut...].reduce(0, +), shortCount = weights[..<cut].reduce(0, +)
        guard gap >= log(minimumRatio),
              gap >= minimumSeparation * max(spread(0..<cut), spread(cut..<buckets.count)),
              longCount <= shortCount
        else { return nil }
        return PauseHistogram.lowerBoundNs(ofBucket: buckets[cut].index)
    }
}

extension PauseHistogram {
    /// The median pause (the mean of its bucket), nil when there is none.
    public var median: Double? {
        let total = count
        guard total > 0 else { return nil }
        var seen = 0
        for bucket in buckets {
            seen += bucket.count
            if seen * 2 >= total { return Double(bucket.sumNs) / Double(bucket.count) }
        }
        return nil
    }
}
