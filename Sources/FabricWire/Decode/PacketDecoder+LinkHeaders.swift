extension PacketDecoder {
    static let macControlPFC: UInt16 = 0x0101

    /// MAC control frames: only PFC (opcode 0x0101) is decoded; 802.3x PAUSE and
    /// others are counted as other traffic.
    func decodeMACControl(_ bytes: ByteView, frameStart: Int, at offset: Int, into packet: inout DecodedPacket) {
        guard bytes.u16(offset) == PacketDecoder.macControlPFC,
              let enable = bytes.u16(offset + 2), bytes.has(16, at: offset + 4),
              let macHigh = bytes.u16(frameStart + 6), let macLow = bytes.u32(frameStart + 8)
        else { return }
        var quanta = SIMD8<UInt16>()
        for priority in 0..<8 { quanta[priority] = bytes.u16(offset + 4 + 2 * priority)! }
        packet.kind = .pfc
        packet.pause = PriorityPause(
            sourceMAC: UInt64(macHigh) << 32 | UInt64(macLow),
            enabledPriorities: UInt8(truncatingIfNeeded: enable), quanta: quanta)
    }

    static let erfHeaderSize = 16
    static let erfTypeEthernet: UInt8 = 2
    static let erfTypeInfiniband: UInt8 = 21
    static let erfTypeInfinibandLink: UInt8 = 22

    /// ERF: a 16-byte record header (timestamp, type, flags, rlen, loss counter,
    /// wlen), optional 8-byte extension headers, then an Ethernet frame (after 2 pad
    /// bytes) or an InfiniBand packet starting with the LRH.
    ///
    /// The record's own timestamp replaces the pcap header's: ibdump writes the
    /// adapter's time into the ERF header to a fraction of a microsecond, and only
    /// microseconds into the pcap header around it.
    func decodeERF(_ bytes: ByteView, into packet: inout DecodedPacket) {
        guard let stamp = bytes.u64le(0), let type = bytes.u8(8), let lossCounter = bytes.u16(12),
              let wireLength = bytes.u16(14)
        else { return }
        packet.timestampNs = PacketDecoder.erfTimestampNs(stamp)
        packet.reportedDrops = Int(lossCounter)
        packet.wireLength = Int(wireLength)
        var offset = PacketDecoder.erfHeaderSize
        var more = type & 0x80 != 0
        while more {
            guard let extensionType = bytes.u8(offset) else { return }
            more = extensionType & 0x80 != 0
            offset += 8
        }
        switch type & 0x7f {
        case PacketDecoder.erfTypeEthernet:
            decodeEthernet(bytes, at: offset + 2, into: &packet)
        case PacketDecoder.erfTypeInfiniband, PacketDecoder.erfTypeInfinibandLink:
            decodeLRH(bytes, at: offset, into: &packet)
        default:
            break
        }
    }

    /// An ERF timestamp (32.32 fixed-point seconds since the epoch) in nanoseconds,
    /// the fraction rounded to the nearest nanosecond as Wireshark's reader does.
    @inline(__always)
    static func erfTimestampNs(_ stamp: UInt64) -> Int64 {
        var seconds = Int64(stamp >> 32)
        var nanoseconds = ((stamp & 0xffff_ffff) &* 1_000_000_000 &+ (1 << 31)) >> 32
        if nanoseconds >= 1_000_000_000 {
            seconds += 1
            nanoseconds -= 1_000_000_000
        }
        return seconds * 1_000_000_000 + Int64(nanoseconds)
    }
}
