import FabricWire
import FabricIngest
import FabricReport
import FuzzDriver
import FabricStats
import Foundation

/// libFuzzer target: arbitrary bytes as a stream of records, through the decoder, the
/// statistics and every renderer. Each record is [link-type byte][length byte][time
/// delta byte][that many frame bytes]; the link-type byte picks from the supported
/// link types, so the fuzzer reaches every decoder. Built with `-D FUZZING` by
/// scripts/fuzz/build.sh; otherwise a replay tool: `fuzz-packets FILE…` runs each file
/// once (the seed corpus, or a crash a fuzzer found).
enum FuzzPackets {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        var accumulator = TrafficAccumulator(windowNs: 1_000, timeSeries: true)
        let decoder = PacketDecoder(rocePorts: [PacketDecoder.roceV2Port])
        var cursor = 0, time: Int64 = 1_700_000_000_000_000_000
        while cursor + 3 <= bytes.count {
            let linkType = LinkType.allCases[Int(bytes[cursor]) % LinkType.allCases.count]
            let length = Int(bytes[cursor + 1]) * 2
            time += Int64(bytes[cursor + 2]) * 100
            cursor += 3
            let frame = UnsafeRawBufferPointer(rebasing: bytes[cursor..<min(bytes.count, cursor + length)])
            cursor += frame.count
            // The declared length may exceed what is left: a record cut by the snaplen.
            let packet = ByteView.with(Array(frame)) {
                decoder.decode($0, linkType: linkType, originalLength: max(frame.count, length), timestampNs: time)
            }
            accumulator.add(packet)
        }
        accumulator.finish()
        render(AnalysisSummary(accumulator: accumulator, files: []))
    }

    static func render(_ summary: AnalysisSummary) {
        let document = AnalysisDocument(summary: summary)
        _ = try? document.jsonText()
        _ = document.tableText()
        _ = document.csvText()
        _ = document.timeSeriesCSV()
        let report = HTMLReport(summary: summary, document: document)
        _ = report.html()
        _ = report.markdown()
        _ = try? summary.jsonText()
    }
}

#if FUZZING
@_cdecl("fuzz_packets_main")
func fuzzPacketsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        FuzzPackets.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main
struct FuzzPacketsReplay {
    static func main() throws {
        try FuzzDriver.replay("fuzz-packets") { data in data.withUnsafeBytes { FuzzPackets.run($0) } }
    }
}
#endif
