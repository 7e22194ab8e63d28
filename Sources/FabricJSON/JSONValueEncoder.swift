/// The `Encoder` handed to each value by `StreamingJSONEncoder`: its containers
/// write straight into the shared `JSONByteWriter` at the value's depth.
///
/// Coding paths are not tracked (an array per value was a tenth of the time); the
/// writer names where a value sits from its open objects when it must refuse one.
@usableFromInline package struct JSONValueEncoder: Encoder {
    @usableFromInline package let writer: JSONByteWriter
    @usableFromInline package let depth: Int
    @usableFromInline package var codingPath: [CodingKey] { [] }
    @usableFromInline package var userInfo: [CodingUserInfoKey: Any] { [:] }

    @usableFromInline package func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openObject(depth: depth)
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(writer: writer, depth: depth))
    }

    @usableFromInline package func unkeyedContainer() -> UnkeyedEncodingContainer {
        writer.openArray(depth: depth)
        return JSONUnkeyedContainer(writer: writer, depth: depth)
    }

    @usableFromInline package func singleValueContainer() -> SingleValueEncodingContainer {
        JSONSingleValueContainer(writer: writer, depth: depth)
    }
}


/// Writes one scalar or nested value at `depth` (the writer has already placed the
/// separator and key). Scalars are told apart by their type object (a pointer
/// compare), not by casting: most values are nested structs that would fail every cast.
@usableFromInline func write<T: Encodable>(_ value: T, writer: JSONByteWriter, depth: Int) throws {
    let type = T.self
    if type == String.self { writer.writeString(value as! String) }
    else if type == Int.self { writer.writeInteger(value as! Int) }
    else if type == Double.self { try writer.writeFloat(value as! Double) }
    else if type == Bool.self { writer.writeBool(value as! Bool) }
    else if type == Int64.self { writer.writeInteger(value as! Int64) }
    else if type == UInt32.self { writer.writeInteger(value as! UInt32) }
    else if type == UInt64.self { writer.writeInteger(value as! UInt64) }
    else if type == UInt8.self { writer.writeInteger(value as! UInt8) }
    else if type == UInt16.self { writer.writeInteger(value as! UInt16) }
    else if type == Int32.self { writer.writeInteger(value as! Int32) }
    else if type == Int16.self { writer.writeInteger(value as! Int16) }
    else if type == Int8.self { writer.writeInteger(value as! Int8) }
    else if type == UInt.self { writer.writeInteger(value as! UInt) }
    else if type == Float.self { try writer.writeFloat(value as! Float) }
    else { try writer.encodeValue(value, depth: depth + 1) }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        writer.writeNull()
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        try write(value, writer: writer, depth: depth)
    }

    // The common scalars directly (synthesized conformances call these overloads).
    mutating func encode(_ value: String, forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        writer.writeString(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        writer.writeInteger(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        writer.writeBool(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        writer.beginMember(key.stringValue, depth: depth)
        try writer.writeFloat(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.beginMember(key.stringValue, depth: depth)
        return JSONValueEncoder(writer: writer, depth: depth + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        writer.beginMember(key.stringValue, depth: depth)
        return JSONValueEncoder(writer: writer, depth: depth + 1).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        writer.beginMember(key.stringValue, depth: depth)
        return JSONValueEncoder(writer: writer, depth: depth + 1)
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [CodingKey] { [] }
    private(set) var count = 0

    init(writer: JSONByteWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    mutating func encodeNil() throws {
        writer.beginElement(depth: depth)
        writer.writeNull()
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.beginElement(depth: depth)
        try write(value, writer: writer, depth: depth)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.beginElement(depth: depth)
        count += 1
        return JSONValueEncoder(writer: writer, depth: depth + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        writer.beginElement(depth: depth)
        count += 1
        return JSONValueEncoder(writer: writer, depth: depth + 1).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        writer.beginElement(depth: depth)
        count += 1
        return JSONValueEncoder(writer: writer, depth: depth + 1)
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { writer.writeNull() }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try write(value, writer: writer, depth: depth - 1)
    }
}
