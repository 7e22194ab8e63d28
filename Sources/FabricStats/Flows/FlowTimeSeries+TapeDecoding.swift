import FabricJSON

/// Reading time series straight from `TapeJSONDecoder`'s tape.
///
/// Why: a summary holds up to one window per packet, so windows are most of what a
/// night's `history add`, `nightly` and `merge` read. Through keyed containers each
/// window cost a container object, a coding path, and a search of its members per
/// field (twelve searches for eight members); with the windows of a 10⁴-flow summary
/// that was a quarter of `history add`. Here each window's members are walked once,
/// in the order they were written (`TapeBox.members`). A bad value still goes
/// through `decodeValue`, so it gives the error and coding path it gave before; `TapeJSONDecoderTests`
/// holds the results equal to `JSONDecoder`'s.
extension FlowTimeSeries.Window {
    /// The windows of the array at `node`.
    static func windows(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws -> [Self] {
        try box.elements(ofArray: node, path: path()) { try Self(tape: box, node: $0, path: path() + [TapeIndexKey($1)]) }
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

    /// The window at `node`: its members walked once (`TapeBox.members`); optional
    /// members may be null.
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        assert(Self.namesMatchKeys, "Window.keyNames differ from its coding keys")
        self.init(startNs: 0)
        try box.members(ofObject: node, keys: Self.keys, names: Self.keyNames, required: Self.requiredMask, path: path()) {
            key, value in
            func integer() throws -> Int { try box.int(at: value, path: path() + [key]) }
            func integer64() throws -> Int64 { try box.int64(at: value, path: path() + [key]) }
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
    }
}
