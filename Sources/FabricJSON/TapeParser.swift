import FabricConcurrency
import Foundation

/// Parses a JSON text into a tape's nodes; a large text on two threads.
///
/// Why two threads: once a summary's flows were read on all cores, parsing its text
/// was the longest stretch left on one core (a sixth of reading a 10⁵-flow summary).
/// A large summary is nearly all one array (its flows), whose second half can be
/// parsed on its own: the split is a guess, `},{"counters":` or `},{"answers":` (a new
/// flow record) a little past the text's middle, checked by the first thread, which parses
/// from the start and must reach that byte exactly as the next element of an array
/// two levels down. Then the second thread's nodes are appended as they are (nodes
/// store their span, not an index) and the first thread goes on from where the second
/// stopped, at the array's `]`. When the check fails, or the second half has an error,
/// the first thread parses on alone: the tape, and any error, are those of one pass.
struct TapeParser: @unchecked Sendable {  // each thread parses with its own copy, into its own nodes
    typealias Failure = JSONTape.Failure
    typealias Node = JSONTape.Node

    /// Texts from this size on are parsed on two threads (when there are two cores).
    static let splitAbove = 4 << 20

    let bytes: TapeText
    let sink: TapeNodeBuffer
    var position: Int
    /// Open containers: their node and whether they are objects.
    var open: [(node: Int, isObject: Bool)] = []
    /// Containers open around the text this parser started in (a slice's array and
    /// the document around it), for the depth limit.
    let outerDepth: Int

    init(_ bytes: TapeText, into sink: TapeNodeBuffer, at position: Int = 0, outerDepth: Int = 0) {
        self.bytes = bytes
        self.sink = sink
        self.position = position
        self.outerDepth = outerDepth
    }

    /// The whole text of `storage` into its nodes.
    static func parse(_ storage: TapeStorage, splitAbove: Int) throws(Failure) {
        var parser = TapeParser(storage.textView, into: storage.nodes)
        parser.skipSpace()
        if storage.byteCount >= splitAbove, ProcessInfo.processInfo.activeProcessorCount > 1,
           let split = parser.splitPoint() {
            try parser.parseSplit(at: split)
        } else {
            try parser.parseValue()
            _ = try parser.closeContainers(stoppingAt: nil)
        }
        parser.skipSpace()
        guard parser.position == parser.bytes.count else {
            throw Failure(description: "extra text after the value at byte \(parser.position)")
        }
    }

    /// Where a flow record starts 11/20 into the text or later, if anywhere: the byte
    /// of its `{`.
    func splitPoint() -> Int? {
        let patterns: [[UInt8]] = [Array(#"},{"counters":"#.utf8), Array(#"},{"answers":"#.utf8)]
        // A little past half (11/20): the second thread writes its nodes into memory of
        // its own, not yet touched, and they are copied after both threads finish.
        // Measured on the 10⁵-flow summary (perf, per thread), each part's time per byte
        // moved by a third from run to run: split at half, the second part finished
        // last (0.60 s against 0.46 s); at three fifths, the first (0.74 s against 0.46 s).
        var cursor = bytes.count / 20 * 11
        while cursor + 16 < bytes.count {
            if bytes[cursor] == 0x7d, bytes[cursor + 1] == 0x2c, bytes[cursor + 2] == 0x7b {
                for pattern in patterns where cursor + pattern.count <= bytes.count {
                    if bytes[cursor..<cursor + pattern.count].elementsEqual(pattern) { return cursor + 2 }
                }
            }
            cursor += 1
        }
        return nil
    }

    /// The whole value from the start, its second part (from `split`) on another thread.
    private mutating func parseSplit(at split: Int) throws(Failure) {
        let first = self
        let text = bytes
        let (head, tail) = ParallelMap.both({
            var parser = first
            let stopped = Result { () throws(Failure) -> Bool in
                try parser.parseValue()
                return try parser.closeContainers(stoppingAt: split)
            }
            return (parser, stopped)
        }, {
            Result { () throws(Failure) -> (nodes: TapeNodeBuffer, elements: Int, end: Int) in
                try TapeParser.elements(of: text, from: split)
            }
        })
        self = head.0
        guard try head.1.get() else { return }  // the guess was wrong: the first thread parsed everything
        let array = open.last!.node
        if case .success(let slice) = tail {
            // Joined, and on from the array's `]`.
            sink.append(contentsOf: slice.nodes)
            sink.update(array) { $0.count += slice.elements }
            position = slice.end
        } else {
            // The second half has an error: on alone from `split`, where the first
            // thread stopped past the comma, for the error one pass gives.
            sink.update(array) { $0.count += 1 }
            try parseValue()
        }
        _ = try closeContainers(stoppingAt: nil)
    }

    /// The elements of an array two levels down from `start` to its `]` (not taken),
    /// into nodes of their own.
    private static func elements(of text: TapeText, from start: Int) throws(Failure) -> (nodes: TapeNodeBuffer, elements: Int, end: Int) {
        var parser = TapeParser(text, into: TapeNodeBuffer(forTextBytes: text.count - start), at: start, outerDepth: 2)
        var elements = 0
        while true {
            try parser.parseValue()
            _ = try parser.closeContainers(stoppingAt: nil)
            elements += 1
            parser.skipSpace()
            guard parser.position < text.count else { throw Failure(description: "the text ends inside an object or array") }
            if text[parser.position] == 0x5d { return (parser.sink, elements, parser.position) }  // ]
            guard text[parser.position] == 0x2c else { throw Failure(description: "expected ',' or ']' at byte \(parser.position)") }
            parser.position += 1
            parser.skipSpace()
        }
    }

    /// Fills and closes the open containers. With `stop`, returns true instead when the
    /// next element of an array two levels down starts at byte `stop`.
    mutating func closeContainers(stoppingAt stop: Int?) throws(Failure) -> Bool {
        while let (container, isObject) = open.last {
            skipSpace()
            guard position < bytes.count else { throw Failure(description: "the text ends inside an object or array") }
            let closing: UInt8 = isObject ? 0x7d : 0x5d  // } ]
            if bytes[position] == closing {
                position += 1
                let span = sink.count - container
                sink.update(container) { $0.span = span }
                open.removeLast()
                continue
            }
            if sink.node(container).count > 0 {
                guard bytes[position] == 0x2c else {
                    throw Failure(description: "expected ',' or '\(Character(Unicode.Scalar(closing)))' at byte \(position)")
                }
                position += 1
                skipSpace()
            }
            if let stop, position == stop, !isObject, open.count + outerDepth == 2 { return true }
            if isObject {
                guard position < bytes.count, bytes[position] == 0x22 else { throw Failure(description: "expected a key at byte \(position)") }
                try parseString()
                skipSpace()
                guard position < bytes.count, bytes[position] == 0x3a else { throw Failure(description: "expected ':' at byte \(position)") }
                position += 1
                skipSpace()
            }
            sink.update(container) { $0.count += 1 }
            try parseValue()
        }
        return false
    }

    mutating func skipSpace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0a || bytes[position] == 0x0d || bytes[position] == 0x09 {
            position += 1
        }
    }

    /// One value; a container is opened (pushed on `open`) and filled by `closeContainers`.
    mutating func parseValue() throws(Failure) {
        guard position < bytes.count else { throw Failure(description: "the text ends where a value should be") }
        switch bytes[position] {
        case 0x7b, 0x5b:  // { [
            guard open.count + outerDepth < JSONTape.maximumDepth else {
                throw Failure(description: "nested deeper than \(JSONTape.maximumDepth) levels")
            }
            let isObject = bytes[position] == 0x7b
            open.append((sink.count, isObject))
            sink.append(Node(kind: isObject ? .object : .array, flag: false, start: position, end: position))
            position += 1
        case 0x22:
            try parseString()
        case 0x74, 0x66, 0x6e:  // t f n
            for (word, kind, value) in [("true", JSONTape.Kind.bool, true), ("false", .bool, false), ("null", .null, false)]
            where bytes[position..<bytes.count].starts(with: word.utf8) {
                sink.append(Node(kind: kind, flag: value, start: position, end: position + word.utf8.count))
                position += word.utf8.count
                return
            }
            throw Failure(description: "unexpected text at byte \(position)")
        default:
            let start = position
            if position < bytes.count, bytes[position] == 0x2d { position += 1 }
            let digits = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) || bytes[position] == 0x2e
                || bytes[position] == 0x65 || bytes[position] == 0x45 || bytes[position] == 0x2b || bytes[position] == 0x2d {
                position += 1
            }
            guard position > digits, (0x30...0x39).contains(bytes[digits]) else {
                throw Failure(description: "unexpected text at byte \(start)")
            }
            sink.append(Node(kind: .number, flag: false, start: start, end: position))
        }
    }

    mutating func parseString() throws(Failure) {
        let start = position + 1
        var cursor = start, escaped = false
        while cursor < bytes.count, bytes[cursor] != 0x22 {
            if bytes[cursor] == 0x5c {
                escaped = true
                cursor += 1
            } else if bytes[cursor] < 0x20 {
                throw Failure(description: "a control character inside a string at byte \(cursor)")
            }
            cursor += 1
        }
        guard cursor < bytes.count else { throw Failure(description: "the text ends inside a string") }
        sink.append(Node(kind: .string, flag: escaped, start: start, end: cursor))
        position = cursor + 1
    }
}
