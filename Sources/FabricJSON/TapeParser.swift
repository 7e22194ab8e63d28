import FabricConcurrency
import Foundation
import Synchronization

/// Parses a JSON text into a tape's nodes; a large text on two threads.
///
/// Why two threads: once a summary's flows were read on all cores, parsing its text
/// was the longest stretch left on one core (a sixth of reading a 10⁵-flow summary).
/// A large summary is nearly all one array (its flows), whose elements can be parsed
/// apart: the text is cut in up to 32 parts at guessed flow records (`},{"counters":`
/// or `},{"answers":`), each guess checked by the part before it, which must end
/// exactly there as the next element of an array two levels down. The first thread
/// parses from the start and then takes parts from the front; the second takes them
/// from the back, each into nodes of its own, appended as they are at the end (nodes
/// store their span, not an index). When a check fails, or a part has an error, the
/// first thread parses on alone: the tape, and any error, are those of one pass.
struct TapeParser: @unchecked Sendable {  // each thread parses with its own copy, into its own nodes
    typealias Failure = JSONTape.Failure
    typealias Node = JSONTape.Node
    /// A part parsed by the second thread: its nodes, how many elements of the array
    /// it holds, and the byte where it ends (the next part's start, or the `]`).
    typealias ParsedPart = (nodes: TapeNodeBuffer, elements: Int, end: Int)

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
           case let boundaries = parser.partBoundaries(parts: TapeParser.parts(ofBytes: storage.byteCount, splitAbove: splitAbove)),
           !boundaries.isEmpty {
            try parser.parseInParts(from: boundaries)
        } else {
            try parser.parseValue()
            _ = try parser.closeContainers(stoppingAt: nil)
        }
        parser.skipSpace()
        guard parser.position == parser.bytes.count else {
            throw Failure(description: "extra text after the value at byte \(parser.position)")
        }
    }

    /// How many parts a text of `bytes` bytes is parsed in: parts of half the size at
    /// which texts are split, at most 32 (tests split small texts into many).
    static func parts(ofBytes bytes: Int, splitAbove: Int) -> Int {
        min(32, max(2, bytes / max(1, splitAbove / 2)))
    }

    /// Where the parts after the first start: for each i of `parts`, the first flow
    /// record (the byte of its `{`) from i/parts of the text on, each once, in order.
    func partBoundaries(parts: Int) -> [Int] {
        let patterns: [[UInt8]] = [Array(#"},{"counters":"#.utf8), Array(#"},{"answers":"#.utf8)]
        var boundaries: [Int] = []
        for part in 1..<parts {
            var cursor = max(bytes.count / parts * part, (boundaries.last ?? 0) + 1)
            search: while cursor + 16 < bytes.count {
                if bytes[cursor] == 0x7d, bytes[cursor + 1] == 0x2c, bytes[cursor + 2] == 0x7b {
                    for pattern in patterns where cursor + pattern.count <= bytes.count
                    && bytes[cursor..<cursor + pattern.count].elementsEqual(pattern) {
                        boundaries.append(cursor + 2)
                        break search
                    }
                }
                cursor += 1
            }
        }
        return boundaries
    }

    /// The whole value, its array of flows in parts taken from both ends: this thread
    /// parses from the start, in place, and then each next part, as long as there is
    /// one the other thread has not taken; the other thread parses parts from the last
    /// one back, each into nodes of its own, joined at the end.
    ///
    /// Why parts and not one split: each thread's time per byte moved by a third from
    /// run to run on the 2-vCPU VM (perf, per thread), so a fixed split left one
    /// thread waiting for the other; and only the other thread's parts are copied.
    ///
    /// Every part's start is a guess, checked by the part before it, which must end
    /// exactly there (the first part by this thread, from the start). A wrong guess or
    /// an error in the other thread's parts leaves this thread to parse on alone from
    /// the first part it did not parse: the tape, and any error, are those of one pass.
    private mutating func parseInParts(from boundaries: [Int]) throws(Failure) {
        let first = self
        let text = bytes
        let last = boundaries.count  // parts 0...last; part i > 0 starts at boundaries[i - 1]
        let claims = PartClaims(last: last)
        let (head, tail) = ParallelMap.both({
            var parser = first
            let stoppedAt = Result { () throws(Failure) -> Int? in
                try parser.parseValue()
                guard try parser.closeContainers(stoppingAt: boundaries[0]) else { return nil }
                while let part = claims.fromFront() {
                    let array = parser.open[parser.open.count - 1].node
                    parser.sink.update(array) { $0.count += 1 }
                    try parser.parseValue()
                    guard try parser.closeContainers(stoppingAt: part < last ? boundaries[part] : nil) else { return nil }
                }
                return claims.front
            }
            return (parser, stoppedAt)
        }, {
            var parts: [(part: Int, result: Result<ParsedPart, Failure>)] = []
            while let part = claims.fromBack() {
                let result = Result { () throws(Failure) -> ParsedPart in
                    try TapeParser.elements(of: text, from: boundaries[part - 1], until: part < last ? boundaries[part] : nil)
                }
                parts.append((part, result))
                guard case .success = result else { break }  // this thread goes on from here alone
            }
            return Array(parts.reversed())
        })
        self = head.0
        // Parsed to the end on this thread: a guess was wrong, or it took every part.
        guard let next = try head.1.get() else { return }
        let array = open[open.count - 1].node
        let theirs = next <= last ? Array(next...last) : []
        let joined = tail.map(\.part) == theirs ? tail.compactMap { try? $0.result.get() } : []
        if !theirs.isEmpty, joined.count == theirs.count {
            // Joined in order, and on from the array's `]`.
            sink.append(contentsOf: joined.map(\.nodes))
            sink.update(array) { $0.count += joined.reduce(0) { $0 + $1.elements } }
            position = joined[joined.count - 1].end
        } else {
            // A part with an error or a wrong guess: on alone from where this thread
            // stopped (past the comma), for the error one pass gives.
            sink.update(array) { $0.count += 1 }
            try parseValue()
        }
        _ = try closeContainers(stoppingAt: nil)
    }

    /// The elements of an array two levels down from `start`, into nodes of their own:
    /// to its `]` (not taken), or with `until`, to the element that starts there (an
    /// array ending first, or an element going past it, is an error: a wrong guess).
    private static func elements(of text: TapeText, from start: Int, until: Int?) throws(Failure) -> ParsedPart {
        var parser = TapeParser(text, into: TapeNodeBuffer(forTextBytes: (until ?? text.count) - start), at: start, outerDepth: 2)
        var elements = 0
        while true {
            try parser.parseValue()
            _ = try parser.closeContainers(stoppingAt: nil)
            elements += 1
            parser.skipSpace()
            guard parser.position < text.count else { throw Failure(description: "the text ends inside an object or array") }
            if text[parser.position] == 0x5d {  // ]
                guard until == nil else { throw Failure(description: "the array ends before byte \(until ?? 0)") }
                return (parser.sink, elements, parser.position)
            }
            guard text[parser.position] == 0x2c else { throw Failure(description: "expected ',' or ']' at byte \(parser.position)") }
            parser.position += 1
            parser.skipSpace()
            if let until {
                if parser.position == until { return (parser.sink, elements, parser.position) }
                guard parser.position < until else { throw Failure(description: "no element starts at byte \(until)") }
            }
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

/// The parts of a text neither thread has taken: the first thread takes them from the
/// front (after the first, its own), the second from the back.
private final class PartClaims: Sendable {
    private let state: Mutex<(front: Int, back: Int)>

    /// Parts 1 through `last` are to be taken.
    init(last: Int) { state = Mutex((front: 1, back: last)) }

    func fromFront() -> Int? {
        state.withLock { claims in
            guard claims.front <= claims.back else { return nil }
            claims.front += 1
            return claims.front - 1
        }
    }

    func fromBack() -> Int? {
        state.withLock { claims in
            guard claims.back >= claims.front else { return nil }
            claims.back -= 1
            return claims.back + 1
        }
    }

    /// The first part the first thread has not taken.
    var front: Int { state.withLock { $0.front } }
}
