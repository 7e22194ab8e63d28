import Foundation

/// Paths inside the repository, found from this file's location so that tests
/// run from any working directory.
public enum TestPaths {
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func fixture(_ name: String) -> String { repository.appendingPathComponent("Fixtures/" + name).path }

    public static func vectors(_ name: String) -> URL {
        repository.appendingPathComponent("Tests/Vectors/" + name)
    }
}

extension Array where Element == UInt8 {
    public init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }
}
