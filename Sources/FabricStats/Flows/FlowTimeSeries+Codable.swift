import FabricJSON

extension FlowTimeSeries.Window {
    /// Fields added after version 1 summaries were first written (retransmitted
    /// packets, NAKs, latency and gap sketches, paused time) are optional on
    /// reading and left out when empty, so old summaries decode and idle windows
    /// stay small.
    public init(from decoder: any Decoder) throws {
        // `TapeJSONDecoder`'s windows are read straight from the tape
        // (`FlowTimeSeries+TapeDecoding.swift`).
        if let tape = decoder as? TapeDecoder {
            try self.init(tape: tape.tape, node: tape.node, path: tape.codingPath)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(startNs: try container.decode(Int64.self, forKey: .startNs))
        packets = try container.decode(Int.self, forKey: .packets)
        wireBytes = try container.decode(Int.self, forKey: .wireBytes)
        goodputBytes = try container.decode(Int.self, forKey: .goodputBytes)
        retransmittedBytes = try container.decode(Int.self, forKey: .retransmittedBytes)
        cePackets = try container.decode(Int.self, forKey: .cePackets)
        cnpPackets = try container.decode(Int.self, forKey: .cnpPackets)
        retransmittedPackets = try container.decodeIfPresent(Int.self, forKey: .retransmittedPackets) ?? 0
        naks = try container.decodeIfPresent(Int.self, forKey: .naks) ?? 0
        ackLatency = try container.decodeIfPresent(LogSketch.self, forKey: .ackLatency) ?? LogSketch()
        gaps = try container.decodeIfPresent(LogSketch.self, forKey: .gaps) ?? LogSketch()
        pausedNs = try container.decodeIfPresent(Int64.self, forKey: .pausedNs) ?? 0
    }

    /// Members in the order of their keys, as the summary is written (sorted keys):
    /// the writer then has nothing to reorder. Windows are most of a summary, and
    /// reordering their members was 14 % of a 10⁴-flow night (`nightly`).
    public func encode(to encoder: any Encoder) throws {
        if let streaming = encoder as? JSONValueEncoder {
            try write(to: streaming.writer, depth: streaming.depth)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !ackLatency.isEmpty { try container.encode(ackLatency, forKey: .ackLatency) }
        try container.encode(cePackets, forKey: .cePackets)
        try container.encode(cnpPackets, forKey: .cnpPackets)
        if !gaps.isEmpty { try container.encode(gaps, forKey: .gaps) }
        try container.encode(goodputBytes, forKey: .goodputBytes)
        if naks > 0 { try container.encode(naks, forKey: .naks) }
        try container.encode(packets, forKey: .packets)
        if pausedNs > 0 { try container.encode(pausedNs, forKey: .pausedNs) }
        try container.encode(retransmittedBytes, forKey: .retransmittedBytes)
        if retransmittedPackets > 0 { try container.encode(retransmittedPackets, forKey: .retransmittedPackets) }
        try container.encode(startNs, forKey: .startNs)
        try container.encode(wireBytes, forKey: .wireBytes)
    }

    /// The same members written straight into `StreamingJSONEncoder`'s buffer, in
    /// key order. A summary holds up to one window per packet (at 10⁴ flows each sends
    /// about one packet a window), and a keyed container per window (boxed, with a key
    /// string, an order check and a recorded span per member) made writing a summary
    /// most of `analyze --summary-out`'s time and a third of a night's. The keys are
    /// static text here, which `SortedJSONObject`'s one member list cannot give:
    /// through it, `--summary-out` at 10⁴ flows took 25 % more CPU (3.60 s against
    /// 2.89 s, best of 5). `StreamingJSONEncoderTests` holds the text equal to
    /// Foundation's, and every stored field to a key.
    private func write(to writer: JSONByteWriter, depth: Int) throws {
        writer.openKeyOrderedObject(depth: depth)
        if !ackLatency.isEmpty {
            writer.beginKeyOrderedMember("ack_latency", depth: depth)
            try writer.encodeValue(ackLatency, depth: depth + 1)
        }
        writer.writeKeyOrderedMember("ce_packets", cePackets, depth: depth)
        writer.writeKeyOrderedMember("cnp_packets", cnpPackets, depth: depth)
        if !gaps.isEmpty {
            writer.beginKeyOrderedMember("gaps", depth: depth)
            try writer.encodeValue(gaps, depth: depth + 1)
        }
        writer.writeKeyOrderedMember("goodput_bytes", goodputBytes, depth: depth)
        if naks > 0 { writer.writeKeyOrderedMember("naks", naks, depth: depth) }
        writer.writeKeyOrderedMember("packets", packets, depth: depth)
        if pausedNs > 0 { writer.writeKeyOrderedMember("paused_ns", pausedNs, depth: depth) }
        writer.writeKeyOrderedMember("retransmitted_bytes", retransmittedBytes, depth: depth)
        if retransmittedPackets > 0 { writer.writeKeyOrderedMember("retransmitted_packets", retransmittedPackets, depth: depth) }
        writer.writeKeyOrderedMember("start_ns", startNs, depth: depth)
        writer.writeKeyOrderedMember("wire_bytes", wireBytes, depth: depth)
    }
}
