import FabricMetrics

extension AnalysisDocument {
    /// The period's first packet is named as a flow's is (`Metrics.startTime`).
    static let periodsHeader = ["ring", "kind", "ranks", "period", Metrics.startTime.name, "duration_ns", "bytes_per_rank",
                                "algbw_bps", "busbw_bps", "slowest_link", "slowest_link_bps", "links_even"]

    /// One row per busy period of every ring (nccl-tests' sizes, training steps): the
    /// nccl-tests table read from the wire, for spreadsheets and dataframes. algbw is
    /// empty where the ring's kind is unrecognised.
    public func periodsCSV() -> String {
        var lines = [AnalysisDocument.periodsHeader.joined(separator: ",")]
        for (index, ring) in collectives.enumerated() {
            for (number, phase) in (ring.phases ?? []).enumerated() {
                let fields = [
                    String(index + 1), ring.kind, String(ring.ranks), String(number + 1), String(phase.startNs),
                    String(phase.durationNs), String(phase.bytesPerRank),
                    phase.algbwBps.map { String(Int($0.rounded())) } ?? "", String(Int(phase.busbwBps.rounded())),
                    phase.slowestLink, String(Int(phase.slowestLinkBps.rounded())), String(phase.linksEven),
                ]
                lines.append(fields.map(AnalysisDocument.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
