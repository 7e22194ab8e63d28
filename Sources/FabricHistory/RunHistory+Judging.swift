import FabricCompare
import FabricHealth
import FabricStats

/// One run judged: the report, the run with its summary, and the runs that formed
/// its baseline.
public struct Judgement: Sendable {
    public let run: StoredRun
    public let baseline: [RunRecord]
    public let report: HealthReport
    /// Per switch and port, with a topology (judged, and exported to Prometheus).
    public let switches: [FabricElementTotals]
}

extension RunHistory {
    /// Judges the run labelled `label` (default: the latest) against `config`'s limits
    /// and its baseline: the `config.baselineRuns` runs before it (only those tagged
    /// `baselineTag` when given). `tonight`, when it is that run, gives its summary and
    /// metrics without reading them back.
    public func judge(
        label: String?, config: HealthConfig, baselineTag: (key: String, value: String)? = nil, tonight: StoredRun? = nil
    ) throws -> Judgement {
        let runs = try runs()
        guard let latest = runs.last else { throw HistoryError("\(path): no runs yet; add one with 'fabricscope history add'") }
        var target = latest
        if let label {
            guard let found = runs.first(where: { $0.label == label }) else {
                throw HistoryError("\(path): no run labelled '\(label)' (have: \(runs.suffix(5).map(\.label).joined(separator: ", ")))")
            }
            target = found
        }
        let earlier = runs.filter { run in
            run.id < target.id && (baselineTag.map { run.tags[$0.key] == $0.value } ?? true)
        }
        let baseline = Array(earlier.suffix(config.baselineRuns))
        let run: StoredRun
        if let tonight, tonight.record.id == target.id {
            run = tonight
        } else {
            let summary = try summary(of: target)
            run = StoredRun(record: target, summary: summary, metrics: try RunMetrics(summary: summary))
        }
        let stored = try metrics(of: baseline)
        let switches = config.topology.map { FabricElementTotals.measure(run.summary, topology: $0) } ?? []
        let report = HealthReport(label: target.label, run: run.metrics, linkBitsPerSecond: run.summary.linkBitsPerSecond,
                                  baseline: baseline.map { ($0.label, stored[$0.id] ?? []) }, config: config, switches: switches)
        return Judgement(run: run, baseline: baseline, report: report, switches: switches)
    }

    /// The metrics of up to `count` runs ending with `record`, oldest first: the
    /// points of the trend charts.
    public func trend(endingAt record: RunRecord, count: Int = 30) throws -> [(label: String, values: [RunMetrics.Value])] {
        let runs = Array(try runs().filter { $0.id <= record.id }.suffix(count))
        let stored = try metrics(of: runs)
        return runs.map { ($0.label, stored[$0.id] ?? []) }
    }
}
