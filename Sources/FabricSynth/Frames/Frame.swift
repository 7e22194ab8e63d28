/// One generated frame: the bytes a capture would store and the frame's length
/// on the wire (larger when the capture's snaplen cut it).
public struct Frame: Sendable {
    public var bytes: [UInt8]
    public var originalLength: Int
    /// A RoCEv2 packet (data, ACK, CNP, CM), not a PFC frame: what a tap's truth
    /// counts, known where the frame is built rather than decoded again.
    public var isRoCE = false
}

extension Array where Element == UInt8 {
    mutating func append16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xff))
    }

    mutating func append32(_ value: UInt32) {
        append16(UInt16(value >> 16))
        append16(UInt16(value & 0xffff))
    }

    mutating func append48(_ value: UInt64) {
        append16(UInt16(value >> 32 & 0xffff))
        append32(UInt32(value & 0xffff_ffff))
    }

    mutating func append64(_ value: UInt64) {
        append32(UInt32(value >> 32))
        append32(UInt32(value & 0xffff_ffff))
    }
}
