import FabricReport
import FabricStats
import Foundation

/// libFuzzer target: arbitrary bytes as a summary's JSON, through validation, a merge
/// with itself and every renderer (what `merge`, `report` and `model --from` do with a
/// file from elsewhere). Built with `-D FUZZING` by scripts/fuzz/build.sh; otherwise a
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
    }
}

#if FUZZING
/// libFuzzer's entry for programs that bring their own `main` (SwiftPM links every
/// executable with `main` aliased to `<module>_main`, so libFuzzer's own is not used).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_summary_main")
func fuzzSummaryMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        FuzzSummary.run(data.map { Data(bytes: $0, count: size) } ?? Data())
        return 0
    }
}
#else
@main
struct FuzzSummaryReplay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            FuzzSummary.run(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        print("fuzz-summary: replayed \(CommandLine.arguments.count - 1) input(s)")
    }
}
#endif
