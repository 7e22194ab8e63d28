/// The members of one object, given by a hand-written `encode(to:)` in the order of
/// their keys (as `.sortedKeys` writes them). With `StreamingJSONEncoder` they go
/// straight into its buffer; with any other encoder (Foundation's, in tests) into
/// that encoder's keyed container, so one list of members serves both.
///
/// Why: a report's flows are nearly all of its text, and each went through the
/// standard library's boxed keyed containers (a box, generic type lookups and a
/// recorded span per member), then had its members moved into key order. At 10⁴
/// flows that was a fifth of `analyze -T json`. Debug builds check the order.
///
/// Inlinable, so that each type's members are specialized where it is written:
/// unspecialized, every member looked up the object's generic type at run time.
/// Not generic itself (each member's key type is): copying or dropping a generic
/// struct went through its type's run-time metadata, 7 % of a 10⁵-flow report.
public struct SortedJSONObject {
    @usableFromInline let writer: JSONByteWriter?
    @usableFromInline let depth: Int
    @usableFromInline var container: KeyedEncodingContainer<NamedKey>?
    #if DEBUG
    @usableFromInline var lastKey: String?
    #endif

    /// Any key, by its name: other encoders see the same names.
    @usableFromInline struct NamedKey: CodingKey {
        @usableFromInline var stringValue: String
        @usableFromInline init(stringValue: String) { self.stringValue = stringValue }
        @inlinable init(_ key: some CodingKey) { stringValue = key.stringValue }
        @usableFromInline var intValue: Int? { nil }
        @usableFromInline init?(intValue: Int) { nil }
    }

    /// Writes `compactText`, the compact JSON of a value, as that value when
    /// `encoder` is `StreamingJSONEncoder`'s writing compact text, and returns true;
    /// returns false for any other encoder or for pretty-printed text, and the caller
    /// encodes the value itself.
    ///
    /// For values written by the hundred thousand whose text never changes: a
    /// 10⁵-flow summary holds 350,000 empty distributions, each six members through
    /// this type. The caller makes the text once, through its own `encode(to:)`, so
    /// it is the text that would be written.
    public static func writeVerbatim(_ compactText: [UInt8], to encoder: any Encoder) -> Bool {
        guard let streaming = encoder as? JSONValueEncoder, !streaming.writer.prettyPrinted else { return false }
        streaming.writer.writeVerbatim(compactText, depth: streaming.depth)
        return true
    }

    @inlinable public init(_ encoder: any Encoder) {
        if let streaming = encoder as? JSONValueEncoder {
            writer = streaming.writer
            depth = streaming.depth
            streaming.writer.openKeyOrderedObject(depth: depth)
        } else {
            writer = nil
            depth = 0
            container = encoder.container(keyedBy: NamedKey.self)
        }
    }

    /// The object of a member at `depth`, opened straight in the streaming writer
    /// (see `KeyOrderedEncodable`).
    @usableFromInline init(writer: JSONByteWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
        writer.openKeyOrderedObject(depth: depth)
    }

    /// Starts the member `key` in the streaming writer, or returns nil for another encoder.
    @inlinable mutating func begin(_ key: some CodingKey) -> JSONByteWriter? {
        guard let writer else { return nil }
        writer.beginKeyOrderedMember(codingKey: name(of: key), depth: depth)
        return writer
    }

    /// The name of the next member's key; debug builds check that it comes after the last.
    @inlinable mutating func name(of key: some CodingKey) -> String {
        let name = key.stringValue
        #if DEBUG
        if let lastKey { assert(JSONByteWriter.precedes(lastKey, name), "\(name) written after \(lastKey)") }
        lastKey = name
        #endif
        return name
    }

    @inlinable public mutating func encode<T: BinaryInteger & Encodable>(_ value: T, forKey key: some CodingKey) throws {
        if let writer {
            writer.writeIntegerMember(codingKey: name(of: key), depth: depth, negative: value < 0, magnitude: UInt64(value.magnitude))
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    @inlinable public mutating func encode(_ value: Double, forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            try writer.writeDouble(value)
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    @inlinable public mutating func encode(_ value: String, forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            writer.writeString(value)
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    @inlinable public mutating func encode(_ value: [String], forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            writer.writeStrings(value, depth: depth + 1)
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    /// Counts by name, as an object with sorted keys.
    @inlinable public mutating func encode(_ value: [String: Int], forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            writer.writeSortedObject(value, depth: depth + 1)
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    /// An array, each element through its own `encode(to:)` (no boxed container
    /// per array: a summary holds an array of windows per flow).
    @inlinable public mutating func encode<T: Encodable>(_ value: [T], forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            writer.openArray(depth: depth + 1)
            for element in value {
                writer.beginElement(depth: depth + 1)
                try writer.encodeValue(element, depth: depth + 2)
            }
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    /// Any other value, through its own `encode(to:)`.
    @inlinable public mutating func encode<T: Encodable>(_ value: T, forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            try write(value, writer: writer, depth: depth)
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    /// A value that lists its own members in key order: written straight into the
    /// streaming writer, as an object one level deeper.
    @inlinable public mutating func encode<T: KeyOrderedEncodable>(_ value: T, forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            var object = SortedJSONObject(writer: writer, depth: depth + 1)
            try value.encodeMembers(into: &object)
            writer.close(above: depth)
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    /// Left out when absent.
    @inlinable public mutating func encodeIfPresent<T: KeyOrderedEncodable>(_ value: T?, forKey key: some CodingKey) throws {
        if let value { try encode(value, forKey: key) }
    }

    /// `null` when absent (the member is always there).
    @inlinable public mutating func encodeOrNull(_ value: Double?, forKey key: some CodingKey) throws {
        if let writer = begin(key) {
            if let value { try writer.writeDouble(value) } else { writer.writeNull() }
        } else {
            try container!.encode(value, forKey: NamedKey(key))
        }
    }

    /// Left out when absent.
    @inlinable public mutating func encodeIfPresent<T: BinaryInteger & Encodable>(_ value: T?, forKey key: some CodingKey) throws {
        if let value { try encode(value, forKey: key) }
    }

    /// Left out when absent.
    @inlinable public mutating func encodeIfPresent(_ value: Double?, forKey key: some CodingKey) throws {
        if let value { try encode(value, forKey: key) }
    }

    /// Left out when absent.
    @inlinable public mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: some CodingKey) throws {
        if let value { try encode(value, forKey: key) }
    }
}
