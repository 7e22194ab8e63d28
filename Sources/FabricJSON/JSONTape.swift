#if canImport(Glibc)
import Glibc
#endif

/// A JSON text parsed once into a flat list of nodes in document order (a "tape"),
/// for `TapeJSONDecoder`: an object or array node records where its last
/// descendant ends, so a decoder skips a member in one step and finds a key by
/// comparing bytes in place. Nothing is boxed, hashed or copied until a value is
/// asked for.
package struct JSONTape {
    package enum Kind: UInt8 { case object, array, string, number, bool, null }

    /// Positions and counts are stored in 32 bits (texts are refused from 4 GiB on),
    /// and a scalar's start shares its word with a container's count: 16 bytes a node
    /// instead of 40. A summary has a node every 7 bytes or so: with 64-bit fields the
    /// tape of a 165 MB summary took 900 MB, most of the memory `history add` and
    /// `merge` needed, and with a separate count (20 bytes a node) filling the pages
    /// of a 10⁵-flow summary's tape was a tenth of reading it.
    ///
    /// A node stores how many nodes it spans (itself and its descendants), not where
    /// the next one is: a slice of the text parsed on its own thread is then joined to
    /// the tape as it is (`TapeParser`). Readers see `NodeView`, with `next`.
    struct Node {
        var kind: Kind
        /// Strings: they contain escapes. Bools: the value.
        var flag: Bool
        /// Scalars: where the value starts; containers: how many members or elements.
        private var startOrCount32: UInt32
        private var end32: UInt32
        private var span32: UInt32

        /// A scalar, or a container not yet filled (one node, no members).
        init(kind: Kind, flag: Bool, start: Int, end: Int) {
            self.kind = kind
            self.flag = flag
            startOrCount32 = kind == .object || kind == .array ? 0 : UInt32(start)
            end32 = UInt32(end)
            span32 = 1
        }

        var start: Int { Int(startOrCount32) }
        var end: Int { Int(end32) }
        /// Nodes from this one to the last of its descendants, inclusive.
        var span: Int {
            get { Int(span32) }
            set { span32 = UInt32(newValue) }
        }
        var count: Int {
            get { Int(startOrCount32) }
            set { startOrCount32 = UInt32(newValue) }
        }
    }

    /// A node as readers see it: where it is, so that `next` can be given.
    package struct NodeView {
        let node: Node
        let index: Int

        package var kind: Kind { node.kind }
        /// Strings: they contain escapes. Bools: the value.
        var flag: Bool { node.flag }
        /// Scalars: the byte range of the value (strings without their quotes).
        var start: Int { node.start }
        var end: Int { node.end }
        /// Index of the node after this one and all its descendants.
        package var next: Int { index + node.span }
        /// Containers only: members (objects) or elements (arrays).
        package var count: Int { node.count }
    }

    /// The longest text a tape holds: every position and node index fits 32 bits.
    static let maximumBytes = Int(UInt32.max) - 1

    /// Views of memory a `TapeStorage` owns: whoever makes a tape keeps its storage
    /// (`TapeBox`). The tape itself holds no reference, so copying it, as every read
    /// through a box does, counts no reference that threads would share.
    let bytes: TapeText
    package private(set) var nodes: TapeNodes

    /// Deeper nesting than any FabricScope document is refused (a hostile file
    /// cannot exhaust the stack: the parser keeps its own).
    static let maximumDepth = 256

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses the text `storage` holds (read from a file into it, or copied); a large
    /// one on two threads (`TapeParser.parse`). The caller keeps `storage` for as
    /// long as it reads the tape.
    init(storage: TapeStorage, splitAbove: Int = TapeParser.splitAbove) throws(Failure) {
        bytes = storage.textView
        try TapeParser.parse(storage, splitAbove: splitAbove)
        nodes = TapeNodes(storage.nodes.base, count: storage.nodes.count)
    }

    // MARK: Values

    /// The string at node `index`, unescaped.
    func string(at index: Int) throws(Failure) -> String {
        let node = nodes[index]
        guard node.flag else { return String(decoding: bytes[node.start..<node.end], as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var cursor = node.start
        func flush() {
            scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
            utf8.removeAll(keepingCapacity: true)
        }
        while cursor < node.end {
            let byte = bytes[cursor]
            guard byte == 0x5c else {
                utf8.append(byte)
                cursor += 1
                continue
            }
            guard cursor + 1 < node.end else { throw Failure(description: "a bad escape in a string") }
            let code = bytes[cursor + 1]
            cursor += 2
            switch code {
            case 0x22, 0x5c, 0x2f: utf8.append(code)
            case 0x62: utf8.append(0x08)
            case 0x66: utf8.append(0x0c)
            case 0x6e: utf8.append(0x0a)
            case 0x72: utf8.append(0x0d)
            case 0x74: utf8.append(0x09)
            case 0x75:
                var value = try hex4(&cursor, end: node.end)
                if (0xd800..<0xdc00).contains(value), cursor + 1 < node.end, bytes[cursor] == 0x5c, bytes[cursor + 1] == 0x75 {
                    cursor += 2
                    let low = try hex4(&cursor, end: node.end)
                    guard (0xdc00..<0xe000).contains(low) else { throw Failure(description: "a bad surrogate pair in a string") }
                    value = 0x10000 + ((value - 0xd800) << 10) + (low - 0xdc00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw Failure(description: "a bad \\u escape in a string") }
                flush()
                scalars.append(scalar)
            default: throw Failure(description: "a bad escape in a string")
            }
        }
        flush()
        return String(scalars)
    }

    private func hex4(_ cursor: inout Int, end: Int) throws(Failure) -> UInt32 {
        guard cursor + 4 <= end else { throw Failure(description: "a bad \\u escape in a string") }
        var value: UInt32 = 0
        for byte in bytes[cursor..<cursor + 4] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { throw Failure(description: "a bad \\u escape in a string") }
            value = value << 4 | UInt32(digit)
        }
        cursor += 4
        return value
    }

    /// The key node of the member `name` of the object at node `object`, searching
    /// from the key node `from` to the object's end, then from its first member.
    /// One pass over borrowed storage: a call per member compared cost a retain and
    /// release of the tape's arrays each, a third of the time spent reading a summary.
    func member(_ name: String, of object: Int, from: Int) -> Int? {
        var name = name
        let first = object + 1
        return name.withUTF8 { utf8 in
            let end = nodes[object].next
            let start = from < end && from >= first ? from : first
            // From `start` to the end, then from the first member up to `start`.
            var index = start, limit = end
            for _ in 0..<2 {
                while index < limit {
                    let node = nodes[index]
                    if node.flag {
                        if (try? string(at: index)).map({ $0.utf8.elementsEqual(utf8) }) == true { return index }
                    } else if node.end - node.start == utf8.count,
                              utf8.isEmpty || memcmp(bytes.base + node.start, utf8.baseAddress!, utf8.count) == 0 {
                        return index
                    }
                    index = nodes[index + 1].next
                }
                (index, limit) = (first, start)
            }
            return nil
        }
    }

    /// Whether the string at node `index` is `name`, compared in place unless it
    /// holds escapes. (A static name: nothing to retain per comparison.)
    package func string(at index: Int, equals name: StaticString) -> Bool {
        name.withUTF8Buffer { string(at: index, equalsUTF8: $0) }
    }

    /// Whether the node at `index` is the string `text`, compared in place (no
    /// `String` made unless it holds escapes).
    package func string(at index: Int, equals text: [UInt8]) -> Bool {
        nodes[index].kind == .string && text.withUnsafeBufferPointer { string(at: index, equalsUTF8: $0) }
    }

    @inline(__always)
    private func string(at index: Int, equalsUTF8 utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let node = nodes[index]
        if node.flag { return (try? string(at: index)).map { $0.utf8.elementsEqual(utf8) } == true }
        guard node.end - node.start == utf8.count else { return false }
        return utf8.isEmpty || memcmp(bytes.base + node.start, utf8.baseAddress!, utf8.count) == 0
    }

    /// The number at node `index` as an `Int`, `Int64` or `UInt32`, when it is one
    /// that fits; nil otherwise (the caller then asks `decodeValue` for the error).
    /// Concrete on purpose: through one generic function the conversion went through
    /// witness tables and a closure, about 100 instructions a value, a tenth of
    /// reading a summary's time series.
    @inline(__always)
    package func int(at index: Int) -> Int? {
        guard nodes[index].kind == .number, let value = integer(at: index) else { return nil }
        return Int(exactly: value)
    }

    @inline(__always)
    package func int64(at index: Int) -> Int64? {
        guard nodes[index].kind == .number else { return nil }
        return integer(at: index)
    }

    @inline(__always)
    package func uint32(at index: Int) -> UInt32? {
        guard nodes[index].kind == .number, let value = unsigned(at: index) else { return nil }
        return UInt32(exactly: value)
    }

    /// The integer at node `index`, if it is one that fits in 64 bits.
    func integer(at index: Int) -> Int64? {
        let node = nodes[index]
        var cursor = node.start
        let negative = bytes[cursor] == 0x2d
        if negative { cursor += 1 }
        guard cursor < node.end else { return nil }
        var magnitude: UInt64 = 0
        while cursor < node.end {
            let digit = bytes[cursor] &- 0x30
            guard digit < 10 else { return exactInteger(at: index) }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            magnitude = sum
            cursor += 1
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// A number written with a fraction or exponent that is an exact integer (1.0, 2e3).
    private func exactInteger(at index: Int) -> Int64? {
        guard let value = double(at: index), value == value.rounded(), abs(value) < 9.2e18 else { return nil }
        return Int64(value)
    }

    func unsigned(at index: Int) -> UInt64? {
        let node = nodes[index]
        guard bytes[node.start] != 0x2d else { return integer(at: index) == 0 ? 0 : nil }
        var magnitude: UInt64 = 0
        for cursor in node.start..<node.end {
            let digit = bytes[cursor] &- 0x30
            guard digit < 10 else { return integer(at: index).flatMap { $0 >= 0 ? UInt64($0) : nil } }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            magnitude = sum
        }
        return magnitude
    }

    func double(at index: Int) -> Double? {
        let node = nodes[index]
        // A plain integer of up to 18 digits (most sums in a summary) is converted
        // from its digits: an `Int64` rounds to the nearest `Double` as the decimal text
        // does, so the value is the same. Through a `String` it was a fifth of reading
        // a summary's distributions.
        var cursor = node.start
        let negative = cursor < node.end && bytes[cursor] == 0x2d
        if negative { cursor += 1 }
        if cursor < node.end, node.end - cursor <= 18 {
            var magnitude: Int64 = 0
            while cursor < node.end, case let digit = bytes[cursor] &- 0x30, digit < 10 {
                magnitude = magnitude * 10 + Int64(digit)
                cursor += 1
            }
            if cursor == node.end { return negative ? -Double(magnitude) : Double(magnitude) }
        }
        return Double(String(decoding: bytes[node.start..<node.end], as: UTF8.self))
    }
}
