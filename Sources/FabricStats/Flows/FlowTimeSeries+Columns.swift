import FabricJSON

/// How a flow's windows are stored from summary version 2 on: one array per field
/// (a column), not one object per window.
///
/// Why: windows are most of a summary (three quarters of a 10⁴-flow one), and as
/// objects each window repeated its dozen keys: about 150 bytes for a window of one
/// packet, 19 tape nodes to parse and a member walk to read it. As columns a window
/// is a few digits in each column, and reading is a walk down arrays of integers.
///
/// The form:
/// - `start_ns_deltas`: the first window's start, then each window's distance from the
///   one before (windows are in time order; distances are multiples of the window).
///   Always present; its length is the number of windows.
/// - `packets`, `wire_bytes`, `goodput_bytes`, `retransmitted_bytes`, `ce_packets`,
///   `cnp_packets`, `retransmitted_packets`, `naks`, `paused_ns`: integers, one per window.
/// - `ack_latency`, `gaps`: one `LogSketch` per window (`[bucket, count, …]`, `[]` when empty).
/// - A column whose every value is zero (or an empty sketch) is left out, and read as
///   zeros: most flows have no CE marks, CNPs, retransmissions or pauses.
///
/// Version 1 summaries (`windows`, an array of objects) are still read
/// (`FlowTimeSeries.init(from:)`).
struct WindowColumns: Codable {
    var windows: [FlowTimeSeries.Window]

    init(_ windows: [FlowTimeSeries.Window]) { self.windows = windows }

    /// The columns, in the order they are written (sorted keys).
    enum Key: String, CodingKey, CaseIterable {
        case ackLatency = "ack_latency", cePackets = "ce_packets", cnpPackets = "cnp_packets", gaps
        case goodputBytes = "goodput_bytes", naks, packets, pausedNs = "paused_ns"
        case retransmittedBytes = "retransmitted_bytes", retransmittedPackets = "retransmitted_packets"
        case startNsDeltas = "start_ns_deltas", wireBytes = "wire_bytes"

        /// The key as static text, for the writer and the tape walk.
        var name: StaticString {
            switch self {
            case .ackLatency: "ack_latency"
            case .cePackets: "ce_packets"
            case .cnpPackets: "cnp_packets"
            case .gaps: "gaps"
            case .goodputBytes: "goodput_bytes"
            case .naks: "naks"
            case .packets: "packets"
            case .pausedNs: "paused_ns"
            case .retransmittedBytes: "retransmitted_bytes"
            case .retransmittedPackets: "retransmitted_packets"
            case .startNsDeltas: "start_ns_deltas"
            case .wireBytes: "wire_bytes"
            }
        }

        var isSketch: Bool { self == .ackLatency || self == .gaps }
    }

    static let keys = Key.allCases
    static let names = keys.map(\.name)
    static let requiredMask = 1 << keys.firstIndex(of: .startNsDeltas)!

    // MARK: Values by column

    /// Window `index`'s value in an integer column (`.startNsDeltas`: its delta).
    private func integer(_ key: Key, _ index: Int) -> Int64 {
        let window = windows[index]
        switch key {
        case .startNsDeltas: return index == 0 ? window.startNs : window.startNs &- windows[index - 1].startNs
        case .packets: return Int64(window.packets)
        case .wireBytes: return Int64(window.wireBytes)
        case .goodputBytes: return Int64(window.goodputBytes)
        case .retransmittedBytes: return Int64(window.retransmittedBytes)
        case .cePackets: return Int64(window.cePackets)
        case .cnpPackets: return Int64(window.cnpPackets)
        case .retransmittedPackets: return Int64(window.retransmittedPackets)
        case .naks: return Int64(window.naks)
        case .pausedNs: return window.pausedNs
        case .ackLatency, .gaps: preconditionFailure("\(key) is a column of sketches")
        }
    }

    private func sketch(_ key: Key, _ index: Int) -> LogSketch {
        key == .ackLatency ? windows[index].ackLatency : windows[index].gaps
    }

    /// Whether a column is written: the starts always, any other when a window has a
    /// value in it.
    private func isWritten(_ key: Key) -> Bool {
        switch key {
        case .startNsDeltas: return true
        case .ackLatency: return windows.contains { !$0.ackLatency.isEmpty }
        case .gaps: return windows.contains { !$0.gaps.isEmpty }
        default: return windows.indices.contains { integer(key, $0) != 0 }
        }
    }

    // MARK: Encoding

    func encode(to encoder: any Encoder) throws {
        if let streaming = encoder as? JSONValueEncoder {
            write(to: streaming.writer, depth: streaming.depth)
            return
        }
        var container = encoder.container(keyedBy: Key.self)
        for key in WindowColumns.keys where isWritten(key) {
            if key.isSketch {
                try container.encode(windows.indices.map { sketch(key, $0) }, forKey: key)
            } else {
                try container.encode(windows.indices.map { integer(key, $0) }, forKey: key)
            }
        }
    }

    /// The columns written straight into `StreamingJSONEncoder`'s buffer, in key order.
    private func write(to writer: JSONByteWriter, depth: Int) {
        writer.openKeyOrderedObject(depth: depth)
        for key in WindowColumns.keys where isWritten(key) {
            if key.isSketch {
                writer.writeColumn(key.name, count: windows.count, depth: depth) { index, depth in
                    sketch(key, index).write(to: writer, depth: depth)
                }
            } else {
                writer.writeIntegerColumn(key.name, count: windows.count, depth: depth) { integer(key, $0) }
            }
        }
    }

    // MARK: Decoding

    /// The columns as read, by `Key` position; nil for a column left out.
    private struct Read {
        var integers = [[Int64]?](repeating: nil, count: WindowColumns.keys.count)
        var sketches = [[LogSketch]?](repeating: nil, count: WindowColumns.keys.count)

        /// The windows the columns describe; every column must have one value per start.
        /// (`path` is asked for only for an error.)
        func windows(path: @autoclosure () -> [CodingKey]) throws -> [FlowTimeSeries.Window] {
            func column<T>(_ key: Key, _ values: [T]?, count: Int) throws -> [T]? {
                guard let values else { return nil }
                guard values.count == count else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: path() + [key],
                        debugDescription: "\(values.count) value(s) for \(count) window(s) (start_ns_deltas)"))
                }
                return values
            }
            let deltas = integers[WindowColumns.keys.firstIndex(of: .startNsDeltas)!] ?? []
            var windows: [FlowTimeSeries.Window] = []
            windows.reserveCapacity(deltas.count)
            var start: Int64 = 0
            for (index, delta) in deltas.enumerated() {
                let (next, overflow) = index == 0 ? (delta, false) : start.addingReportingOverflow(delta)
                guard !overflow else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: path() + [Key.startNsDeltas, TapeIndexKey(index)],
                        debugDescription: "a window start beyond 64 bits"))
                }
                start = next
                windows.append(FlowTimeSeries.Window(startNs: start))
            }
            for (position, key) in WindowColumns.keys.enumerated() where key != .startNsDeltas {
                if key.isSketch {
                    guard let values = try column(key, sketches[position], count: windows.count) else { continue }
                    for index in windows.indices {
                        if key == .ackLatency { windows[index].ackLatency = values[index] } else { windows[index].gaps = values[index] }
                    }
                } else {
                    guard let values = try column(key, integers[position], count: windows.count) else { continue }
                    for index in windows.indices { windows[index].set(key, values[index]) }
                }
            }
            return windows
        }
    }

    init(from decoder: any Decoder) throws {
        if let tape = decoder as? TapeDecoder {
            self = try WindowColumns(tape: tape.tape, node: tape.node, path: tape.codingPath)
            return
        }
        var read = Read()
        let container = try decoder.container(keyedBy: Key.self)
        for (position, key) in WindowColumns.keys.enumerated() {
            if key.isSketch {
                read.sketches[position] = try container.decodeIfPresent([LogSketch].self, forKey: key)
            } else if key == .startNsDeltas {
                read.integers[position] = try container.decode([Int64].self, forKey: key)
            } else {
                read.integers[position] = try container.decodeIfPresent([Int64].self, forKey: key)
            }
        }
        windows = try read.windows(path: decoder.codingPath)
    }
}

extension WindowColumns {
    /// The columns at `node` of a tape, each array walked once.
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        var read = Read()
        try box.members(ofObject: node, keys: WindowColumns.keys, names: WindowColumns.names,
                        required: WindowColumns.requiredMask, path: path()) { key, value in
            let position = WindowColumns.keys.firstIndex(of: key)!
            if key.isSketch {
                read.sketches[position] = try box.elements(ofArray: value, path: path() + [key]) {
                    try LogSketch(tape: box, node: $0, path: path() + [key, TapeIndexKey($1)])
                }
            } else {
                read.integers[position] = try box.elements(ofArray: value, path: path() + [key]) {
                    try box.int64(at: $0, path: path() + [key, TapeIndexKey($1)])
                }
            }
        }
        windows = try read.windows(path: path())
    }
}

extension FlowTimeSeries.Window {
    /// Sets the field of an integer column.
    fileprivate mutating func set(_ key: WindowColumns.Key, _ value: Int64) {
        switch key {
        case .packets: packets = Int(value)
        case .wireBytes: wireBytes = Int(value)
        case .goodputBytes: goodputBytes = Int(value)
        case .retransmittedBytes: retransmittedBytes = Int(value)
        case .cePackets: cePackets = Int(value)
        case .cnpPackets: cnpPackets = Int(value)
        case .retransmittedPackets: retransmittedPackets = Int(value)
        case .naks: naks = Int(value)
        case .pausedNs: pausedNs = value
        case .startNsDeltas, .ackLatency, .gaps: preconditionFailure("\(key) is not an integer field")
        }
    }
}

extension LogSketch {
    /// The sketch as `[bucket, count, …]` straight into the writer (as `encode(to:)` writes it).
    func write(to writer: JSONByteWriter, depth: Int) {
        writer.writeIntegerArray(count: 2 * buckets.count, depth: depth) { index in
            index % 2 == 0 ? Int64(buckets[index / 2]) : Int64(counts[index / 2])
        }
    }
}
