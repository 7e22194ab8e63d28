/// Decodes `Decodable` values from JSON through a `JSONTape`: the text is scanned
/// once into flat nodes, and containers read them in place.
///
/// Why not `JSONDecoder`: reading a fleet's node summaries with it cost about 9 ms
/// per 50 KB summary, most of it in Foundation's generic machinery and a lock taken
/// per value (so parallel reads hardly helped). This decoder has no locks and no
/// per-value allocation except the strings and arrays it returns. A test holds its
/// results equal to `JSONDecoder`'s on every summary the suite writes.
///
/// The text is parsed when the decoder is made; several types can then be decoded
/// from it (a header first, then the whole document).
public struct TapeJSONDecoder {
    private let box: TapeBox

    /// Parses `bytes`; a text that is not JSON throws `DecodingError.dataCorrupted`.
    public init(parsing bytes: [UInt8]) throws {
        try self.init(parsing: bytes, splitAbove: TapeParser.splitAbove)
    }

    /// The same, parsed on two threads from `splitAbove` bytes on (tests ask for
    /// small texts to be split).
    package init(parsing bytes: [UInt8], splitAbove: Int) throws {
        do { box = try TapeBox(parsing: TapeStorage(copying: bytes), splitAbove: splitAbove) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not valid JSON: \(error.description)"))
        }
    }

    /// Reads and parses the file at `path` (its text read straight into the tape's
    /// memory). A file that cannot be read throws `TapeReadError`; a text that is
    /// not JSON, `DecodingError.dataCorrupted`.
    public init(parsingContentsOf path: String) throws {
        let storage: TapeStorage
        do { storage = try TapeStorage(reading: path) } catch { throw TapeReadError(description: error.description) }
        do { box = try TapeBox(parsing: storage) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not valid JSON: \(error.description)"))
        }
    }

    /// The text that was parsed, as a string (invalid UTF-8 repaired, as
    /// `String(decoding:as:)` does).
    public var text: String { String(decoding: box.tape.bytes[0..<box.tape.bytes.count], as: UTF8.self) }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type, node: 0, tape: box, path: [])
    }
}

/// A file that could not be read, and why (the system's words).
public struct TapeReadError: Error, CustomStringConvertible {
    public let description: String
}

/// The tape shared by every container of one decoding.
package final class TapeBox: @unchecked Sendable {
    package let tape: JSONTape
    /// The memory the tape reads, kept as long as the box.
    private let storage: TapeStorage

    init(parsing storage: TapeStorage, splitAbove: Int = TapeParser.splitAbove) throws(JSONTape.Failure) {
        self.storage = storage
        tape = try JSONTape(storage: storage, splitAbove: splitAbove)
    }

    private init(tape: JSONTape, storage: TapeStorage) {
        self.tape = tape
        self.storage = storage
    }

    /// Another box over the same tape (nothing is copied), for a thread of its own:
    /// threads that shared one box made its reference count bounce between cores.
    package func sharingTape() -> TapeBox { TapeBox(tape: tape, storage: storage) }
}

package struct TapeDecoder: Decoder {
    package let tape: TapeBox
    package let node: Int
    package let codingPath: [CodingKey]
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try keyedContainer(keyedBy: type))
    }

    /// The object's container itself, without the standard library's box: for a type
    /// read many times over whose decoding can be generic over its container.
    package func keyedContainer<Key: CodingKey>(keyedBy type: Key.Type) throws -> TapeKeyedContainer<Key> {
        guard tape.tape.nodes[node].kind == .object else { throw mismatch([String: Int].self, node, codingPath, tape.tape) }
        return TapeKeyedContainer<Key>(tape: tape, node: node, codingPath: codingPath)
    }

    package func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard tape.tape.nodes[node].kind == .array else { throw mismatch([Int].self, node, codingPath, tape.tape) }
        return TapeUnkeyedContainer(tape: tape, node: node, codingPath: codingPath)
    }

    package func singleValueContainer() throws -> SingleValueDecodingContainer {
        TapeSingleValueContainer(tape: tape, node: node, codingPath: codingPath)
    }
}

package func mismatch(_ type: Any.Type, _ node: Int, _ path: @autoclosure () -> [CodingKey], _ tape: JSONTape) -> DecodingError {
    DecodingError.typeMismatch(type, .init(codingPath: path(),
                                           debugDescription: "expected \(type), found \(tape.nodes[node].kind)"))
}

/// Decodes the scalar at `node`, or hands a nested value its own decoder.
/// `path` is built only when needed (an error, or a nested value's decoder): an
/// array per scalar was most of the decoding time.
package func decodeValue<T: Decodable>(_ type: T.Type, node: Int, tape box: TapeBox, path: @autoclosure () -> [CodingKey]) throws -> T {
    let tape = box.tape
    let kind = tape.nodes[node].kind
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard kind == .number else { throw mismatch(type, node, path(), tape) }
        let value: I?
        if I.isSigned { value = tape.integer(at: node).flatMap { I(exactly: $0) } } else { value = tape.unsigned(at: node).flatMap { I(exactly: $0) } }
        guard let value else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "number does not fit in \(type)"))
        }
        return value
    }
    if type == String.self {
        guard kind == .string else { throw mismatch(type, node, path(), tape) }
        do { return try tape.string(at: node) as! T } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: error.description))
        }
    }
    if type == Int.self, let value = tape.int(at: node) { return value as! T }
    if type == Int64.self, let value = tape.int64(at: node) { return value as! T }
    if type == Int.self { return try integer(Int.self) as! T }
    if type == Int64.self { return try integer(Int64.self) as! T }
    if type == Double.self || type == Float.self {
        guard kind == .number, let value = tape.double(at: node) else { throw mismatch(type, node, path(), tape) }
        return (type == Double.self ? value as Any : Float(value) as Any) as! T
    }
    if type == Bool.self {
        guard kind == .bool else { throw mismatch(type, node, path(), tape) }
        return tape.nodes[node].flag as! T
    }
    if type == UInt32.self { return try integer(UInt32.self) as! T }
    if type == UInt64.self { return try integer(UInt64.self) as! T }
    if type == UInt16.self { return try integer(UInt16.self) as! T }
    if type == UInt8.self { return try integer(UInt8.self) as! T }
    if type == Int32.self { return try integer(Int32.self) as! T }
    if type == Int16.self { return try integer(Int16.self) as! T }
    if type == Int8.self { return try integer(Int8.self) as! T }
    if type == UInt.self { return try integer(UInt.self) as! T }
    return try T(from: TapeDecoder(tape: box, node: node, codingPath: path()))
}
