/// Packets per BTH opcode of one flow, for the first `inlineCount` opcodes it
/// carries. A flow carries a few opcodes (WRITE_ONLY and ACKNOWLEDGE; the FIRST,
/// MIDDLE and LAST of a message), so they live inline in 40 bytes, where 256
/// counters per flow cost 2 KiB — most of a counters-only flow at 100 k flows.
/// Further opcodes go to the caller's overflow table (`add` returns false).
struct OpcodeTally: Sendable {
    static let inlineCount = 4
    /// Opcodes in the order first seen, one per byte.
    private var opcodes: UInt32 = 0
    private var used: UInt8 = 0
    private var counts: (Int, Int, Int, Int) = (0, 0, 0, 0)

    /// Counts one packet of `opcode`; false when the opcode is new and there is no room.
    /// The slot is found in one step, comparing the four opcode bytes at once (a
    /// loop over the slots cost 40 instructions a packet).
    @inline(__always)
    mutating func add(_ opcode: UInt8) -> Bool {
        let differences = opcodes ^ (UInt32(opcode) &* 0x0101_0101)
        let zeroBytes = (differences &- 0x0101_0101) & ~differences & 0x8080_8080
        if zeroBytes != 0 {
            // The lowest zero byte is exact (borrows only run upwards past it).
            let slot = zeroBytes.trailingZeroBitCount >> 3
            if slot < Int(used) {
                increment(slot)
                return true
            }
        }
        guard Int(used) < OpcodeTally.inlineCount else { return false }
        opcodes |= UInt32(opcode) << (8 * UInt32(used))
        increment(Int(used))
        used += 1
        return true
    }

    @inline(__always)
    private mutating func increment(_ slot: Int) {
        switch slot {
        case 0: counts.0 += 1
        case 1: counts.1 += 1
        case 2: counts.2 += 1
        default: counts.3 += 1
        }
    }

    /// (opcode, packets) for each opcode held inline.
    var entries: [(opcode: UInt8, packets: Int)] {
        let all = [counts.0, counts.1, counts.2, counts.3]
        return (0..<Int(used)).map { (UInt8(truncatingIfNeeded: opcodes >> (8 * $0)), all[$0]) }
    }
}
