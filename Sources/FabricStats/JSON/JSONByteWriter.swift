#if canImport(Glibc)
import Glibc
#endif

/// The output buffer and the stack of open objects and arrays behind
/// `StreamingJSONEncoder`. The `Encoder` protocol never says when a container is
/// finished, so a container at depth d closes every deeper one before it writes,
/// and each value's encoding closes what it opened once it returns.
final class JSONByteWriter {
    let prettyPrinted: Bool
    // Only this writer touches these, one call at a time: no runtime exclusivity
    // checks (they were a tenth of the time).
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// Frames 0 ..< `open` are open; those above are kept for their arrays' storage.
    @exclusivity(unchecked) private var frames: [Frame] = []
    @exclusivity(unchecked) private var open = 0
    /// Member orders found by `reorder`, by key sequence.
    @exclusivity(unchecked) private var orders: [(keys: [String], order: [Int])] = []

    /// An open object or array.
    private struct Frame {
        var isObject = true
        var members = 0
        /// Objects: each member's key and where its bytes begin and end (after the key
        /// is written, so a member can be moved whole when the keys need sorting).
        var keys: [String] = []
        var starts: [Int] = []
        var ends: [Int] = []
        var sorted = true
    }

    init(prettyPrinted: Bool) {
        self.prettyPrinted = prettyPrinted
        bytes.reserveCapacity(1 << 16)
    }

    /// Encodes a value at `depth` (its containers open at that depth), then closes them.
    func encodeValue<T: Encodable>(_ value: T, depth: Int) throws {
        let before = bytes.count
        try value.encode(to: JSONValueEncoder(writer: self, depth: depth))
        close(above: depth - 1)
        // A value that asked for no container is an empty object, as in Foundation.
        if bytes.count == before { bytes += Array("{}".utf8) }
    }

    // MARK: Containers

    /// Opens an object for the value at `depth`. A frame already open at that depth
    /// belongs to the same value (a sibling's would have been closed when the
    /// sibling's successor began), which asked again: it goes on in the same object.
    func openObject(depth: Int) {
        close(above: depth)
        if open > depth { return }
        bytes.append(UInt8(ascii: "{"))
        push(isObject: true)
    }

    func openArray(depth: Int) {
        close(above: depth)
        if open > depth { return }
        bytes.append(UInt8(ascii: "["))
        push(isObject: false)
    }

    private func push(isObject: Bool) {
        if frames.count == open { frames.append(Frame()) }
        frames[open].isObject = isObject
        frames[open].members = 0
        frames[open].sorted = true
        frames[open].keys.removeAll(keepingCapacity: true)
        frames[open].starts.removeAll(keepingCapacity: true)
        frames[open].ends.removeAll(keepingCapacity: true)
        open += 1
    }

    /// Starts a member of the object at `depth`: separator, indentation, key.
    func beginMember(_ key: String, depth: Int) {
        close(above: depth)
        separate(depth: depth)
        if frames[depth].sorted, let previous = frames[depth].keys.last, !JSONByteWriter.precedes(previous, key) {
            frames[depth].sorted = false
        }
        frames[depth].keys.append(key)
        frames[depth].starts.append(bytes.count)
        writeString(key)
        bytes += prettyPrinted ? [0x20, 0x3a, 0x20] : [0x3a]
    }

    /// Starts an element of the array at `depth`.
    func beginElement(depth: Int) {
        close(above: depth)
        separate(depth: depth)
    }

    private func separate(depth: Int) {
        if frames[depth].members > 0 {
            if frames[depth].isObject { frames[depth].ends.append(bytes.count) }
            bytes.append(UInt8(ascii: ","))
        }
        frames[depth].members += 1
        newline(indent: depth + 1)
    }

    /// Closes every frame deeper than `depth`.
    func close(above depth: Int) {
        while open > depth + 1 {
            open -= 1
            let level = open
            if frames[level].isObject, frames[level].members > 0 { frames[level].ends.append(bytes.count) }
            if frames[level].isObject, !frames[level].sorted { reorder(frames[level], level: level) }
            let frame = (isObject: frames[level].isObject, members: frames[level].members)
            // Foundation leaves an empty line, unindented, inside an empty container.
            if frame.members == 0, prettyPrinted { bytes.append(0x0a) }
            newline(indent: level)
            bytes.append(UInt8(ascii: frame.isObject ? "}" : "]"))
        }
    }

    /// Puts the members of a closed object in key order, as `.sortedKeys` does.
    private func reorder(_ frame: Frame, level: Int) {
        // The same type writes the same keys in the same order every time: the last
        // order found for each key sequence is reused (most objects are one of a few types).
        let order: [Int]
        if let known = orders.first(where: { $0.keys == frame.keys }) {
            order = known.order
        } else {
            order = frame.keys.indices.sorted { JSONByteWriter.precedes(frame.keys[$0], frame.keys[$1]) }
            if orders.count == 16 { orders.removeFirst() }
            orders.append((frame.keys, order))
        }
        var separator: [UInt8] = [UInt8(ascii: ",")]
        if prettyPrinted { separator += [0x0a] + [UInt8](repeating: 0x20, count: 2 * (level + 1)) }
        var rewritten: [UInt8] = []
        rewritten.reserveCapacity(frame.ends.last! - frame.starts[0])
        for (position, member) in order.enumerated() {
            if position > 0 { rewritten += separator }
            rewritten += bytes[frame.starts[member]..<frame.ends[member]]
        }
        bytes.replaceSubrange(frame.starts[0]..<frame.ends.last!, with: rewritten)
    }

    /// Foundation's order: the keys' UTF-8 bytes, lexicographically (compared in
    /// place with `memcmp`; the generic sequence comparison cost more than the sort).
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }

    private func newline(indent: Int) {
        guard prettyPrinted else { return }
        bytes.append(0x0a)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * indent))
    }

    /// Where the value being written sits: the keys and element numbers of the open
    /// objects and arrays, as in `outer.values[1]`.
    var currentPath: String {
        var path = ""
        for frame in frames[0..<open] {
            if frame.isObject, let key = frame.keys.last {
                path += (path.isEmpty ? "" : ".") + key
            } else if !frame.isObject {
                path += "[\(frame.members - 1)]"
            }
        }
        return path.isEmpty ? "value" : path
    }

    // MARK: Scalars

    func writeNull() { bytes += Array("null".utf8) }
    func writeBool(_ value: Bool) { bytes += value ? Array("true".utf8) : Array("false".utf8) }

    func writeInteger<T: BinaryInteger>(_ value: T) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        var digits = 1, probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var index = bytes.count - 1
        repeat {
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }

    /// Foundation's rendering: the shortest round-trip digits, without a trailing ".0".
    func writeFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) throws {
        guard value.isFinite else {
            throw JSONEncodingFailure(description: "\(currentPath): \(value) cannot be written in JSON")
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes += Array(text.utf8)
    }

    /// A string with JSON escapes (slashes left as they are).
    func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [0x5c, 0x22]
            case UInt8(ascii: "\\"): bytes += [0x5c, 0x5c]
            case 0x08: bytes += [0x5c, UInt8(ascii: "b")]
            case 0x0c: bytes += [0x5c, UInt8(ascii: "f")]
            case 0x0a: bytes += [0x5c, UInt8(ascii: "n")]
            case 0x0d: bytes += [0x5c, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5c, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5c, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
