import FabricCompare
import FabricHealth
import FabricReport
import FuzzDriver
import FabricStats
import Foundation

/// libFuzzer target: arbitrary bytes as a summary's JSON, through validation, a merge
/// with itself and every renderer (what `merge`, `report` and `model --from` do with a
/// file from elsewhere), a comparison with itself and the health checks with their
/// exports (what `compare`, `history add` and `health` do). Built with `-D FUZZING` by scripts/fuzz/build.sh; otherwise a
/// replay tool: `fuzz-summary FILE…`.
enum FuzzSummary {
    static func run(_ data: Data) {
        guard var summary = try? AnalysisSummary.decode(data, path: "fuzz") else { return }
        let once = summary
        try? summary.merge(once)
        for candidate in [once, summary] {
            let document = AnalysisDocument(summary: candidate)
            _ = try? document.jsonText()
            _ = document.tableText()
            _ = document.csvText()
            let report = HTMLReport(summary: candidate, document: document)
            _ = report.html()
            _ = report.markdown()
        }
        if let comparison = try? Comparison(baseline: [once], baselineFiles: ["a"], candidate: [summary], candidateFiles: ["b"]) {
            _ = try? comparison.jsonText()
            _ = comparison.tableText()
            _ = comparison.markdownText()
            _ = ComparisonHTML(comparison: comparison, baseline: [once], candidate: [summary]).html()
        }
        if let metrics = try? RunMetrics(summary: summary) {
            let health = HealthReport(label: "fuzz", run: metrics, linkBitsPerSecond: summary.linkBitsPerSecond,
                                      baseline: [("a", metrics.values), ("b", metrics.values)], config: HealthConfig())
            _ = try? health.jsonText()
            _ = health.tableText(showPassing: true)
            _ = health.junitText()
            _ = health.prometheusText(run: metrics, finishedAtSeconds: 0)
        }
    }
}

#if FUZZING
@_cdecl("fuzz_summary_main")
func fuzzSummaryMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        FuzzSummary.run(data.map { Data(bytes: $0, count: size) } ?? Data())
        return 0
    }
}
#else
@main
struct FuzzSummaryReplay {
    static func main() throws {
        try FuzzDriver.replay("fuzz-summary") { data in FuzzSummary.run(data) }
    }
}
#endif
