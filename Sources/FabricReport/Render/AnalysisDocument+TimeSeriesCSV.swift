import FabricStats
import FabricMetrics

extension AnalysisDocument {
    /// The window's own counters and rates carry the catalog's names: the same
    /// quantities measured over one window.
    static let timeSeriesHeader = ["src", "dst", "dest_qp", "window_start_ns"] + [
        Metrics.window, Metrics.packets, Metrics.wireBytes, Metrics.goodputBytes, Metrics.retransmittedBytes,
        Metrics.cePackets, Metrics.cnpPackets, Metrics.throughput, Metrics.goodput,
    ].map(\.name)

    /// One row per (flow, busy window), flows in document order, windows in time
    /// order: the long format that plotting tools and dataframes take directly.
    public func timeSeriesCSV() -> String {
        precondition(deferredEntries == nil, "CSV is written from made entries")
        var lines = [AnalysisDocument.timeSeriesHeader.joined(separator: ",")]
        for flow in flows {
            guard let series = flow.timeseries else { continue }
            for window in series.windows {
                let seconds = Double(series.windowNs) / 1e9
                let fields: [String] = [
                    flow.src, flow.dst, String(flow.destQP), String(window.startNs), String(series.windowNs),
                    String(window.packets), String(window.wireBytes), String(window.goodputBytes),
                    String(window.retransmittedBytes), String(window.cePackets), String(window.cnpPackets),
                    String(Int((Double(window.wireBytes) * 8 / seconds).rounded())),
                    String(Int((Double(window.goodputBytes) * 8 / seconds).rounded())),
                ]
                lines.append(fields.map(AnalysisDocument.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
