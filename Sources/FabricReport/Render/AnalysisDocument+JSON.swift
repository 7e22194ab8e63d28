import FabricStats

extension AnalysisDocument {
    /// Pretty-printed JSON with sorted keys, so that output diffs cleanly, ending in
    /// a newline. Written as it is encoded (`StreamingJSONEncoder`): a report of
    /// 100 k flows is a few hundred megabytes, and a tree of it would be gigabytes.
    public func jsonBytes() throws -> [UInt8] {
        var bytes = try StreamingJSONEncoder(prettyPrinted: true).encode(self)
        bytes.append(0x0a)
        return bytes
    }

    public func jsonText() throws -> String { String(decoding: try jsonBytes(), as: UTF8.self) }
}
