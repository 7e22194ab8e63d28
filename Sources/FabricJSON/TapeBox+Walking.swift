/// Reading arrays and objects straight off the tape, for the types a summary holds
/// by the hundred per flow (time-series windows, longest pauses).
///
/// Why: through keyed containers each such element cost a decoder, a coding path and
/// a search of its members per field. Here an array's elements are visited in turn
/// and an object's members are walked once, in the order the writer put them. The
/// caller reads each value in place and hands anything that is not the value it
/// expects to `decodeValue`, for the error and coding path `JSONDecoder` would give.
extension TapeBox {
    /// Walks the array at `node`: calls `reserving` with its count, then `body` with
    /// each element's node and index. `type` names what was expected when `node` is
    /// not an array. The arrays themselves are built by the modules that know their
    /// element types (FabricStats' `TapeBox.elements`): built here, each array looked
    /// its element type up at run time, in a table the two threads reading flows
    /// contend for.
    package func forEachElement(
        ofArray node: Int, path: @autoclosure () -> [CodingKey], as type: Any.Type,
        reserving: (Int) -> Void, _ body: (_ node: Int, _ index: Int) throws -> Void
    ) throws {
        guard tape.nodes[node].kind == .array else { throw mismatch(type, node, path(), tape) }
        let count = tape.nodes[node].count
        reserving(count)
        var child = node + 1
        for index in 0..<count {
            try body(child, index)
            child = tape.nodes[child].next
        }
    }

    /// Walks the members of the object at `node` once, calling `member` with each
    /// known key and its value's node. `names` are the keys' JSON names, in the order
    /// the writer puts them (sorted): each is looked for from the one after the last
    /// found. Unknown members are skipped; a repeated member is read once (its
    /// first), as the keyed containers did; a null is skipped for a key outside
    /// `required` (a bit per key, in `keys` order), whose absence is an error.
    package func members<Key: CodingKey>(
        ofObject node: Int, keys: [Key], names: [StaticString], required: Int, path: @autoclosure () -> [CodingKey],
        _ member: (_ key: Key, _ value: Int) throws -> Void
    ) throws {
        let tape = self.tape
        guard tape.nodes[node].kind == .object else { throw mismatch([String: Int].self, node, path(), tape) }
        var seen = 0
        var guess = 0
        var name = node + 1
        let end = tape.nodes[node].next
        while name < end {
            let value = name + 1
            defer { name = tape.nodes[value].next }
            var found = -1
            for step in 0..<keys.count {
                let candidate = (guess + step) % keys.count
                if tape.string(at: name, equals: names[candidate]) {
                    found = candidate
                    break
                }
            }
            guard found >= 0, seen & (1 << found) == 0 else { continue }
            seen |= 1 << found
            guess = found + 1
            if tape.nodes[value].kind == .null, required & (1 << found) == 0 { continue }
            try member(keys[found], value)
        }
        guard seen & required == required else {
            let key = keys[keys.indices.first { required & (1 << $0) != 0 && seen & (1 << $0) == 0 }!]
            throw DecodingError.keyNotFound(key, .init(codingPath: path(), debugDescription: "no value for \"\(key.stringValue)\""))
        }
    }
}

extension TapeBox {
    /// The integer at `node`, read in place; a value that is not one goes to
    /// `decodeValue`, for its error and coding path.
    package func int(at node: Int, path: @autoclosure () -> [CodingKey]) throws -> Int {
        try tape.int(at: node) ?? decodeValue(Int.self, node: node, tape: self, path: path())
    }

    package func int64(at node: Int, path: @autoclosure () -> [CodingKey]) throws -> Int64 {
        try tape.int64(at: node) ?? decodeValue(Int64.self, node: node, tape: self, path: path())
    }
}
