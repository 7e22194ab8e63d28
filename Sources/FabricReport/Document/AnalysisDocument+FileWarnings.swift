import FabricMetrics
import FabricStats

extension AnalysisDocument {
    /// The warnings about the inputs themselves (damaged files, reordered timestamps),
    /// in words: the statistics keep the facts (`AnalysisSummary.File`), the document
    /// says what they mean.
    static func fileWarnings(_ files: [AnalysisSummary.File]) -> [String] {
        files.flatMap { file -> [String] in
            let name = file.path == "-" ? "standard input" : file.path
            var notes: [String] = []
            if let damage = file.damage {
                notes.append("\(name): capture is truncated or damaged after \(file.records) records; "
                    + "results cover those records only (\(damage))")
            }
            if file.timestampRegressions > 0 {
                notes.append("\(name): \(file.timestampRegressions) record(s) have a timestamp earlier than "
                    + "the record before them; time-based figures may be off")
            }
            if let clamped = file.clampedTimestamps, clamped > 0 {
                notes.append("\(name): \(clamped) record(s) carry a timestamp outside the years 1823–2116 (an extreme "
                    + "pcapng if_tsoffset or if_tsresol, or a damaged header); they were clamped to that range, so "
                    + "time-based figures involving them are meaningless")
            }
            if let dropped = file.interfaceDrops, dropped > 0 {
                notes.append("\(name): the capture lost \(dropped) packet(s) before recording them, as its own "
                    + "interface statistics say (pcapng isb_ifdrop + isb_osdrop); counts are lower than what was on "
                    + "the wire, and PSN gaps they leave are not fabric loss")
            }
            if let timed = file.switchClockRecords, timed > 0, timed < file.records {
                notes.append("\(name): \(timed) of \(file.records) records are timed by their ERSPAN III switch's "
                    + "100 ns clock, the others by the capture's \(Units.resolution(file.resolutionNs)) clock; "
                    + "figures mixing both are only as fine as the capture's")
            }
            return notes
        }
    }
}
