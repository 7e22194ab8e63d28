import Foundation

/// Reads raw Ethernet frames of a small classic pcap with Foundation only, so the
/// ICRC check does not depend on the code under test.
public enum RawFrames {
    public static func forEach(path: String, _ body: ([UInt8]) throws -> Void) throws {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func le32(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 | Int(data[at + 2]) << 16 | Int(data[at + 3]) << 24 }
        var offset = 24
        while offset + 16 <= data.count {
            let captured = le32(offset + 8)
            try body(Array(data[(offset + 16)..<(offset + 16 + captured)]))
            offset += 16 + captured
        }
    }
}
