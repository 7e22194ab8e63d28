import FabricMetrics
import FabricModels

extension ModelReport {
    /// nccl-tests' familiar columns (time in µs, algbw and busbw in GB/s), plus the
    /// completion percentiles and the jitter efficiency (ideal ÷ expected) when jitter
    /// is known.
    public func tableText() -> String {
        var text = "# \(collective.rawValue), \(algorithm.rawValue), \(ranks) ranks; link α "
            + Units.duration(Int64(latencyNs.rounded())) + ", B " + Units.fixed(bandwidthBps / 8e9, digits: 1) + " GB/s"
            + (`protocol` == .ideal ? "" : "; NCCL \(`protocol`.rawValue): "
                + Units.fixed(bandwidthBps * protocolEfficiency / 8e9, digits: 1) + " GB/s") + "\n"
        if let hierarchy { text += "# " + hierarchy + "\n" }
        for line in estimation { text += "# " + line + "\n" }
        let jitter = results.first?.completionNs != nil
        var header = ["size", "count", "type", "redop", "time(us)", "algbw(GB/s)", "busbw(GB/s)"]
        if jitter { header += ["p50(us)", "p99(us)", "ideal/exp"] }
        var rows = [header]
        for row in results {
            var cells = [
                String(Int(row.sizeBytes)), String(Int(row.sizeBytes / 4)), "float", "sum",
                Units.fixed(row.idealTimeNs / 1000, digits: 2), Units.fixed(row.algbwBps / 8e9, digits: 2),
                Units.fixed(row.busbwBps / 8e9, digits: 2),
            ]
            if let completion = row.completionNs {
                cells += [Units.fixed(completion.p50 / 1000, digits: 2), Units.fixed(completion.p99 / 1000, digits: 2),
                          Units.fixed(row.jitterEfficiency ?? 1, digits: 3)]
            }
            rows.append(cells)
        }
        text += AnalysisDocument.align(rows.map { $0.map { $0 } }, separatorBefore: nil, rightAlignFrom: 0)
        for note in notes { text += "note: " + note + "\n" }
        return text
    }
}
