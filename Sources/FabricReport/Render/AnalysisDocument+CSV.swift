import Foundation
import FabricMetrics

extension AnalysisDocument {
    /// Columns that name the flow; the metrics follow in catalog order, then `opcodes`.
    static let csvIdentity = ["src", "dst", "dest_qp", "encapsulation"]

    static var csvHeader: [String] { csvIdentity + MetricCatalog.flow.map(\.name) + ["opcodes"] }

    /// One row per flow (RFC 4180), one column per catalog metric (empty where the
    /// flow has none: e.g. latency on a flow that carries no requests); `opcodes` is
    /// `NAME=count` pairs joined by `;`.
    public func csvText() -> String {
        precondition(deferredEntries == nil, "CSV is written from made entries")
        var lines = [AnalysisDocument.csvHeader.joined(separator: ",")]
        for flow in flows {
            let fields = [flow.src, flow.dst, String(flow.destQP), flow.encapsulation]
                + MetricCatalog.flow.map { AnalysisDocument.csvValue($0, $0.value(flow)) }
                + [flow.opcodes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")]
            lines.append(fields.map(AnalysisDocument.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whole numbers for counts, bytes, ns and bit rates; shares and per-second rates as decimals.
    static func csvValue(_ metric: Metric, _ value: Double?) -> String {
        guard let value else { return "" }
        switch metric.unit {
        case .count, .bytes, .nanoseconds, .bitsPerSecond: return Units.whole(value).map { String($0) } ?? String(value)
        case .fraction, .perSecond: return String(value)
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
