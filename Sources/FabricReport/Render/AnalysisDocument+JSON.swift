import Foundation

extension AnalysisDocument {
    /// Pretty-printed JSON with sorted keys, so that output diffs cleanly.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
