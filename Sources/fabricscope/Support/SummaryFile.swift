import Foundation

/// Tells a summary (JSON) from a capture by its first byte, not its name: pcap and
/// pcapng files start with binary magic numbers, gzip with 0x1f, a summary with `{`.
enum SummaryFile {
    static func looksLikeSummary(_ path: String) -> Bool {
        // Only a regular file is sniffed: a pipe or FIFO can be read once, and its
        // bytes belong to whoever opens it for real.
        guard path != "-", let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
              type == .typeRegular, let handle = FileHandle(forReadingAtPath: path) else { return path.hasSuffix(".json") }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 64)
        guard let first = head.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) else { return path.hasSuffix(".json") }
        return first == UInt8(ascii: "{")
    }
}
