extension FlowTimeSeries.Window {
    /// Reads a window straight off `TapeJSONDecoder`'s tape, with the values and
    /// errors of `init(from:)`'s keyed container but without one: windows are most of
    /// a node summary, and making a container per window (its box, its generic type,
    /// its dispatch per key) was a third of the time spent reading one.
    init(tape decoder: TapeDecoder) throws {
        let box = decoder.tape, node = decoder.node
        guard box.tape.nodes[node].kind == .object else {
            throw mismatch([String: Int].self, node, decoder.codingPath, box.tape)
        }
        // Keys come mostly in the order they were written: each search starts after the last found.
        var cursor = node + 1
        func valueNode(_ key: CodingKeys) -> Int? {
            guard let found = box.tape.member(key.stringValue, of: node, from: cursor) else { return nil }
            cursor = found
            return found + 1
        }
        func required<T: Decodable>(_ type: T.Type, _ key: CodingKeys) throws -> T {
            guard let value = valueNode(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: decoder.codingPath,
                                                           debugDescription: "no value for \"\(key.stringValue)\""))
            }
            return try decodeValue(type, node: value, tape: box, path: decoder.codingPath + [key])
        }
        func optional<T: Decodable>(_ type: T.Type, _ key: CodingKeys) throws -> T? {
            guard let value = valueNode(key), box.tape.nodes[value].kind != .null else { return nil }
            return try decodeValue(type, node: value, tape: box, path: decoder.codingPath + [key])
        }
        self.init(startNs: try required(Int64.self, .startNs))
        packets = try required(Int.self, .packets)
        wireBytes = try required(Int.self, .wireBytes)
        goodputBytes = try required(Int.self, .goodputBytes)
        retransmittedBytes = try required(Int.self, .retransmittedBytes)
        cePackets = try required(Int.self, .cePackets)
        cnpPackets = try required(Int.self, .cnpPackets)
        retransmittedPackets = try optional(Int.self, .retransmittedPackets) ?? 0
        naks = try optional(Int.self, .naks) ?? 0
        ackLatency = try optional(LogSketch.self, .ackLatency) ?? LogSketch()
        gaps = try optional(LogSketch.self, .gaps) ?? LogSketch()
        pausedNs = try optional(Int64.self, .pausedNs) ?? 0
    }
}
