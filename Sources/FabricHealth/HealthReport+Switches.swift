import FabricCompare
import FabricMetrics
import FabricStats

extension HealthReport {
    /// With `--topology`, each switch's pooled figures against the links' limits: CE
    /// and retransmitted shares, and request→ACK p99 where its links had the samples.
    /// A switch whose links each stay under a limit can still cross it pooled only if
    /// its busiest links are near it; one that crosses it is named with its links'
    /// count. Ports are not judged here: a host port carries a link or two, judged as
    /// links already.
    static func switchChecks(_ switches: [FabricElementTotals], config: HealthConfig, listPassing: Bool,
                             passed: inout Int) -> [Check] {
        var checks: [Check] = []
        for entry in switches where entry.element.port == nil && entry.links > 0 {
            for metric in [CompareMetric.ceFraction, .retransmittedFraction, .ackLatencyP99] {
                guard let value = entry.values[metric], let limit = config.thresholds[metric.rawValue] else { continue }
                let worse = { (bound: Double) in metric.better == .lower ? value > bound : value < bound }
                let status: Status = limit.fail.map(worse) == true ? .fail : limit.warn.map(worse) == true ? .warn : .ok
                if status == .ok, !listPassing {
                    passed += 1
                    continue
                }
                let reference = status == .fail ? limit.fail : limit.warn ?? limit.fail
                let shown = metric.definition.format(value, .prose)
                let message = status == .ok
                    ? "switch \(entry.element.switchName): \(metric.definition.title) \(shown) over its \(entry.links) links."
                    : "switch \(entry.element.switchName): \(metric.definition.title) \(shown) over its \(entry.links) links is above the "
                        + "\(status.rawValue) limit \(reference.map { metric.definition.format($0, .prose) } ?? "?"): "
                        + (metric.definition.advice ?? Metrics.sharedHop.advice!) + "."
                checks.append(Check(name: "threshold/" + metric.rawValue, scope: "switch", src: entry.element.switchName, dst: nil,
                                    status: status, value: value, reference: reference, message: message))
            }
        }
        return checks
    }
}
