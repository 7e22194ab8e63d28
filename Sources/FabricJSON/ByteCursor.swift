/// Where the next byte goes in a reservation of `JSONByteWriter`'s buffer: the only
/// pointer code in the writer, alive only inside `JSONByteWriter.appendReserved`.
///
/// Why: a report is millions of short pieces (a member's separator, indentation and
/// key; a number's digits). Appended to the array byte by byte, each byte checked
/// the array's capacity and uniqueness again (about 20 instructions); through the
/// standard library's `OutputSpan`, about 8. Here a piece checks its room once and
/// its bytes are plain stores. Each `put` checks that it stays inside the
/// reservation (a trap, never a write past it).
struct ByteCursor {
    private let end: UnsafeMutablePointer<UInt8>
    private(set) var next: UnsafeMutablePointer<UInt8>

    init(_ reservation: UnsafeMutableBufferPointer<UInt8>, from initialized: Int) {
        let base = reservation.baseAddress!
        next = base + initialized
        end = base + reservation.count
    }

    @inline(__always)
    private func checkRoom(_ count: Int) {
        precondition(end - next >= count, "JSON piece longer than its reservation")
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        checkRoom(1)
        next.initialize(to: byte)
        next += 1
    }

    @inline(__always)
    mutating func put(_ byte: UInt8, repeating count: Int) {
        checkRoom(count)
        next.initialize(repeating: byte, count: count)
        next += count
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        checkRoom(bytes.count)
        if let source = bytes.baseAddress { next.initialize(from: source, count: bytes.count) }
        next += bytes.count
    }

    /// An integer's decimal digits, with a minus sign when `negative` (at most 21 bytes).
    @inline(__always)
    mutating func putInteger(negative: Bool, magnitude: UInt64) {
        if negative { put(UInt8(ascii: "-")) }
        var digits = 1, scale: UInt64 = 10
        while digits < 20, magnitude >= scale {
            digits += 1
            scale &*= 10
        }
        checkRoom(digits)
        var remaining = magnitude, at = next + digits
        repeat {
            at -= 1
            at.initialize(to: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10))
            remaining /= 10
        } while remaining > 0
        next += digits
    }
}
