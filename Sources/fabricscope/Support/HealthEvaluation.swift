import FabricCompare
import FabricHealth
import FabricHistory
import FabricReport
import FabricStats
import Foundation

/// Judges one stored run against its thresholds and baseline, and writes what
/// `HealthOptions` asks for: the common part of `health` and `nightly`.
struct HealthEvaluation {
    let history: RunHistory
    let options: HealthOptions

    /// Checks every output path first, so that a refusal comes before any work.
    func validateOutputs() throws {
        let paths = options.outputPaths.compactMap { $0 }.filter { $0 != "-" }
        for (i, a) in paths.enumerated() {
            for b in paths[(i + 1)...] where try OutputFile.sameFile(a, b) {
                throw UsageFailure("two outputs name the same file (\(a)); give each its own")
            }
        }
        for path in paths where path != options.prometheus || !HealthEvaluation.isOurMetricsFile(path) {
            try OutputFile.refuseOverwrite(path, force: options.force)
        }
    }

    /// The textfile collector's file is meant to be replaced every night: one that
    /// holds only our metrics (or nothing) is replaced without --force.
    static func isOurMetricsFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 64), as: UTF8.self)
        return head.isEmpty || head.hasPrefix("# HELP fabricscope_") || head.hasPrefix("# TYPE fabricscope_")
    }

    /// Runs the checks for `label` (default: the latest run) and writes the outputs;
    /// returns the report (the caller sets the exit status). `tonight`, when it is
    /// the run judged, gives its summary and metrics without reading them back.
    func run(label: String?, tonight: Tonight? = nil) throws -> HealthReport {
        let config = try options.healthConfig()
        let tag = try options.tag()
        let runs: [RunRecord]
        do { runs = try history.runs() } catch { throw UsageFailure(error.description) }
        guard !runs.isEmpty else { throw UsageFailure("\(history.path): no runs yet; add one with 'fabricscope history add'") }
        let target: RunRecord
        if let label {
            guard let found = runs.first(where: { $0.label == label }) else {
                throw UsageFailure("\(history.path): no run labelled '\(label)' (have: \(runs.suffix(5).map(\.label).joined(separator: ", ")))")
            }
            target = found
        } else {
            target = runs.last!
        }
        let earlier = runs.filter { run in
            run.id < target.id && (tag.map { run.tags[$0.0] == $0.1 } ?? true)
        }
        let baselineRuns = Array(earlier.suffix(config.baselineRuns))
        let summary: AnalysisSummary
        let metrics: RunMetrics
        let stored: [Int64: [RunMetrics.Value]]
        do {
            if let tonight, tonight.record.id == target.id {
                (summary, metrics) = (tonight.summary, tonight.metrics)
            } else {
                summary = try history.summary(of: target)
                metrics = try RunMetrics(summary: summary)
            }
            stored = try history.metrics(of: baselineRuns)
        } catch let error as HistoryError {
            throw UsageFailure(error.description)
        } catch let error as CompareError {
            throw UsageFailure(error.description)
        }
        let report = HealthReport(label: target.label, run: metrics, linkBitsPerSecond: summary.linkBitsPerSecond,
                                  baseline: baselineRuns.map { ($0.label, stored[$0.id] ?? []) }, config: config)
        let text = options.format == .json ? try report.jsonText() : report.tableText(showPassing: options.all)
        try OutputFile(path: options.output, force: options.force).write(text)
        if let path = options.prometheus {
            try OutputFile(path: path, force: true).write(report.prometheusText(run: metrics, finishedAtSeconds: Date().timeIntervalSince1970))
        }
        if let path = options.junit { try OutputFile(path: path, force: options.force).write(report.junitText()) }
        if let path = options.html {
            let trend = try trendPoints(runs.filter { $0.id <= target.id }.suffix(30))
            try OutputFile(path: path, force: options.force).write(
                HealthHTML(report: report, summary: summary, trend: trend,
                           baselineLabels: Set(baselineRuns.map { $0.label })).html())
        }
        return report
    }

    private func trendPoints(_ runs: ArraySlice<RunRecord>) throws -> [HealthHTML.Night] {
        let stored: [Int64: [RunMetrics.Value]]
        do { stored = try history.metrics(of: Array(runs)) } catch { throw UsageFailure(error.description) }
        return runs.map { HealthHTML.Night(label: $0.label, values: stored[$0.id] ?? []) }
    }

    /// The exit status `--fail-on` asks for.
    func exitCode(for report: HealthReport) -> Int32 {
        report.status == .fail || (options.failOn == .warn && report.status == .warn) ? 1 : 0
    }
}
