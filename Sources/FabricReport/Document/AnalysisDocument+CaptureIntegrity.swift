import FabricWire
import FabricIngest
import FabricStats

extension AnalysisDocument {
    /// What the capture itself lost or could not read, said apart from the fabric's
    /// loss: a mirror's dropped copies (its sequence numbers), PSNs the responder
    /// acknowledged that the tap never saw, and tunnels that could not be opened.
    static func captureIntegrityWarnings(_ summary: AnalysisSummary) -> [String] {
        var warnings: [String] = []
        let totals = summary.totals
        for point in totals.mirrors ?? [] {
            let name = "mirror \(point.kind) from \(point.switchAddress) session \(point.session)"
            if point.lostCopies > 0 {
                let sent = point.sequencedRecords + point.lostCopies
                warnings.append("the capture lost \(point.lostCopies) of \(sent) copies from the \(name) (GRE sequence "
                    + "numbers): those packets are missing from every count, and the PSN gaps they leave are the "
                    + "capture's loss, not the fabric's")
            }
            if point.sequenceRegressions > 0 {
                warnings.append("the \(name) stepped its sequence numbers back \(point.sequenceRegressions) time(s) "
                    + "(a reset switch, reordering on the way to the collector, or two sessions sharing an ID); "
                    + "those steps were not counted as loss")
            }
            if point.truncatedBySwitch > 0 {
                warnings.append("the \(name) truncated \(point.truncatedBySwitch) copies: their wire bytes come from "
                    + "the inner IP length, their payload and extension headers may be cut")
            }
        }
        if let points = totals.mirrors, points.count > 1 {
            let copies = totals.mirrorDuplicateCopies ?? 0
            warnings.append("\(points.count) mirror points in one capture: \(copies) copies of packets another point had "
                + "already delivered were counted once, at the first point (analyze --tap-sessions gives the delay "
                + "between two points, e.g. a switch's residence time)")
        }
        if let untracked = totals.untrackedMirrorRecords, untracked > 0 {
            warnings.append("\(untracked) records came from more than \(totals.mirrors?.count ?? 0) mirror points; "
                + "their sequence numbers were not followed")
        }
        let captureLost = summary.flows.reduce(0) { $0 + ($1.requester?.captureLostPSNs ?? 0) }
        if captureLost > 0 {
            let flows = summary.flows.filter { ($0.requester?.captureLostPSNs ?? 0) > 0 }.count
            warnings.append("the capture lost \(captureLost) request packet(s) in \(flows) flow(s): the responder "
                + "acknowledged PSNs the tap never saw and that were never retransmitted (psn_gaps.capture_lost_psns); "
                + "they are not fabric loss")
        }
        for (reason, count) in (totals.undecoded ?? [:]).sorted(by: { $0.key < $1.key }) {
            let explanation = UndecodedReasonText.explanation(reason)
            warnings.append("\(count) record(s) counted as other: \(explanation)")
        }
        return warnings
    }
}

/// The sentence for each `UndecodedReason` name stored in a summary.
enum UndecodedReasonText {
    static func explanation(_ name: String) -> String {
        UndecodedReasonText.byName[name] ?? name
    }

    private static let byName: [String: String] = {
        var names: [String: String] = [:]
        for reason in UndecodedReason.allCases { names[reason.name] = reason.explanation }
        return names
    }()
}
