import FabricJSON
import FabricModels
import FabricCompare
import FabricHealth
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

    /// `jsonBytes()`, handed to `sink` in pieces as they are made (the flows a wave
    /// at a time): a report of 10⁵ flows is 160 MB, and held whole it was written
    /// into fresh pages and kept at the run's peak. After an error, what reached
    /// `sink` is incomplete.
    public func writeJSON(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try StreamingJSONEncoder(prettyPrinted: true).encode(self, into: sink)
        try withUnsafeBytes(of: UInt8(0x0a)) { try sink($0) }
    }

    public func jsonText() throws -> String { String(decoding: try jsonBytes(), as: UTF8.self) }

    /// As the synthesized encoding, but the flows (nearly all of the text) are
    /// encoded on all cores, and members go in key order: sorting them afterwards
    /// moved the whole flows array.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(capture, forKey: CodingKeys.capture)
        try object.encode(collectives, forKey: CodingKeys.collectives)
        try object.encodeIfPresent(ecmp, forKey: CodingKeys.ecmp)
        if let deferred = deferredEntries {
            try object.encode(LazyConcurrentJSONArray(count: deferred.count, element: deferred.entry), forKey: CodingKeys.flows)
        } else {
            try object.encode(ConcurrentJSONArray(flows), forKey: CodingKeys.flows)
        }
        try object.encodeIfPresent(health, forKey: CodingKeys.health)
        try object.encode(notes, forKey: CodingKeys.notes)
        try object.encodeIfPresent(otherCollectives, forKey: CodingKeys.otherCollectives)
        try object.encode(pfc, forKey: CodingKeys.pfc)
        try object.encodeIfPresent(qos, forKey: CodingKeys.qos)
        try object.encode(schemaVersion, forKey: CodingKeys.schemaVersion)
        try object.encodeIfPresent(switches, forKey: CodingKeys.switches)
        try object.encodeIfPresent(taps, forKey: CodingKeys.taps)
    }
}
