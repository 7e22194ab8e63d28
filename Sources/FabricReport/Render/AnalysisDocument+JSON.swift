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

    /// As the synthesized encoding, but the flows (nearly all of the text) are
    /// encoded on all cores.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(capture, forKey: .capture)
        try container.encode(ConcurrentJSONArray(flows), forKey: .flows)
        try container.encode(pfc, forKey: .pfc)
        try container.encode(notes, forKey: .notes)
        try container.encodeIfPresent(taps, forKey: .taps)
        try container.encode(collectives, forKey: .collectives)
        try container.encodeIfPresent(health, forKey: .health)
    }
}
