/// The RoCEv2 invariant CRC (IBTA Annex A17.3.3): CRC-32 over a pseudo-LRH of
/// eight 0xFF bytes, then the IP and UDP headers and the BTH with their variant
/// fields masked to ones, then the rest of the packet. Stored least-significant
/// byte first.
public enum ICRC {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC after the pseudo-LRH's eight 0xFF bytes, where every ICRC starts.
    static let seeded = crc32([UInt8](repeating: 0xff, count: 8))

    /// Standard CRC-32 (as zlib's `crc32`) continued from `crc`, over raw buffers: a
    /// generic loop over a Sequence was most of a debug build's time writing test
    /// captures (every frame's ICRC is a loop over its payload).
    static func crc32(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { bytes in
                for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
            }
        }
        return ~c
    }

    /// ICRC of a RoCEv2 packet given its bytes from the IP header to just before
    /// the ICRC; `ipv6` selects which IP fields are masked.
    public static func compute(ipPacketWithoutICRC packet: [UInt8], ipv6: Bool) -> UInt32 {
        var masked = packet
        let ipHeaderLength = ipv6 ? 40 : Int(masked[0] & 0x0f) * 4
        if ipv6 {
            masked[0] |= 0x0f
            masked[1] = 0xff
            masked[2] = 0xff
            masked[3] = 0xff
            masked[7] = 0xff
        } else {
            masked[1] = 0xff  // TOS
            masked[8] = 0xff  // TTL
            masked[10] = 0xff
            masked[11] = 0xff  // header checksum
        }
        masked[ipHeaderLength + 6] = 0xff
        masked[ipHeaderLength + 7] = 0xff  // UDP checksum
        masked[ipHeaderLength + 8 + 4] = 0xff  // BTH FECN/BECN/reserved
        return crc32(masked, continuing: ICRC.seeded)
    }
}
