import Foundation

/// What a pcapng file's Interface Statistics Blocks say the capture itself dropped:
/// `isb_ifdrop` (the interface, before the capture saw the packet) and `isb_osdrop`
/// (the operating system's buffer). dumpcap and tcpdump write them when a capture
/// ends; libpcap does not hand them to readers, so the file's blocks are walked here
/// (block headers only: a few thousand reads of 8 bytes for a gigabyte file).
///
/// Each interface may have several blocks (one per statistics interval); the counters
/// are cumulative, so the last block of each interface counts. Only regular files
/// are read this way: a pipe cannot be read twice, and a gzip stream is not walked.
public struct InterfaceStatistics: Sendable, Equatable {
    /// Packets the interfaces dropped, summed over interfaces (nil: no block said).
    public var interfaceDrops: UInt64?
    /// Packets the OS dropped, summed over interfaces (nil: no block said).
    public var systemDrops: UInt64?

    static let blockTypeSection: UInt32 = 0x0a0d_0d0a
    static let blockTypeStatistics: UInt32 = 5
    static let optionInterfaceDrops: UInt16 = 4
    static let optionSystemDrops: UInt16 = 7

    /// Reads the statistics of the pcapng file at `path`; nil when it is not a plain
    /// little- or big-endian pcapng file, or holds no statistics.
    public static func read(path: String) -> InterfaceStatistics? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var bigEndian = false
        var lastByInterface: [UInt32: (ifdrop: UInt64?, osdrop: UInt64?)] = [:]
        var offset: UInt64 = 0
        while true {
            guard (try? handle.seek(toOffset: offset)) != nil, let header = try? handle.read(upToCount: 12),
                  header.count == 12 else { break }
            let bytes = [UInt8](header)
            let type = word(bytes, 0, bigEndian: bigEndian)
            if offset == 0, type != blockTypeSection { return nil }  // not plain pcapng (gzip, say)
            if type == blockTypeSection {
                let magic = word(bytes, 8, bigEndian: false)
                guard magic == 0x1a2b_3c4d || magic == 0x4d3c_2b1a else { return nil }
                bigEndian = magic == 0x4d3c_2b1a
            }
            let length = UInt64(word(bytes, 4, bigEndian: bigEndian))
            guard length >= 12, length % 4 == 0 else { return nil }
            if type == blockTypeStatistics, length <= 1 << 16,
               let body = try? handle.read(upToCount: Int(length) - 12), body.count == Int(length) - 12 {
                let block = bytes + [UInt8](body)
                let interface = word(block, 8, bigEndian: bigEndian)
                lastByInterface[interface] = options(block, bigEndian: bigEndian)
            }
            offset += length
        }
        let ifdrops = lastByInterface.values.compactMap(\.ifdrop), osdrops = lastByInterface.values.compactMap(\.osdrop)
        guard !ifdrops.isEmpty || !osdrops.isEmpty else { return nil }
        return InterfaceStatistics(interfaceDrops: ifdrops.isEmpty ? nil : ifdrops.reduce(0, &+),
                                   systemDrops: osdrops.isEmpty ? nil : osdrops.reduce(0, &+))
    }

    /// The drop options of one statistics block (options start after 20 bytes).
    private static func options(_ block: [UInt8], bigEndian: Bool) -> (UInt64?, UInt64?) {
        var ifdrop: UInt64?, osdrop: UInt64?
        var cursor = 20
        while cursor + 4 <= block.count - 4 {
            let code = half(block, cursor, bigEndian: bigEndian), size = Int(half(block, cursor + 2, bigEndian: bigEndian))
            if code == 0 || cursor + 4 + size > block.count - 4 { break }
            if size == 8 {
                let high = UInt64(word(block, cursor + 4, bigEndian: bigEndian))
                let low = UInt64(word(block, cursor + 8, bigEndian: bigEndian))
                let value = bigEndian ? high << 32 | low : low << 32 | high
                if code == optionInterfaceDrops { ifdrop = value }
                if code == optionSystemDrops { osdrop = value }
            }
            cursor += 4 + (size + 3) / 4 * 4
        }
        return (ifdrop, osdrop)
    }

    private static func word(_ bytes: [UInt8], _ at: Int, bigEndian: Bool) -> UInt32 {
        let value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        return bigEndian ? value.byteSwapped : value
    }

    private static func half(_ bytes: [UInt8], _ at: Int, bigEndian: Bool) -> UInt16 {
        let value = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        return bigEndian ? value.byteSwapped : value
    }
}
