import FabricConcurrency
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The output buffer and the stack of open objects and arrays behind
/// `StreamingJSONEncoder`. The `Encoder` protocol never says when a container is
/// finished, so a container at depth d closes every deeper one before it writes,
/// and each value's encoding closes what it opened once it returns.
@usableFromInline package final class JSONByteWriter {
    let prettyPrinted: Bool
    // Only this writer touches these, one call at a time: no runtime exclusivity
    // checks (they were a tenth of the time).
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// The open objects and arrays, outermost first.
    @exclusivity(unchecked) private var frames: [Frame] = []
    /// The members of every open object, in one flat stack: a frame's members are
    /// those from its `firstMember` on, up to the next frame's (or the end).
    @exclusivity(unchecked) private var members: [Member] = []
    /// Member orders found by `reorder`, by key sequence.
    @exclusivity(unchecked) private var orders: [(keys: [String], order: [Int])] = []
    /// `reorder`'s copy of the members it moves (kept: one allocation, not one per object).
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    /// An open object or array.
    private struct Frame {
        var isObject: Bool
        var count = 0
        var firstMember: Int
        var sorted = true
        /// Stands in for a container of another writer (see `init(slice:)`).
        var placeholder = false
        /// An object whose members come in key order from `beginKeyOrderedMember`:
        /// nothing to reorder, so no member is recorded.
        var keyOrdered = false
    }

    /// An object's member: its key and where its bytes begin (at the key) and end, so
    /// it can be moved whole when the keys need sorting.
    private struct Member {
        var key: String
        var start: Int
        var end: Int
    }

    /// Where finished text goes while the value is still being written, when the
    /// caller streams it (`StreamingJSONEncoder.encode(_:into:)`); nil: all of it
    /// stays in `bytes`.
    var sink: ((UnsafeRawBufferPointer) throws -> Void)?
    /// Bytes already handed to `sink`.
    private var flushed = 0
    /// Where the next byte falls in the whole text.
    private var position: Int { flushed + bytes.count }

    private var open: Int { frames.count }
    /// Where this writer's values sit in the whole text (slices: see `init(slice:)`).
    private var pathPrefix = ""

    init(prettyPrinted: Bool) {
        self.prettyPrinted = prettyPrinted
        bytes.reserveCapacity(1 << 16)
    }

    /// A writer for elements `first…` of an array at `depth` of another writer: its
    /// outer containers are placeholders, so separators and indentation come out as
    /// they would there, and the slice's bytes can be appended to that text as they are.
    private init(slice depth: Int, first: Int, prettyPrinted: Bool, path: String) {
        self.prettyPrinted = prettyPrinted
        pathPrefix = path
        frames = (0..<depth).map { _ in Frame(isObject: false, firstMember: 0, placeholder: true) }
        frames.append(Frame(isObject: false, count: first, firstMember: 0))
    }

    /// Writes `elements` as the array at `depth`, slices of them encoded on all
    /// cores. The text is what encoding them one by one gives, byte for byte; slices
    /// go a few at a time, so memory holds a few slices beside the text.
    func writeArrayConcurrently<Element: Encodable & Sendable>(_ elements: [Element], depth: Int) throws {
        // By index: iterating the slice copied each element out (kilobyte entries,
        // every reference in them retained and released).
        try writeArrayConcurrently(count: elements.count, depth: depth) { writer, index, depth in
            try writer.encodeValue(elements[index], depth: depth)
        }
    }

    /// The same for `count` elements, element `index` written by
    /// `write(writer, index, depth)` (as `encodeValue` would, at that depth).
    func writeArrayConcurrently(
        count: Int, depth: Int, _ write: @Sendable (JSONByteWriter, Int, Int) throws -> Void
    ) throws {
        let path = currentPath
        openArray(depth: depth)
        let slice = 512, pretty = prettyPrinted
        let slices = (count + slice - 1) / slice
        let wave = 4 * ProcessInfo.processInfo.activeProcessorCount
        for waveStart in stride(from: 0, to: slices, by: wave) {
            let texts = try ParallelMap.map(min(wave, slices - waveStart)) { index -> [UInt8] in
                let first = (waveStart + index) * slice
                let writer = JSONByteWriter(slice: depth, first: first, prettyPrinted: pretty, path: path)
                for index in first..<min(first + slice, count) {
                    writer.beginElement(depth: depth)
                    try write(writer, index, depth + 1)
                }
                return writer.bytes
            }
            // Room for the whole array, estimated from the first wave: growing by
            // doubling copied a report of 10⁵ flows (140 MB) several times over.
            // Streamed, each wave's text leaves before the next is made instead.
            if waveStart == 0, slices > wave, sink == nil {
                let made = texts.reduce(0) { $0 + $1.count }
                bytes.reserveCapacity(bytes.count + made / wave * slices * 9 / 8)
            }
            for text in texts { bytes += text }
            try flushIfSettled()
        }
        frames[depth].count = count
    }

    /// Hands the text so far to `sink`, when none of it can still move: only an
    /// object that records its members (to put them in key order when it closes)
    /// moves bytes already written, so nothing leaves while one is open.
    ///
    /// Why: a report of 10⁵ flows is 160 MB of text. Kept whole until the end, it
    /// was written into fresh pages (a fault and a cleared page per 4 kB), and held
    /// beside everything else at the run's peak.
    func flushIfSettled() throws {
        guard let sink, members.isEmpty, !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try sink($0) }
        flushed += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    /// Encodes a value at `depth` (its containers open at that depth), then closes them.
    @usableFromInline package func encodeValue<T: Encodable>(_ value: T, depth: Int) throws {
        let before = position
        try value.encode(to: JSONValueEncoder(writer: self, depth: depth))
        close(above: depth - 1)
        // A value that asked for no container is an empty object, as in Foundation.
        if position == before { append("{}") }
    }

    // MARK: Containers

    /// Opens an object for the value at `depth`. A frame already open at that depth
    /// belongs to the same value (a sibling's would have been closed when the
    /// sibling's successor began), which asked again: it goes on in the same object.
    func openObject(depth: Int) {
        close(above: depth)
        if open > depth { return }
        bytes.append(UInt8(ascii: "{"))
        frames.append(Frame(isObject: true, firstMember: members.count))
    }

    /// Opens an object whose members the caller writes in key order with
    /// `beginKeyOrderedMember` (see there).
    @usableFromInline package func openKeyOrderedObject(depth: Int) {
        close(above: depth)
        bytes.append(UInt8(ascii: "{"))
        frames.append(Frame(isObject: true, firstMember: members.count, keyOrdered: true))
    }

    /// Starts a member of a key-ordered object at `depth`: separator, indentation, key.
    /// What `beginMember` does, less its bookkeeping (the member's span, the order
    /// check, escaping the key): for values written by the million, such as a
    /// summary's windows, whose keys are known, plain and sorted. The key must need
    /// no escaping and come after the previous one.
    func beginKeyOrderedMember(_ key: StaticString, depth: Int) {
        writeKeyOrderedPrefix(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), depth: depth)
    }

    /// A key-ordered member whose key is a `String` (escaped if it needs it), for
    /// `SortedJSONObject`: the caller guarantees the order.
    @usableFromInline package func beginKeyOrderedMember(_ key: String, depth: Int) {
        separateKeyOrdered(depth: depth)
        writeString(key)
        writeColon()
    }

    /// A key-ordered member whose key is a coding key's name, written as it is: the
    /// keys `SortedJSONObject` is given are the names of `CodingKeys` cases, which
    /// need no escaping (debug builds check). Scanning each for characters to escape
    /// was half of writing it, and a 10⁵-flow report writes 4.5 million.
    @usableFromInline package func beginKeyOrderedMember(codingKey key: String, depth: Int) {
        var utf8Key = key
        utf8Key.withUTF8 { utf8 in
            assert(!utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }, "coding key \(key) needs escaping")
            writeKeyOrderedPrefix(utf8, depth: depth)
        }
    }

    /// A key-ordered member holding an integer, its key a coding key's name (as
    /// `beginKeyOrderedMember(codingKey:depth:)`), written in one reservation with
    /// what comes before it: most members of a report are integers.
    @usableFromInline package func writeIntegerMember(codingKey key: String, depth: Int, negative: Bool, magnitude: UInt64) {
        var utf8Key = key
        utf8Key.withUTF8 { utf8 in
            assert(!utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }, "coding key \(key) needs escaping")
            let follows = startKeyOrderedMember(depth: depth)
            let indent = prettyPrinted ? 2 * (depth + 1) : 0
            appendReserved(atMost: utf8.count + indent + 8 + 21) { cursor in
                putMemberPrefix(&cursor, key: utf8, follows: follows, indent: indent)
                cursor.putInteger(negative: negative, magnitude: magnitude)
            }
        }
    }

    /// What comes before a key-ordered member's value, in one reservation of the
    /// buffer: separator, line break and indentation, the quoted key, the colon.
    ///
    /// Why: appending byte by byte, each append checked the buffer's capacity and
    /// uniqueness again (about 20 instructions a byte), and copying a key or an
    /// indentation through `append(contentsOf:)` cost about 100 instructions a call.
    /// A 10⁴-flow report began 550,000 members at 460 instructions each (callgrind).
    private func writeKeyOrderedPrefix(_ key: UnsafeBufferPointer<UInt8>, depth: Int) {
        let follows = startKeyOrderedMember(depth: depth)
        let indent = prettyPrinted ? 2 * (depth + 1) : 0
        appendReserved(atMost: key.count + indent + 8) { cursor in
            putMemberPrefix(&cursor, key: key, follows: follows, indent: indent)
        }
    }

    /// Closes what is open deeper than the object at `depth` and counts a member in
    /// it; returns whether one came before (and so a comma is due).
    @inline(__always)
    private func startKeyOrderedMember(depth: Int) -> Bool {
        close(above: depth)
        let follows = frames[depth].count > 0
        frames[depth].count += 1
        return follows
    }

    /// Separator, line break and `indent` spaces (pretty-printed text only: 0
    /// otherwise), quoted key and colon.
    @inline(__always)
    private func putMemberPrefix(_ cursor: inout ByteCursor, key: UnsafeBufferPointer<UInt8>, follows: Bool, indent: Int) {
        if follows { cursor.put(UInt8(ascii: ",")) }
        if prettyPrinted {
            cursor.put(0x0a)
            cursor.put(0x20, repeating: indent)
        }
        cursor.put(UInt8(ascii: "\""))
        cursor.put(key)
        cursor.put(UInt8(ascii: "\""))
        if prettyPrinted { cursor.put(0x20) }
        cursor.put(UInt8(ascii: ":"))
        if prettyPrinted { cursor.put(0x20) }
    }

    /// Appends at most `limit` bytes, which `write` puts down through a cursor, in
    /// one reservation of the buffer (see `ByteCursor`).
    @inline(__always)
    func appendReserved(atMost limit: Int, _ write: (inout ByteCursor) -> Void) {
        bytes.append(addingCapacity: limit) { out in
            out.withUnsafeMutableBufferPointer { reservation, initialized in
                var cursor = ByteCursor(reservation, from: initialized)
                write(&cursor)
                initialized = cursor.next - reservation.baseAddress!
            }
        }
    }

    /// Writes `text`, a whole value's compact JSON, as the value at `depth` (its key
    /// or separator already written): see `SortedJSONObject.writeVerbatim`.
    package func writeVerbatim(_ text: [UInt8], depth: Int) {
        close(above: depth)
        bytes += text
    }

    private func separateKeyOrdered(depth: Int) {
        writeSeparator(follows: startKeyOrderedMember(depth: depth), indent: depth + 1)
    }

    /// A comma when a member or element came before, then the line break and
    /// indentation of pretty-printed text, in one reservation (see `writeKeyOrderedPrefix`).
    private func writeSeparator(follows: Bool, indent: Int) {
        let pretty = prettyPrinted, spaces = pretty ? 2 * indent : 0
        appendReserved(atMost: spaces + 2) { cursor in
            if follows { cursor.put(UInt8(ascii: ",")) }
            if pretty {
                cursor.put(0x0a)
                cursor.put(0x20, repeating: spaces)
            }
        }
    }

    private func writeColon() {
        let pretty = prettyPrinted
        appendReserved(atMost: 3) { cursor in
            if pretty { cursor.put(0x20) }
            cursor.put(UInt8(ascii: ":"))
            if pretty { cursor.put(0x20) }
        }
    }

    /// A dictionary of counts as the object at `depth`, its keys sorted once here
    /// rather than its members moved after writing.
    @usableFromInline func writeSortedObject(_ dictionary: [String: Int], depth: Int) {
        openKeyOrderedObject(depth: depth)
        // Most flows carry one opcode and no NAK: nothing to sort.
        if dictionary.count <= 1 {
            for (key, count) in dictionary {
                beginKeyOrderedMember(key, depth: depth)
                writeInteger(count)
            }
            return
        }
        for (key, count) in dictionary.sorted(by: { JSONByteWriter.precedes($0.key, $1.key) }) {
            beginKeyOrderedMember(key, depth: depth)
            writeInteger(count)
        }
    }

    /// An array of strings as the value at `depth`.
    @usableFromInline func writeStrings(_ strings: [String], depth: Int) {
        openArray(depth: depth)
        for string in strings {
            beginElement(depth: depth)
            writeString(string)
        }
    }

    /// A key-ordered member holding an integer. Concrete for `Int` and `Int64`, not
    /// generic: called from other modules, a generic one ran unspecialized through
    /// `BinaryInteger`'s witness tables, about 1,000 instructions a member, which was
    /// a quarter of storing a 10⁴-flow summary (`history add`).
    package func writeKeyOrderedMember(_ key: StaticString, _ value: Int, depth: Int) {
        beginKeyOrderedMember(key, depth: depth)
        writeInteger(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    package func writeKeyOrderedMember(_ key: StaticString, _ value: Int64, depth: Int) {
        beginKeyOrderedMember(key, depth: depth)
        writeInteger(negative: value < 0, magnitude: value.magnitude)
    }

    package func writeKeyOrderedMember(_ key: StaticString, _ value: Double, depth: Int) throws {
        beginKeyOrderedMember(key, depth: depth)
        try writeFloat(value)
    }

    /// A key-ordered member holding an array of integers, `value(0)…value(count − 1)`:
    /// a column of a summary's time windows (`FlowTimeSeries+Columns.swift`), written
    /// by the hundred per flow.
    package func writeIntegerColumn(_ key: StaticString, count: Int, depth: Int, _ value: (Int) -> Int64) {
        beginKeyOrderedMember(key, depth: depth)
        writeIntegerArray(count: count, depth: depth + 1, value)
    }

    /// An array of integers as the value at `depth`. Compact text goes straight into
    /// the buffer, digit by digit; pretty-printed text goes through the frames, as any
    /// array does.
    package func writeIntegerArray(count: Int, depth: Int, _ value: (Int) -> Int64) {
        guard !prettyPrinted else {
            openArray(depth: depth)
            for index in 0..<count {
                beginElement(depth: depth)
                let element = value(index)
                writeInteger(negative: element < 0, magnitude: element.magnitude)
            }
            close(above: depth - 1)
            return
        }
        close(above: depth - 1)
        // A run of elements per reservation (22 bytes at most each: comma, sign, 20
        // digits): a summary writes a column per window field, by the hundred per flow.
        let run = 256
        var start = 0
        repeat {
            let end = min(start + run, count)
            appendReserved(atMost: 2 + 22 * (end - start)) { cursor in
                if start == 0 { cursor.put(UInt8(ascii: "[")) }
                for index in start..<end {
                    if index > 0 { cursor.put(UInt8(ascii: ",")) }
                    let element = value(index)
                    cursor.putInteger(negative: element < 0, magnitude: element.magnitude)
                }
                if end == count { cursor.put(UInt8(ascii: "]")) }
            }
            start = end
        } while start < count
    }

    /// A key-ordered member holding an array whose elements `element` writes, each
    /// given its index and the depth of its value (a column of sketches).
    package func writeColumn(
        _ key: StaticString, count: Int, depth: Int, _ element: (_ index: Int, _ depth: Int) throws -> Void
    ) rethrows {
        beginKeyOrderedMember(key, depth: depth)
        openArray(depth: depth + 1)
        for index in 0..<count {
            beginElement(depth: depth + 1)
            try element(index, depth + 2)
        }
        close(above: depth)
    }

    @usableFromInline func openArray(depth: Int) {
        close(above: depth)
        if open > depth { return }
        bytes.append(UInt8(ascii: "["))
        frames.append(Frame(isObject: false, firstMember: members.count))
    }

    /// Starts a member of the object at `depth`: separator, indentation, key.
    func beginMember(_ key: String, depth: Int) {
        close(above: depth)
        separate(depth: depth)
        if frames[depth].count > 1, frames[depth].sorted, !JSONByteWriter.precedes(members[members.count - 1].key, key) {
            frames[depth].sorted = false
        }
        members.append(Member(key: key, start: bytes.count, end: 0))
        writeString(key)
        writeColon()
    }

    /// Starts an element of the array at `depth`.
    @usableFromInline func beginElement(depth: Int) {
        close(above: depth)
        separate(depth: depth)
    }

    private func separate(depth: Int) {
        let follows = frames[depth].count > 0
        // The frame at `depth` is the innermost one open: its member is the last.
        if follows, frames[depth].isObject { members[members.count - 1].end = bytes.count }
        frames[depth].count += 1
        writeSeparator(follows: follows, indent: depth + 1)
    }

    /// Closes every frame deeper than `depth`.
    @usableFromInline package func close(above depth: Int) {
        while open > depth + 1 {
            let frame = frames.removeLast()
            let level = frames.count
            if frame.isObject, frame.count > 0, !frame.keyOrdered {
                members[members.count - 1].end = bytes.count
                if !frame.sorted { reorder(frame, level: level) }
                members.removeSubrange(frame.firstMember...)
            }
            // Foundation leaves an empty line, unindented, inside an empty container.
            let pretty = prettyPrinted, spaces = pretty ? 2 * level : 0
            let emptyLine = pretty && frame.count == 0, closing = UInt8(ascii: frame.isObject ? "}" : "]")
            appendReserved(atMost: spaces + 3) { cursor in
                if emptyLine { cursor.put(0x0a) }
                if pretty {
                    cursor.put(0x0a)
                    cursor.put(0x20, repeating: spaces)
                }
                cursor.put(closing)
            }
        }
    }

    /// Puts the members of a closed object in key order, as `.sortedKeys` does.
    private func reorder(_ frame: Frame, level: Int) {
        let mine = members[frame.firstMember...]
        // The same type writes the same keys in the same order every time: the last
        // order found for each key sequence is reused (most objects are one of a few types).
        let order: [Int]
        if let known = orders.first(where: { $0.keys.elementsEqual(mine.lazy.map(\.key)) }) {
            order = known.order
        } else {
            let keys = mine.map(\.key)
            order = keys.indices.sorted { JSONByteWriter.precedes(keys[$0], keys[$1]) }
            if orders.count == 16 { orders.removeFirst() }
            orders.append((keys, order))
        }
        // The members and their separators keep their total length, so they are copied
        // out once and written back in order over the same bytes.
        let start = mine.first!.start, end = mine.last!.end
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[start..<end])
        let separator = prettyPrinted ? 2 + 2 * (level + 1) : 1
        bytes.withUnsafeMutableBufferPointer { out in
            scratch.withUnsafeBufferPointer { saved in
                var at = start
                for (position, index) in order.enumerated() {
                    if position > 0 {
                        out[at] = UInt8(ascii: ",")
                        if prettyPrinted {
                            out[at + 1] = 0x0a
                            for i in (at + 2)..<(at + separator) { out[i] = 0x20 }
                        }
                        at += separator
                    }
                    let member = mine[mine.startIndex + index]
                    UnsafeMutableRawPointer(out.baseAddress! + at)
                        .copyMemory(from: saved.baseAddress! + (member.start - start), byteCount: member.end - member.start)
                    at += member.end - member.start
                }
                precondition(at == end, "reordered members changed length")
            }
        }
    }

    /// Foundation's order: the keys' UTF-8 bytes, lexicographically (compared in
    /// place with `memcmp`; the generic sequence comparison cost more than the sort).
    @usableFromInline static func precedes(_ a: String, _ b: String) -> Bool {
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

    /// Where the value being written sits: the keys and element numbers of the open
    /// objects and arrays, as in `outer.values[1]`.
    var currentPath: String {
        var path = pathPrefix
        for (level, frame) in frames.enumerated() where !frame.placeholder {
            let next = level + 1 < frames.count ? frames[level + 1].firstMember : members.count
            if frame.isObject, next > frame.firstMember {
                path += (path.isEmpty ? "" : ".") + members[next - 1].key
            } else if !frame.isObject {
                path += "[\(frame.count - 1)]"
            }
        }
        return path.isEmpty ? "value" : path
    }

    // MARK: Scalars

    @usableFromInline func writeNull() { append("null") }
    func writeBool(_ value: Bool) { append(value ? "true" : "false") }

    /// Appends a literal's bytes (no array built for them).
    private func append(_ text: StaticString) {
        appendShort(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a few bytes (a number's digits, a literal) in one reservation:
    /// `append(contentsOf:)` cost about 100 instructions a call, more than copying
    /// the handful of bytes these are.
    @inline(__always)
    private func appendShort(_ text: UnsafeBufferPointer<UInt8>) {
        appendReserved(atMost: text.count) { $0.put(text) }
    }

    func writeInteger<T: BinaryInteger>(_ value: T) {
        writeInteger(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    /// An integer by sign and magnitude (not generic: for inlinable callers in other modules).
    @usableFromInline func writeInteger(negative: Bool, magnitude: UInt64) {
        appendReserved(atMost: 21) { $0.putInteger(negative: negative, magnitude: magnitude) }
    }

    @usableFromInline func writeDouble(_ value: Double) throws { try writeFloat(value) }

    /// Foundation's rendering: the shortest round-trip digits (`description`'s),
    /// without a trailing ".0". The number writes its digits straight into the buffer
    /// (`TextOutputStreamable`): `description` made a string of them first, allocated
    /// for any longer than 15 bytes, as most rates are.
    func writeFloat<T: BinaryFloatingPoint & TextOutputStreamable>(_ value: T) throws {
        guard value.isFinite else {
            throw JSONEncodingFailure(description: "\(currentPath): \(value) cannot be written in JSON")
        }
        let start = bytes.count
        var appender = Appender(writer: self)
        value.write(to: &appender)
        let end = bytes.count
        if end - start >= 2, bytes[end - 2] == UInt8(ascii: "."), bytes[end - 1] == UInt8(ascii: "0") {
            bytes.removeLast(2)
        }
    }

    /// Appends what a value writes of itself to the buffer. Lives only inside
    /// `writeFloat`, while the writer is alive: `unowned(unsafe)`, since a checked
    /// reference counted itself on every number.
    private struct Appender: TextOutputStream {
        unowned(unsafe) let writer: JSONByteWriter

        func write(_ string: String) { writer.bytes.append(contentsOf: string.utf8) }

        /// The standard library's numbers write their ASCII digits through this
        /// requirement of `TextOutputStream`, whose default makes a `String` of them.
        func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { writer.appendShort(buffer) }
    }

    /// A string with JSON escapes (slashes left as they are).
    @usableFromInline func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
                appendReserved(atMost: utf8.count + 2) { cursor in
                    cursor.put(UInt8(ascii: "\""))
                    cursor.put(utf8)
                    cursor.put(UInt8(ascii: "\""))
                }
                return
            }
            bytes.append(UInt8(ascii: "\""))
            writeEscaped(utf8)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
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
    }
}
