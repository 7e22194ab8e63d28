import FabricConcurrency
#if canImport(Glibc)
import Glibc
#endif

/// The memory a `JSONTape` reads: a copy of the text and the parsed nodes, each in
/// one allocation that lives as long as the last tape holding it. The only pointer
/// code of the JSON reader is here and in the two read-only views below, which
/// check every index as an array would.
///
/// Why not arrays: every member a reader looked up read the tape's arrays, and Swift
/// retained and released each array around the read: 18 % of the time reading a
/// 10⁵-flow summary, on one core. On two cores reading slices of one summary, the
/// same counts bounced between the cores and the reading took longer than on one.
/// Pointers into memory the tape owns carry no reference count.
final class TapeStorage: @unchecked Sendable {
    /// At least one byte is allocated: `byteCount` is the text's length.
    private let text: UnsafeMutableBufferPointer<UInt8>
    let byteCount: Int
    /// The parsed nodes, filled by `TapeParser`.
    let nodes: TapeNodeBuffer

    var textView: TapeText { TapeText(base: UnsafePointer(text.baseAddress!), count: byteCount) }

    /// A copy of `bytes`.
    convenience init(copying bytes: [UInt8]) throws(JSONTape.Failure) {
        try self.init(textBytes: bytes.count)
        _ = text.initialize(from: bytes)
    }

    /// The contents of the file at `path`, read straight into the tape's memory (a
    /// summary of 10⁵ flows is 260 MB: no second copy of it is made).
    convenience init(reading path: String) throws(JSONTape.Failure) {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw JSONTape.Failure(description: String(cString: strerror(errno))) }
        defer { close(file) }
        var status = stat()
        guard fstat(file, &status) == 0 else { throw JSONTape.Failure(description: String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        try self.init(textBytes: size)
        // In two halves on two cores from `TapeParser.splitAbove` bytes on: the copy
        // from the page cache into new pages was 0.1 s of one core for a 10⁵-flow
        // summary, with the other idle.
        let parts = size >= TapeParser.splitAbove ? 2 : 1
        let failures = ParallelMap.map(parts) { part -> String? in
            TapeStorage.read(file, into: self.text.baseAddress!, from: size * part / parts, to: size * (part + 1) / parts)
        }
        if let failure = failures.compactMap({ $0 }).first { throw JSONTape.Failure(description: failure) }
    }

    /// Reads bytes `start..<end` of `file` to the same place in `base`; what went
    /// wrong, or nil.
    private static func read(_ file: Int32, into base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int) -> String? {
        var done = start
        while done < end {
            let got = pread(file, base + done, end - done, off_t(done))
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { return String(cString: strerror(errno)) }
            guard got > 0 else { return "the file shrank while it was read" }
            done += got
        }
        return nil
    }

    /// Room for a text of `textBytes` bytes and its nodes; a text too long for the
    /// tape's 32-bit positions is refused.
    private init(textBytes: Int) throws(JSONTape.Failure) {
        guard textBytes <= JSONTape.maximumBytes else {
            throw JSONTape.Failure(description: "the text is \(textBytes) bytes; at most \(JSONTape.maximumBytes) are read")
        }
        // Bytes are a trivial type: the copy or the read is what initializes them.
        text = .allocate(capacity: max(1, textBytes))
        HugePages.advise(text.baseAddress!, bytes: text.count)
        byteCount = textBytes
        nodes = TapeNodeBuffer(forTextBytes: textBytes)
    }

    deinit { text.deallocate() }
}

/// Nodes as they are parsed, in one allocation grown when full.
final class TapeNodeBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<JSONTape.Node>
    private(set) var count = 0
    private var capacity: Int

    /// Room for the nodes of a text of `textBytes` bytes: a summary has a node every
    /// 7 bytes or so, and room for one every 5 is rarely grown (pages never written
    /// cost nothing).
    init(forTextBytes textBytes: Int) {
        capacity = textBytes / 5 + 16
        base = .allocate(capacity: capacity)
        HugePages.advise(base, bytes: capacity * MemoryLayout<JSONTape.Node>.stride)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ node: JSONTape.Node) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: node)
        count += 1
    }

    /// The node at `index`, to finish a container while parsing.
    @inline(__always)
    func update(_ index: Int, _ change: (inout JSONTape.Node) -> Void) {
        precondition(index >= 0 && index < count, "tape node \(index) out of range")
        change(&base[index])
    }

    @inline(__always)
    func node(_ index: Int) -> JSONTape.Node {
        precondition(index >= 0 && index < count, "tape node \(index) out of range")
        return base[index]
    }

    /// Appends every node of `parts`, in order, as they are (spans are relative, so
    /// they hold), the parts copied on all cores: a second thread's parts of a
    /// 10⁵-flow summary are 15 M nodes, and copying them on one core, into pages not
    /// yet touched, took 0.2 s while the other waited.
    func append(contentsOf parts: [TapeNodeBuffer]) {
        var offsets: [Int] = []
        var end = count
        for part in parts {
            offsets.append(end)
            end += part.count
        }
        if end > capacity { grow(to: max(capacity * 2, end)) }
        let starts = offsets
        _ = ParallelMap.map(parts.count) { index in
            (self.base + starts[index]).initialize(from: parts[index].base, count: parts[index].count)
        }
        count = end
    }

    private func grow(to bigger: Int) {
        let moved = UnsafeMutablePointer<JSONTape.Node>.allocate(capacity: bigger)
        HugePages.advise(moved, bytes: bigger * MemoryLayout<JSONTape.Node>.stride)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = bigger
    }
}

/// A tape's nodes, read-only, every index checked.
package struct TapeNodes {
    private let base: UnsafePointer<JSONTape.Node>?
    package let count: Int

    init(_ base: UnsafePointer<JSONTape.Node>?, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    package subscript(index: Int) -> JSONTape.NodeView {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "tape node \(index) out of range")
        return JSONTape.NodeView(node: base.unsafelyUnwrapped[index], index: index)
    }
}

/// A tape's text, read-only, every index checked. (Sendable: the memory is never
/// written once the tape is made, and outlives every view of it.)
struct TapeText: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int

    @inline(__always)
    subscript(index: Int) -> UInt8 {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "text byte \(index) out of range")
        return base[index]
    }

    /// The bytes of `range`, which must lie inside the text.
    subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "text bytes \(range) out of range")
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
