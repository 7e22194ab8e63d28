import FabricCompare
import FabricHealth
import FabricReport
import FuzzDriver
import FabricStats
import Foundation

/// libFuzzer target: arbitrary bytes as a summary's JSON, through validation, a merge
/// with itself and every renderer (what `merge`, `report` and `model --from` do with a
/// file from elsewhere), a comparison with itself and the health checks with their
/// exports (what `compare`, `history add` and `health` do), and the same bytes as a topology file. Built with `-D FUZZING` by scripts/fuzz/build.sh; otherwise a
/// replay tool: `fuzz-summary FILE…`.
enum FuzzSummary {
    static func run(_ data: Data) {
        // The same bytes as a topology file (`--topology`): FabricScope's JSON with
        // lldpctl output inside, or ibnetdiscover text.
        _ = try? FabricTopology(json: data)
        _ = try? FabricTopology(ibnetdiscover: String(decoding: data, as: UTF8.self))
        guard var summary = try? AnalysisSummary.decode(data, path: "fuzz") else { return }
        // Its hosts on two leaves under one spine, for the per-switch figures and the
        // shared hop.
        let hosts = Set(summary.flows.flatMap { [$0.key.source, $0.key.destination] }).sorted()
        var topology = FabricTopology()
        for (index, host) in hosts.enumerated() {
            topology.hosts[host] = .init(switchName: "leaf\(index % 2)", port: "\(index)")
        }
        topology.uplinks = [.init(switchName: "leaf0", port: "up", peer: "spine", peerPort: "0"),
                            .init(switchName: "leaf1", port: "up", peer: "spine", peerPort: "1")]
        _ = try? AnalysisDocument(summary: summary, topology: topology).jsonText()
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
