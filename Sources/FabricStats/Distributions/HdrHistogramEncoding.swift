import FabricJSON
import FabricIngest
import Foundation
import Histogram

/// HdrHistogram's V2 serialization, compressed and base64-encoded — the
/// "HISTFAAA…" strings that the Java, C, Go and Python HdrHistogram libraries
/// read and write (hdrhistogram-swift has no serialization of its own).
///
/// Layout (big-endian): the compressed form is cookie 0x1c849314, the length of
/// the zlib stream, then the zlib stream of the uncompressed form: cookie
/// 0x1c849313, payload length, normalizing index offset (0), significant digits,
/// lowest discernible value, highest trackable value, integer-to-double ratio
/// (1.0), then the counts array by index as ZigZag LEB128 varints, with each run of
/// zeros written as its negated length.
public enum HdrHistogramEncoding {
    static let cookie: UInt32 = 0x1c84_9313
    static let compressedCookie: UInt32 = 0x1c84_9314
    /// Lowest discernible value 1 and 3 significant digits (`HdrLayout`).
    static let significantDigits: Int32 = 3
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The base64 text of the compressed V2 encoding of a histogram.
    public static func encode(_ histogram: Histogram<UInt64>) -> String {
        var buckets: [HdrLayout.Bucket] = []
        if histogram.totalCount > 0 {
            for (index, count) in histogram.countsByIndex.enumerated() where count != 0 { buckets.append(.init(index: index, count: count)) }
        }
        return encode(buckets: buckets, highestTrackableValue: histogram.highestTrackableValue)
    }

    /// The base64 text of the compressed V2 encoding of non-empty buckets in
    /// increasing index order; the gaps between them are the runs of zeros.
    public static func encode(buckets: [HdrLayout.Bucket], highestTrackableValue: UInt64) -> String {
        var payload: [UInt8] = []
        var next = 0
        for bucket in buckets {
            let zeros = bucket.index - next
            if zeros == 1 { putVarint(&payload, 0) } else if zeros > 1 { putVarint(&payload, -Int64(zeros)) }
            putVarint(&payload, Int64(bucket.count))
            next = bucket.index + 1
        }
        var plain: [UInt8] = []
        plain.reserveCapacity(40 + payload.count)
        put32(&plain, cookie)
        put32(&plain, UInt32(payload.count))
        put32(&plain, 0)
        put32(&plain, UInt32(significantDigits))
        put64(&plain, 1)
        put64(&plain, max(2, highestTrackableValue))
        put64(&plain, (1.0).bitPattern)
        plain += payload
        let compressed = Zlib.deflate(plain)
        var framed: [UInt8] = []
        put32(&framed, compressedCookie)
        put32(&framed, UInt32(compressed.count))
        return Data(framed + compressed).base64EncodedString()
    }

    /// Reads a compressed V2 encoding into a histogram.
    public static func decode(_ text: String) throws(Failure) -> Histogram<UInt64> {
        let buckets = try decodeBuckets(text)
        let top = buckets.last.map { HdrLayout.lowestValue(atIndex: $0.index) } ?? 0
        let box = HistogramBox(holding: HdrLayout.highestTrackable(forMaximum: top))
        for bucket in buckets { _ = box.histogram.record(HdrLayout.lowestValue(atIndex: bucket.index), count: bucket.count) }
        return box.histogram
    }

    /// Reads a compressed V2 encoding written with lowest discernible value 1 and
    /// 3 significant digits (FabricScope's, or any library's with those settings).
    public static func decodeBuckets(_ text: String) throws(Failure) -> [HdrLayout.Bucket] {
        guard let data = Data(base64Encoded: text) else { throw Failure(description: "not base64") }
        let framed = [UInt8](data)
        guard framed.count >= 8, get32(framed, 0) == compressedCookie else {
            throw Failure(description: "not a compressed HdrHistogram V2 encoding (cookie)")
        }
        let plain: [UInt8]
        do { plain = try Zlib.inflate(Array(framed.dropFirst(8))) } catch {
            throw Failure(description: "compressed histogram: \(error.description)")
        }
        guard plain.count >= 40, get32(plain, 0) == cookie else {
            throw Failure(description: "not an uncompressed HdrHistogram V2 encoding (cookie)")
        }
        let payloadLength = Int(get32(plain, 4))
        guard get32(plain, 8) == 0 else { throw Failure(description: "normalizing index offsets are not supported") }
        guard Int32(bitPattern: get32(plain, 12)) == significantDigits, get64(plain, 16) == 1 else {
            throw Failure(description: "only histograms with 3 significant digits and lowest value 1 are supported")
        }
        guard plain.count >= 40 + payloadLength else { throw Failure(description: "payload is cut short") }
        var buckets: [HdrLayout.Bucket] = []
        var cursor = 40, index = 0
        let end = 40 + payloadLength
        while cursor < end {
            let value = try getVarint(plain, &cursor, end: end)
            if value < 0 {
                // A run of empty buckets; never past the last bucket a time can use.
                guard value > -Int64(maximumIndex) else { throw Failure(description: "a run of \(value) empty buckets") }
                index += Int(-value)
            } else {
                if value > 0 {
                    guard index < maximumIndex else { throw Failure(description: "a count at bucket \(index), beyond 2^62") }
                    guard value <= maximumCount else { throw Failure(description: "a bucket count of \(value)") }
                    buckets.append(.init(index: index, count: UInt64(value)))
                }
                index += 1
            }
            guard index <= maximumIndex else { throw Failure(description: "buckets beyond 2^62") }
        }
        return buckets
    }

    /// Counts-array indexes of values up to 2^62 (ns: 146 years) at 3 significant
    /// digits: bucket 52 of 1024 half sub-buckets. A summary naming more is damaged.
    static let maximumIndex = (52 + 2) << HdrLayout.subBucketHalfCountMagnitude
    /// Larger counts would overflow sums of a few thousand merged summaries.
    static let maximumCount: Int64 = 1 << 53

    // MARK: Wire primitives

    /// ZigZag, then LEB128 as HdrHistogram writes it: at most 9 bytes, the 9th
    /// carrying a full 8 bits.
    static func putVarint(_ out: inout [UInt8], _ signed: Int64) {
        var value = UInt64(bitPattern: (signed << 1) ^ (signed >> 63))
        for _ in 0..<8 {
            if value >> 7 == 0 {
                out.append(UInt8(value))
                return
            }
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: value))
    }

    static func getVarint(_ bytes: [UInt8], _ cursor: inout Int, end: Int) throws(Failure) -> Int64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for position in 0..<9 {
            guard cursor < end else { throw Failure(description: "payload ends inside a number") }
            let byte = bytes[cursor]
            cursor += 1
            if position == 8 {
                value |= UInt64(byte) << 56
                break
            }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    static func put32(_ out: inout [UInt8], _ value: UInt32) {
        out += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    static func put64(_ out: inout [UInt8], _ value: UInt64) {
        put32(&out, UInt32(value >> 32))
        put32(&out, UInt32(value & 0xffff_ffff))
    }

    static func get32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    static func get64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(get32(bytes, at)) << 32 | UInt64(get32(bytes, at + 4))
    }
}
