extension AnalysisDocument {
    static let csvHeader = [
        "src", "dst", "dest_qp", "encapsulation", "packets", "wire_bytes", "payload_bytes",
        "start_ns", "end_ns", "acks", "naks", "cnp_packets", "ect_packets", "ce_packets",
        "throughput_mean_bps", "throughput_peak_bps", "window_ns", "opcodes",
    ]

    /// One row per flow (RFC 4180). `naks` is the total; `opcodes` is
    /// `NAME=count` pairs joined by `;`.
    public func csvText() -> String {
        var lines = [AnalysisDocument.csvHeader.joined(separator: ",")]
        for flow in flows {
            let fields: [String] = [
                flow.src, flow.dst, String(flow.destQP), flow.encapsulation, String(flow.packets),
                String(flow.wireBytes), String(flow.payloadBytes), String(flow.startNs), String(flow.endNs),
                String(flow.acks), String(flow.naks.values.reduce(0, +)), String(flow.cnpPackets),
                String(flow.ecn.ectPackets), String(flow.ecn.cePackets),
                flow.throughputBps.mean.map { String(Int($0.rounded())) } ?? "",
                String(Int(flow.throughputBps.peak.rounded())), String(flow.throughputBps.windowNs),
                flow.opcodes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
            ]
            lines.append(fields.map(AnalysisDocument.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
