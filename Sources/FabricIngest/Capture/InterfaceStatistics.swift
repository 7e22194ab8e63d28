import FabricWire
import Foundation

/// What a pcapng file's Interface Statistics Blocks say the capture itself dropped:
/// `isb_ifdrop` (the interface, before the capture saw the packet) and `isb_osdrop`
/// (the operating system's buffer). dumpcap and tcpdump write them when a capture
/// ends; libpcap does not hand them to readers, so the file's blocks are walked here.
/// The file is mapped, not read: the walk touches only block headers (one block per
/// packet), 22 ms for a million packets, where reading it again took 200 ms and a
/// system call per block 1.7 s.
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
    /// Larger statistics blocks (crafted input) are skipped, not read.
    static let maximumStatisticsBlock = 1 << 16

    /// Reads the statistics of the pcapng file at `path`; nil when it is not a plain
    /// little- or big-endian pcapng file, or holds no statistics.
    public static func read(path: String) -> InterfaceStatistics? {
        guard let file = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return nil }
        var lastByInterface: [UInt32: (ifdrop: UInt64?, osdrop: UInt64?)] = [:]
        let valid = file.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var bigEndian = false
            var offset = 0
            while offset + 12 <= bytes.count {
                let type = word(bytes, offset, bigEndian: bigEndian)
                if offset == 0, type != blockTypeSection { return false }  // not plain pcapng (gzip, say)
                if type == blockTypeSection {
                    let magic = word(bytes, offset + 8, bigEndian: false)
                    guard magic == 0x1a2b_3c4d || magic == 0x4d3c_2b1a else { return false }
                    bigEndian = magic == 0x4d3c_2b1a
                }
                let length = Int(word(bytes, offset + 4, bigEndian: bigEndian))
                guard length >= 12, length % 4 == 0 else { return false }
                if type == blockTypeStatistics, length <= maximumStatisticsBlock, offset + length <= bytes.count {
                    let block = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
                    lastByInterface[word(block, 8, bigEndian: bigEndian)] = options(block, bigEndian: bigEndian)
                }
                offset += length
            }
            return true
        }
        let ifdrops = lastByInterface.values.compactMap(\.ifdrop), osdrops = lastByInterface.values.compactMap(\.osdrop)
        guard valid, !ifdrops.isEmpty || !osdrops.isEmpty else { return nil }
        return InterfaceStatistics(interfaceDrops: ifdrops.isEmpty ? nil : ifdrops.reduce(0, &+),
                                   systemDrops: osdrops.isEmpty ? nil : osdrops.reduce(0, &+))
    }

    /// The drop options of one statistics block (options start after 20 bytes).
    private static func options(_ block: UnsafeRawBufferPointer, bigEndian: Bool) -> (UInt64?, UInt64?) {
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

    private static func word(_ bytes: UnsafeRawBufferPointer, _ at: Int, bigEndian: Bool) -> UInt32 {
        let value = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        return bigEndian ? value.byteSwapped : value
    }

    private static func half(_ bytes: UnsafeRawBufferPointer, _ at: Int, bigEndian: Bool) -> UInt16 {
        let value = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
        return bigEndian ? value.byteSwapped : value
    }
}

/// `InterfaceStatistics.read` of several files on a background thread, started when
/// the files are opened and waited for when reading ends.
final class InterfaceStatisticsWalk: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Written by the background thread before `done` is left; read after `wait`.
    private var results: [InterfaceStatistics?]

    /// `paths[i]` nil: file i is not walked.
    init(paths: [String?]) {
        results = paths.map { _ in nil }
        guard paths.contains(where: { $0 != nil }) else { return }
        done.enter()
        DispatchQueue.global(qos: .utility).async {
            for (index, path) in paths.enumerated() {
                if let path { self.results[index] = InterfaceStatistics.read(path: path) }
            }
            self.done.leave()
        }
    }

    /// File `index`'s statistics, once the walk has finished.
    func result(_ index: Int) -> InterfaceStatistics? {
        done.wait()
        return results[index]
    }
}
