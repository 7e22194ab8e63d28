extension AnalysisDocument {
    /// The default view: one line per flow, largest first, then totals, PFC and
    /// the notes and warnings that qualify the numbers.
    public func tableText(limit: Int? = nil) -> String {
        let header = ["SRC", "DST", "QP", "PKTS", "WIRE", "PAYLOAD", "MEAN", "PEAK", "ACK", "NAK", "CNP", "CE"]
        var rows: [[String]] = []
        let shown = limit.map { Array(flows.prefix($0)) } ?? flows
        for flow in shown {
            rows.append([
                flow.src, flow.dst, "0x" + String(flow.destQP, radix: 16), String(flow.packets),
                Units.bytes(flow.wireBytes), Units.bytes(flow.payloadBytes),
                Units.bitRate(flow.throughputBps.mean), Units.bitRate(flow.throughputBps.peak),
                String(flow.acks), String(flow.naks.values.reduce(0, +)), String(flow.cnpPackets),
                Units.percent(flow.ecn.cePackets, of: flow.ecn.ectPackets),
            ])
        }
        let flowPackets = flows.reduce(0) { $0 + $1.packets }
        rows.append([
            "TOTAL", "\(flows.count) flows", "", String(flowPackets),
            Units.bytes(flows.reduce(0) { $0 + $1.wireBytes }),
            Units.bytes(flows.reduce(0) { $0 + $1.payloadBytes }), "", "",
            String(flows.reduce(0) { $0 + $1.acks }),
            String(flows.reduce(0) { $0 + $1.naks.values.reduce(0, +) }),
            String(flows.reduce(0) { $0 + $1.cnpPackets }),
            Units.percent(flows.reduce(0) { $0 + $1.ecn.cePackets }, of: flows.reduce(0) { $0 + $1.ecn.ectPackets }),
        ])
        var text = captureLine() + "\n\n" + AnalysisDocument.align([header] + rows, separatorBefore: rows.count)
        if let limit, flows.count > limit { text += "(\(flows.count - limit) more flows not shown)\n" }
        if !pfc.isEmpty { text += "\n" + pfcTable() }
        for note in notes { text += "\nnote: " + note }
        for warning in capture.warnings { text += "\nwarning: " + warning }
        return text + "\n"
    }

    private func captureLine() -> String {
        let duration = (capture.endNs ?? 0) - (capture.startNs ?? 0)
        return "\(capture.packets) packets (\(capture.rocePackets) RoCE/IB, \(capture.otherPackets) other), "
            + "\(Units.bytes(capture.wireBytes)) in \(Units.fixed(Double(duration) / 1e9, digits: 6)) s; "
            + "link \(capture.linkTypes.joined(separator: ", ")); "
            + "timestamps \(AnalysisDocument.formatNs(capture.timestampResolutionNs))"
    }

    private func pfcTable() -> String {
        let header = ["PFC FROM", "PRIO", "XOFF", "XON", "QUANTA", "PAUSE (requested)"]
        let rows = pfc.map {
            [$0.sourceMAC, String($0.priority), String($0.xoffFrames), String($0.xonFrames),
             String($0.pauseQuanta), Units.fixed($0.pauseNs / 1000, digits: 2) + " µs"]
        }
        return AnalysisDocument.align([header] + rows, separatorBefore: nil)
    }

    /// Left-aligns text columns and right-aligns numbers.
    static func align(_ rows: [[String]], separatorBefore: Int?) -> String {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (index, row) in rows.enumerated() {
            if index == separatorBefore {
                text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
            let cells = row.enumerated().map { column, cell -> String in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < 2 ? cell + pad : pad + cell
            }
            text += cells.joined(separator: "  ").replacing(/\s+$/, with: "") + "\n"
        }
        return text
    }
}
