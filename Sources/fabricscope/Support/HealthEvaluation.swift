import FabricCompare
import FabricHealth
import FabricHistory
import FabricReport
import Foundation

/// Writes what `HealthOptions` asks for about one judged run: the common part of
/// `health` and `nightly`. The judging itself is `RunHistory.judge`.
struct HealthEvaluation {
    let history: RunHistory
    let options: HealthOptions

    /// Checks every output path first, so that a refusal comes before any work: before
    /// a history is opened (or created) and before a capture is read.
    static func validateOutputs(_ options: HealthOptions) throws {
        try OutputFile.checkOutputs(
            [("-o", options.output), ("--prometheus", options.prometheus), ("--junit", options.junit), ("--html", options.html)],
            force: options.force,
            replaceable: { $0 == options.prometheus && HealthEvaluation.isOurMetricsFile($0) })
    }

    /// The textfile collector's file is meant to be replaced every night: one that
    /// holds only our metrics (or nothing) is replaced without --force.
    static func isOurMetricsFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 64), as: UTF8.self)
        return head.isEmpty || head.hasPrefix("# HELP fabricscope_") || head.hasPrefix("# TYPE fabricscope_")
    }

    /// Judges `label` (default: the latest run) and writes the outputs; returns the
    /// report (the caller sets the exit status). `tonight`, when it is the run judged,
    /// gives its summary and metrics without reading them back.
    func run(label: String?, tonight: StoredRun? = nil) throws -> HealthReport {
        let config = try options.healthConfig()
        let judgement = try history.judge(label: label, config: config,
                                          baselineTag: try options.tag(), tonight: tonight)
        let report = judgement.report
        let text = options.format == .json ? try report.jsonText() : report.tableText(showPassing: options.all)
        try OutputFile(path: options.output, force: options.force).write(text)
        if let path = options.prometheus {
            try OutputFile(path: path, force: true).write(
                report.prometheusText(run: judgement.run.metrics, finishedAtSeconds: Date().timeIntervalSince1970,
                                      switches: judgement.switches))
        }
        if let path = options.junit { try OutputFile(path: path, force: options.force).write(report.junitText()) }
        if let path = options.html {
            let trend = try history.trend(endingAt: judgement.run.record).map { HealthHTML.Night(label: $0.label, values: $0.values) }
            try OutputFile(path: path, force: options.force).write(
                HealthHTML(report: report, summary: judgement.run.summary, trend: trend,
                           baselineLabels: Set(judgement.baseline.map(\.label)), topology: config.topology).html())
        }
        return report
    }

    /// The exit status `--fail-on` asks for.
    func exitCode(for report: HealthReport) -> Int32 {
        report.status == .fail || (options.failOn == .warn && report.status == .warn) ? 1 : 0
    }
}
