/// One JSON object on a tape, its members read by name with no decoder, container or
/// coding path made for it: for the types a summary holds once per flow.
///
/// Why: reading a 10⁵-flow summary through keyed containers made about twenty
/// containers a flow (counters, key, addresses, distributions…), each a class
/// instance, a generic instantiation looked up at run time and a search by `String`
/// key; that was over half of `merge` of one summary. Here a member is found by
/// comparing its static name in place, starting after the member found last (the
/// writer puts members in key order, and readers ask in that order), and a coding
/// path is worked out from the tape only when there is an error to report
/// (`TapeBox.codingPath(to:)`).
///
/// Values that are not what a reader asks for get the error `JSONDecoder` would give:
/// a missing member `keyNotFound`, a wrong type `typeMismatch`, a number that does
/// not fit `dataCorrupted`. `TapeJSONDecoderTests` holds both decoders to that.
package struct TapeObject {
    package let box: TapeBox
    package let node: Int
    private let end: Int
    /// The key node where the next search starts.
    private var cursor: Int

    /// The object at `node`; anything else is a type mismatch.
    package init(_ box: TapeBox, node: Int) throws {
        guard box.tape.nodes[node].kind == .object else {
            throw mismatch([String: Int].self, node, box.codingPath(to: node), box.tape)
        }
        self.box = box
        self.node = node
        end = box.tape.nodes[node].next
        cursor = node + 1
    }

    /// The value node of member `name`, or nil when the object has none (a null
    /// member is returned: callers decide what it means).
    package mutating func value(_ name: StaticString) -> Int? {
        // Through `box.tape` each time, not a local copy: a copy of the tape retains
        // its two arrays, on every member read.
        let first = node + 1
        var key = cursor, limit = end
        for _ in 0..<2 {
            while key < limit {
                if box.tape.string(at: key, equals: name) {
                    cursor = box.tape.nodes[key + 1].next
                    return key + 1
                }
                key = box.tape.nodes[key + 1].next
            }
            (key, limit) = (first, cursor)
        }
        return nil
    }

    /// The value node of a member that must be there (null or not).
    package mutating func required(_ name: StaticString) throws -> Int {
        guard let value = value(name) else {
            let key = TapeNameKey("\(name)")
            throw DecodingError.keyNotFound(key, .init(
                codingPath: box.codingPath(to: node), debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return value
    }

    /// The value node of a member that may be absent or null (nil for both).
    package mutating func optional(_ name: StaticString) -> Int? {
        guard let value = value(name), box.tape.nodes[value].kind != .null else { return nil }
        return value
    }

    package mutating func int(_ name: StaticString) throws -> Int { try box.int(at: required(name)) }
    package mutating func int64(_ name: StaticString) throws -> Int64 { try box.int64(at: required(name)) }
    package mutating func uint32(_ name: StaticString) throws -> UInt32 { try box.uint32(at: required(name)) }
    package mutating func uint64(_ name: StaticString) throws -> UInt64 { try box.uint64(at: required(name)) }
    package mutating func double(_ name: StaticString) throws -> Double { try box.double(at: required(name)) }

    package mutating func intIfPresent(_ name: StaticString) throws -> Int? { try optional(name).map { try box.int(at: $0) } }
    package mutating func int64IfPresent(_ name: StaticString) throws -> Int64? {
        try optional(name).map { try box.int64(at: $0) }
    }
    package mutating func uint32IfPresent(_ name: StaticString) throws -> UInt32? {
        try optional(name).map { try box.uint32(at: $0) }
    }
    package mutating func uint16IfPresent(_ name: StaticString) throws -> UInt16? {
        try optional(name).map { try box.uint16(at: $0) }
    }
    package mutating func uint8IfPresent(_ name: StaticString) throws -> UInt8? {
        try optional(name).map { try box.uint8(at: $0) }
    }
}

extension TapeBox {
    /// Numbers and strings read in place; anything else goes to `decodeValue`, for the
    /// error `JSONDecoder` gives, at the coding path worked out from the tape.
    package func int(at node: Int) throws -> Int {
        try tape.int(at: node) ?? decodeValue(Int.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func int64(at node: Int) throws -> Int64 {
        try tape.int64(at: node) ?? decodeValue(Int64.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func uint32(at node: Int) throws -> UInt32 {
        try tape.uint32(at: node) ?? decodeValue(UInt32.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func uint64(at node: Int) throws -> UInt64 {
        if tape.nodes[node].kind == .number, let value = tape.unsigned(at: node) { return value }
        return try decodeValue(UInt64.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func uint16(at node: Int) throws -> UInt16 {
        if let value = tape.int(at: node), let small = UInt16(exactly: value) { return small }
        return try decodeValue(UInt16.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func uint8(at node: Int) throws -> UInt8 {
        if let value = tape.int(at: node), let small = UInt8(exactly: value) { return small }
        return try decodeValue(UInt8.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func double(at node: Int) throws -> Double {
        if tape.nodes[node].kind == .number, let value = tape.double(at: node) { return value }
        return try decodeValue(Double.self, node: node, tape: self, path: codingPath(to: node))
    }

    package func string(at node: Int) throws -> String {
        try decodeValue(String.self, node: node, tape: self, path: codingPath(to: node))
    }

    /// The case of `E` the string at `node` names; any other text is refused as
    /// `JSONDecoder` refuses it.
    package func rawValue<E: RawRepresentable>(_ type: E.Type, at node: Int) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: try string(at: node)) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath(to: node), debugDescription: "Cannot initialize \(type) from an invalid raw value"))
        }
        return value
    }

    /// The members of the object at `node` as a dictionary (a flow's opcode counts).
    package func intDictionary(at node: Int) throws -> [String: Int] {
        guard tape.nodes[node].kind == .object else {
            throw mismatch([String: Int].self, node, codingPath(to: node), tape)
        }
        var result: [String: Int] = [:]
        result.reserveCapacity(tape.nodes[node].count)
        var key = node + 1
        let end = tape.nodes[node].next
        while key < end {
            result[try string(at: key)] = try int(at: key + 1)
            key = tape.nodes[key + 1].next
        }
        return result
    }

    /// The coding path from the document's root to `target`: object members by name,
    /// array elements by index. Worked out only for an error, by walking down from
    /// the root (a step skips a whole member), so readers carry no path.
    package func codingPath(to target: Int) -> [CodingKey] {
        var path: [CodingKey] = []
        var node = 0
        while node != target {
            let kind = tape.nodes[node].kind
            guard kind == .object || kind == .array else { break }
            var child = node + 1, index = 0
            let end = tape.nodes[node].next
            var found = false
            while child < end {
                let value = kind == .object ? child + 1 : child
                if value <= target, target < tape.nodes[value].next {
                    path.append(kind == .object
                        ? TapeNameKey((try? tape.string(at: child)) ?? "") as CodingKey : TapeIndexKey(index))
                    node = value
                    found = true
                    break
                }
                child = tape.nodes[value].next
                index += 1
            }
            guard found else { break }
        }
        return path
    }
}

/// An object member's place in a coding path worked out from the tape.
package struct TapeNameKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(_ name: String) { stringValue = name }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}
