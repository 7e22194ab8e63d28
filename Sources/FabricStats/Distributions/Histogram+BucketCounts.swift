import FabricIngest
import Histogram

extension Histogram where Count == UInt64 {
    /// The bucket counts in HdrHistogram's index order (index → lowest value by
    /// `HdrHistogramEncoding.valueFromIndex`), or nil if they cannot be read.
    ///
    /// Why this detour: hdrhistogram-swift keeps its counts array internal, and its
    /// public iterators cost about 45 instructions per bucket. A percentile or an
    /// encoding walks every bucket below the largest value, tens of thousands for
    /// millisecond latencies, so a report of many flows spent most of its time
    /// there. The library's synthesized `Codable` conformance hands the array to
    /// an encoder in one piece, so an encoder that keeps only that key reads it
    /// without copying. Should a later version encode differently, this returns nil
    /// and `countsByIndex` falls back to the iterator; a test fails first, saying so.
    var bucketCounts: [UInt64]? {
        let grabber = CountsGrabber()
        try? encode(to: grabber)
        guard let counts = grabber.counts, counts.reduce(0, &+) == totalCount else { return nil }
        return counts
    }
}

extension Histogram where Count == UInt64 {
    /// The bucket counts by index, through `bucketCounts` or, failing that, the
    /// library's iterator (up to the last non-zero bucket).
    var countsByIndex: [UInt64] {
        bucketCounts ?? allValues().map(\.count)
    }
}

/// An `Encoder` that ignores everything but the `counts` key of a histogram.
private final class CountsGrabber: Encoder {
    var counts: [UInt64]?
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Container(grabber: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer { Ignored() }
    func singleValueContainer() -> SingleValueEncodingContainer { Ignored() }

    private struct Container<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let grabber: CountsGrabber
        var codingPath: [CodingKey] { [] }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if key.stringValue == "counts", let counts = value as? [UInt64] { grabber.counts = counts }
        }

        mutating func encodeNil(forKey key: Key) throws {}

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Container<NestedKey>(grabber: grabber))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { Ignored() }
        mutating func superEncoder() -> Encoder { grabber }
        mutating func superEncoder(forKey key: Key) -> Encoder { grabber }
    }

    /// Swallows whatever is not a keyed container.
    private struct Ignored: UnkeyedEncodingContainer, SingleValueEncodingContainer {
        var codingPath: [CodingKey] { [] }
        var count: Int { 0 }

        mutating func encodeNil() throws {}
        mutating func encode<T: Encodable>(_ value: T) throws {}

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type
        ) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(IgnoredKeyed<NestedKey>())
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { Ignored() }
        mutating func superEncoder() -> Encoder { CountsGrabber() }
    }

    private struct IgnoredKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        var codingPath: [CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {}

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(IgnoredKeyed<NestedKey>())
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { Ignored() }
        mutating func superEncoder() -> Encoder { CountsGrabber() }
        mutating func superEncoder(forKey key: Key) -> Encoder { CountsGrabber() }
    }
}
