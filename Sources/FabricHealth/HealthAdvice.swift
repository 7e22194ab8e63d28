import FabricCompare
import FabricMetrics
import Foundation

/// One sentence per check that a person on call can act on: the metric's words,
/// value and advice all come from its `MetricDefinition`.
enum HealthAdvice {
    static func format(_ value: Double, _ metric: CompareMetric) -> String { metric.definition.format(value, .prose) }

    static func what(_ metric: CompareMetric) -> String { metric.definition.title }

    static func action(_ metric: CompareMetric) -> String { metric.definition.advice ?? "" }

    static func threshold(
        metric: CompareMetric, status: HealthReport.Status, value: Double, limit: Double?, scope: Scope,
        linkBitsPerSecond: Double
    ) -> String {
        let shown = metric == .messageRate ? Printf.format("%.0f %% of the %.0f Gb/s link", value * 100, linkBitsPerSecond / 1e9)
            : format(value, metric)
        let bound = limit.map { metric == .messageRate ? Printf.format("%.0f %%", $0 * 100) : format($0, metric) } ?? "-"
        let prefix = "\(scope.name): \(what(metric)) \(shown)"
        switch status {
        case .ok: return prefix + " (limit \(bound))."
        case .warn, .fail:
            let side = (metric == .messageRate || metric.better == .higher) ? "below" : "above"
            return prefix + " is \(side) the \(status == .fail ? "fail" : "warn") limit \(bound): " + action(metric) + "."
        }
    }

    static func baseline(
        metric: CompareMetric, status: HealthReport.Status, change: Double, value: Double, reference: Double, runs: Int,
        p: Double, significant: Bool, scope: Scope
    ) -> String {
        let direction = change >= 0 ? "above" : "below"
        let text = "\(what(metric)) \(format(value, metric)) is \(Printf.format("%.1f", abs(change) * 100)) % \(direction) "
            + "its baseline \(format(reference, metric)) (\(runs) runs, adjusted p=\(Printf.format("%.2g", p)))"
        switch status {
        case .ok:
            return text + (significant ? ": within the margin, or in the good direction." : ": not a significant change.")
        case .warn, .fail:
            let advice = action(metric)
            return (scope == .fabric ? "fabric: " : "\(scope.name): ") + text + ": "
                + (scope == .fabric ? advice.replacingOccurrences(of: "this link", with: "the links named in the other checks") : advice) + "."
        }
    }
}
