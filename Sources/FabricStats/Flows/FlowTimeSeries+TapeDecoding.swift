import FabricJSON

/// Reading time series straight from `TapeJSONDecoder`'s tape.
///
/// Why: a summary holds up to one window per packet, so windows are most of what a
/// night's `history add`, `nightly` and `merge` read. Through keyed containers each
/// window cost a container object, a coding path, and a search of its members per
/// field (twelve searches for eight members); with the windows of a 10⁴-flow summary
/// that was a quarter of `history add`. Here each window's members are walked once,
/// in the order they were written. Values still go through `decodeValue`, so a bad
/// value gives the error and coding path it gave before; `TapeJSONDecoderTests`
/// holds the results equal to `JSONDecoder`'s.
extension FlowTimeSeries.Window {
    /// The windows of the array at `node`.
    static func windows(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws -> [Self] {
        let tape = box.tape
        guard tape.nodes[node].kind == .array else { throw mismatch([Self].self, node, path(), tape) }
        var windows: [Self] = []
        windows.reserveCapacity(tape.nodes[node].count)
        var element = node + 1
        for index in 0..<tape.nodes[node].count {
            windows.append(try Self(tape: box, node: element, path: path() + [TapeIndexKey(index)]))
            element = tape.nodes[element].next
        }
        return windows
    }

    /// Keys in the order the writer puts them (sorted), where the walk looks first.
    private static let keys: [CodingKeys] = [
        .ackLatency, .cePackets, .cnpPackets, .gaps, .goodputBytes, .naks, .packets, .pausedNs,
        .retransmittedBytes, .retransmittedPackets, .startNs, .wireBytes,
    ]
    /// The same keys as static text (compared without a retain per comparison);
    /// debug builds check them against `keys` once.
    private static let keyNames: [StaticString] = [
        "ack_latency", "ce_packets", "cnp_packets", "gaps", "goodput_bytes", "naks", "packets", "paused_ns",
        "retransmitted_bytes", "retransmitted_packets", "start_ns", "wire_bytes",
    ]
    /// Members every window has (version 1 summaries already wrote them).
    private static let required: [CodingKeys] = [
        .startNs, .packets, .wireBytes, .goodputBytes, .retransmittedBytes, .cePackets, .cnpPackets,
    ]
    private static let namesMatchKeys = zip(keys, keyNames).allSatisfy { $0.stringValue == "\($1)" }
    private static let requiredMask = required.reduce(0) { $0 | 1 << keys.firstIndex(of: $1)! }

    /// The window at `node`: its members walked once. Unknown members are ignored and
    /// a repeated one is read once (its first), as the keyed containers did; optional
    /// members may be null.
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        assert(Self.namesMatchKeys, "Window.keyNames differ from its coding keys")
        let tape = box.tape
        guard tape.nodes[node].kind == .object else { throw mismatch([String: Int].self, node, path(), tape) }
        self.init(startNs: 0)
        var seen = 0
        var guess = 0
        var member = node + 1
        let end = tape.nodes[node].next
        while member < end {
            let value = member + 1
            defer { member = tape.nodes[value].next }
            // The key, looked for from the one after the last found: members come sorted.
            var found = -1
            for step in 0..<Self.keys.count {
                let candidate = (guess + step) % Self.keys.count
                if tape.string(at: member, equals: Self.keyNames[candidate]) {
                    found = candidate
                    break
                }
            }
            guard found >= 0, seen & (1 << found) == 0 else { continue }
            seen |= 1 << found
            guess = found + 1
            let key = Self.keys[found]
            if tape.nodes[value].kind == .null, Self.requiredMask & (1 << found) == 0 { continue }
            // Read in place; only a value that is not one goes through `decodeValue`,
            // for its error (each call there copies the tape: two retains per value).
            func integer() throws -> Int {
                if let integer = tape.int(at: value) { return integer }
                return try decodeValue(Int.self, node: value, tape: box, path: path() + [key])
            }
            func integer64() throws -> Int64 {
                if let integer = tape.int64(at: value) { return integer }
                return try decodeValue(Int64.self, node: value, tape: box, path: path() + [key])
            }
            switch key {
            case .startNs: startNs = try integer64()
            case .packets: packets = try integer()
            case .wireBytes: wireBytes = try integer()
            case .goodputBytes: goodputBytes = try integer()
            case .retransmittedBytes: retransmittedBytes = try integer()
            case .cePackets: cePackets = try integer()
            case .cnpPackets: cnpPackets = try integer()
            case .retransmittedPackets: retransmittedPackets = try integer()
            case .naks: naks = try integer()
            case .ackLatency: ackLatency = try LogSketch(tape: box, node: value, path: path() + [key])
            case .gaps: gaps = try LogSketch(tape: box, node: value, path: path() + [key])
            case .pausedNs: pausedNs = try integer64()
            }
        }
        guard seen & Self.requiredMask == Self.requiredMask else {
            let key = Self.required.first { seen & (1 << Self.keys.firstIndex(of: $0)!) == 0 }!
            throw DecodingError.keyNotFound(key, .init(codingPath: path(), debugDescription: "no value for \"\(key.stringValue)\""))
        }
    }
}
