/// An object's members, found by comparing key bytes in place. Decoding asks for
/// keys mostly in the order they were written, so the search starts after the
/// member found last.
package struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// Everything in one reference: the protocol's box copies the container for
    /// calls, and one retain per copy cost less than four.
    private let object: Object

    /// The object's node and where the next search starts (the protocol's reads are
    /// not `mutating`).
    final class Object {
        let tape: TapeBox
        let node: Int
        let end: Int
        let codingPath: [CodingKey]
        var position: Int

        init(tape: TapeBox, node: Int, codingPath: [CodingKey]) {
            self.tape = tape
            self.node = node
            self.codingPath = codingPath
            end = tape.tape.nodes[node].next
            position = node + 1
        }
    }

    init(tape: TapeBox, node: Int, codingPath: [CodingKey]) {
        object = Object(tape: tape, node: node, codingPath: codingPath)
    }

    private var tape: TapeBox { object.tape }
    private var node: Int { object.node }
    package var codingPath: [CodingKey] { object.codingPath }

    /// Key nodes of the object, in order.
    private var keyNodes: [Int] {
        var keys: [Int] = []
        var index = node + 1
        let end = tape.tape.nodes[node].next
        while index < end {
            keys.append(index)
            index = tape.tape.nodes[index + 1].next
        }
        return keys
    }

    package var allKeys: [Key] { keyNodes.compactMap { (try? tape.tape.string(at: $0)).flatMap(Key.init(stringValue:)) } }

    /// The value node of `key`, or nil.
    private func find(_ key: Key) -> Int? {
        guard let found = object.tape.tape.member(key.stringValue, of: object.node, from: object.position) else { return nil }
        // Stay on it: the same key is often asked again (contains, then decode).
        object.position = found
        return found + 1
    }

    private func value(_ key: Key) throws -> Int {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return value
    }

    package func contains(_ key: Key) -> Bool { find(key) != nil }

    /// The value node of `key` itself, for types that read their members straight
    /// from the tape (`FlowTimeSeries`).
    package func valueNode(_ key: Key) throws -> Int { try value(key) }

    package func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = find(key) else { return true }
        return tape.tape.nodes[value].kind == .null
    }

    package func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try read(type, key) }

    package func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try readIfPresent(type, key) }

    // The scalars summaries are made of, as the protocol's own overloads: the
    // container's box calls them directly, and `decodeValue` is specialized for each
    // (no chain of type checks per value).
    package func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try read(type, key) }
    package func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try read(type, key) }
    package func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try read(type, key) }
    package func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try read(type, key) }
    package func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try read(type, key) }
    package func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try read(type, key) }
    package func decode(_ type: String.Type, forKey key: Key) throws -> String { try read(type, key) }
    package func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try readIfPresent(type, key) }
    package func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try readIfPresent(type, key) }
    package func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try readIfPresent(type, key) }
    package func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try readIfPresent(type, key) }

    /// Every keyed read, generic or one of the overloads above, ends here.
    @inline(__always)
    private func read<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decodeValue(type, node: try value(key), tape: tape, path: codingPath + [key])
    }

    @inline(__always)
    private func readIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let value = find(key), tape.tape.nodes[value].kind != .null else { return nil }
        return try decodeValue(type, node: value, tape: tape, path: codingPath + [key])
    }

    package func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(tape: tape, node: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    package func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try TapeDecoder(tape: tape, node: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    package func superDecoder() throws -> Decoder { TapeDecoder(tape: tape, node: node, codingPath: codingPath) }

    package func superDecoder(forKey key: Key) throws -> Decoder {
        TapeDecoder(tape: tape, node: try value(key), codingPath: codingPath + [key])
    }
}

/// An array's elements, in order.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let tape: TapeBox
    let node: Int
    let codingPath: [CodingKey]
    private(set) var currentIndex = 0
    private var cursor: Int

    init(tape: TapeBox, node: Int, codingPath: [CodingKey]) {
        self.tape = tape
        self.node = node
        self.codingPath = codingPath
        cursor = node + 1
    }

    var count: Int? { tape.tape.nodes[node].count }
    var isAtEnd: Bool { currentIndex >= tape.tape.nodes[node].count }

    /// The next element's node, moving past it.
    private mutating func next() throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
        }
        let element = cursor
        cursor = tape.tape.nodes[element].next
        currentIndex += 1
        return element
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, tape.tape.nodes[cursor].kind == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type) }

    // As in the keyed container: the scalars summaries hold in arrays, specialized.
    mutating func decode(_ type: Int.Type) throws -> Int { try read(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try read(type) }
    mutating func decode(_ type: String.Type) throws -> String { try read(type) }

    @inline(__always)
    private mutating func read<T: Decodable>(_ type: T.Type) throws -> T {
        let index = currentIndex
        return try decodeValue(type, node: try next(), tape: tape, path: codingPath + [TapeIndexKey(index)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(tape: tape, node: try next(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        try TapeDecoder(tape: tape, node: try next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder { TapeDecoder(tape: tape, node: try next(), codingPath: codingPath) }
}

struct TapeSingleValueContainer: SingleValueDecodingContainer {
    let tape: TapeBox
    let node: Int
    let codingPath: [CodingKey]

    func decodeNil() -> Bool { tape.tape.nodes[node].kind == .null }

    /// A scalar, or a nested value decoded from the same node.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type, node: node, tape: tape, path: codingPath)
    }
}

/// An array element's place in a coding path.
package struct TapeIndexKey: CodingKey {
    package var intValue: Int?
    package var stringValue: String { "\(intValue ?? 0)" }
    package init(_ index: Int) { intValue = index }
    package init?(stringValue: String) { nil }
    package init?(intValue: Int) { self.intValue = intValue }
}
