import FabricCompare
import FabricMetrics
import Foundation

extension Comparison {
    /// The `-T json` contract, keys sorted so that diffs of two runs are readable.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// One value as a person reads it: 3.38 µs, 392 Gb/s, 1.20 %, 3.1 k/s.
    public static func format(_ value: Double, _ metric: CompareMetric) -> String { metric.definition.format(value, .compact) }

    /// +20.4 %, −3.1 %; "new" when the baseline was 0.
    public static func signedPercent(_ fraction: Double?) -> String {
        guard let fraction else { return "new" }
        let percent = fraction * 100
        let text = Units.fixed(abs(percent), digits: abs(percent) >= 100 ? 0 : 1)
        return (percent < 0 ? "−" : "+") + text + " %"
    }

    func interval(_ change: Change) -> String {
        guard let low = change.ciLow, let high = change.ciHigh else { return "" }
        func value(_ x: Double) -> String { (x < 0 ? "−" : "+") + Units.fixed(abs(x * 100), digits: abs(x) >= 1 ? 0 : 1) }
        return "[\(value(low)), \(value(high))] %"
    }

    func pText(_ change: Change) -> String {
        guard let p = change.pAdjusted ?? change.pValue else { return "untested" }
        return p < 0.001 ? "p<0.001" : "p=" + Units.fixed(p, digits: 3)
    }

    /// What the comparison decided, in one line.
    public var headline: String {
        let worse = changes.filter { $0.assessment == .worse }.count, better = changes.filter { $0.assessment == .better }.count
        return "verdict: \(verdict.rawValue) (\(worse) worse, \(better) better; α \(alpha) after Benjamini–Hochberg, "
            + "margin ±\(Comparison.percent(minEffect)), intervals \(Comparison.levelText(intervalLevel)))"
    }

    /// 99.98 %: enough digits to tell the adjusted level from 100 %.
    static func levelText(_ level: Double) -> String {
        var digits = 0
        while digits < 4, (level * 100 * pow(10, Double(digits))).rounded() >= 100 * pow(10, Double(digits)) - 0.5 { digits += 1 }
        return Units.fixed(level * 100, digits: max(1, digits)) + " %"
    }

    func describe(_ side: Side) -> String {
        let files = side.files.count <= 3 ? side.files.joined(separator: ", ")
            : side.files.prefix(2).joined(separator: ", ") + ", … (\(side.files.count) files)"
        switch side.units {
        case .blocks:
            return "\(files) — one run, \(side.unitCount) blocks of \(Units.duration(side.blockNs ?? 0))"
        case .runs:
            return "\(files) — \(side.unitCount) runs"
        }
    }

    /// benchstat's table: one row per scope and metric, worst first, `~` where the
    /// change is not significant or under the margin.
    /// `unchanged`: how many rows without a significant change to show (nil: all).
    public func tableText(unchanged limit: Int? = 20) -> String {
        var lines = ["baseline:  " + describe(baseline), "candidate: " + describe(candidate)]
        if workload.comparable {
            lines.append("workload:  comparable (same links, bytes within the tolerance)")
        } else {
            lines.append("workload:  NOT THE SAME — read the changes with care:")
            lines += workload.notes.map { "  - " + $0 }
        }
        lines.append(headline)
        if let sharedHop { lines.append("where:     " + sharedHop.message) }
        lines.append("")
        let header = ["scope", "metric", "baseline", "candidate", "change", "interval", "p (adj.)", ""]
        var rows = [header]
        let zero = changes.filter { $0.baseline == 0 && $0.candidate == 0 }
        var shownUnchanged = 0, hidden = 0
        for change in changes where !(change.baseline == 0 && change.candidate == 0) {
            if change.assessment == .unchanged {
                if let limit, shownUnchanged >= limit { hidden += 1; continue }
                shownUnchanged += 1
            }
            let scope = change.scopeName
            let shown = change.significant ? Comparison.signedPercent(change.relativeChange) : "~"
            let mark = change.assessment == .unchanged ? Comparison.whyUnchanged(change, alpha: alpha, minEffect: minEffect)
                : change.assessment.rawValue
            rows.append([scope, change.metric.label, Comparison.format(change.baseline, change.metric),
                         Comparison.format(change.candidate, change.metric), shown, interval(change), pText(change), mark])
        }
        lines += Comparison.aligned(rows, rightAligned: [2, 3, 4, 5, 6])
        if hidden > 0 { lines.append("(\(hidden) more unchanged rows not shown: --all, or -T json)") }
        if !zero.isEmpty {
            let names = Set(zero.map(\.metric.label)).sorted().joined(separator: ", ")
            lines.append("(\(zero.count) rows zero on both sides not shown: \(names); see -T json)")
        }
        let limited = changes.filter { $0.note != nil }
        if !limited.isEmpty {
            lines.append("")
            lines.append("Not decided by the data:")
            for change in limited.prefix(10) {
                let scope = change.scopeName
                lines.append("  - \(scope) \(change.metric.label): \(change.note!)")
            }
            if limited.count > 10 { lines.append("  - … and \(limited.count - 10) more (see -T json)") }
        }
        if let periods, !periods.isEmpty {
            lines.append("")
            lines.append("busy periods (nccl-tests' busbw per period; one value a side, untested, not in the verdict):")
            var rows = [["period", "bytes/rank", "baseline", "candidate", "change", "slowest link (candidate)"]]
            for period in periods {
                let bytes = period.bytesPerRank[0] == period.bytesPerRank[1] ? Units.bytes(period.bytesPerRank[0])
                    : Units.bytes(period.bytesPerRank[0]) + " / " + Units.bytes(period.bytesPerRank[1])
                rows.append([String(period.period), bytes, Units.bitRate(period.busbwBps[0]), Units.bitRate(period.busbwBps[1]),
                             Comparison.signedPercent(period.relativeChange), period.slowestLink[1]])
            }
            lines += Comparison.aligned(rows, rightAligned: [1, 2, 3, 4])
            lines.append(periodSummary)
        }
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "note: " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The largest fall in busbw and the ring straggler of each side: "busbw of period
    /// 4 (1.75 MB a rank) fell 12.3 %; the candidate's straggler is 10.0.0.3→10.0.0.4".
    var periodSummary: String {
        let stragglers = (ringStraggler ?? [nil, nil]).map { $0 ?? "none (links even)" }
        var text = "ring straggler over the run (rate within messages): baseline \(stragglers[0]), candidate \(stragglers[1])"
        if let worst = (periods ?? []).filter({ ($0.relativeChange ?? 0) < 0 }).min(by: { $0.relativeChange! < $1.relativeChange! }) {
            text = "largest fall: busbw of period \(worst.period) (\(Units.bytes(worst.bytesPerRank[1])) a rank) "
                + "\(Comparison.signedPercent(worst.relativeChange)); " + text
        }
        return text
    }

    /// The same as Markdown, for change tickets and pull requests.
    public func markdownText() -> String {
        var text = "# Fabric comparison: \(verdict.rawValue)\n\n"
        text += "- **Baseline:** \(describe(baseline))\n- **Candidate:** \(describe(candidate))\n"
        text += workload.comparable ? "- **Workload:** comparable\n"
            : "- **Workload: not the same.** " + workload.notes.joined(separator: "; ") + "\n"
        text += "- " + headline + "\n"
        if let sharedHop { text += "- **Where:** " + sharedHop.message + "\n" }
        text += "\n"
        text += "| scope | metric | baseline | candidate | change | interval | p (adj.) | |\n|---|---|---:|---:|---:|---:|---:|---|\n"
        for change in changes {
            let scope = change.scopeName
            text += "| \(scope) | \(change.metric.label) | \(Comparison.format(change.baseline, change.metric)) | "
                + "\(Comparison.format(change.candidate, change.metric)) | "
                + "\(change.significant ? Comparison.signedPercent(change.relativeChange) : "~") | \(interval(change)) | "
                + "\(pText(change)) | \(change.assessment == .unchanged ? "" : "**\(change.assessment.rawValue)**") |\n"
        }
        if let periods, !periods.isEmpty {
            text += "\n**Busy periods** (nccl-tests' busbw; one value a side, untested):\n\n"
                + "| period | bytes/rank | baseline | candidate | change | slowest link (candidate) |\n|---|---:|---:|---:|---:|---|\n"
            for period in periods {
                text += "| \(period.period) | \(Units.bytes(period.bytesPerRank[1])) | \(Units.bitRate(period.busbwBps[0])) | "
                    + "\(Units.bitRate(period.busbwBps[1])) | \(Comparison.signedPercent(period.relativeChange)) | "
                    + "\(period.slowestLink[1]) |\n"
            }
            text += "\n" + periodSummary + "\n"
        }
        if !notes.isEmpty { text += "\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n" }
        return text
    }

    /// For a change that passed the test but does not count: under the margin, or
    /// within the values' reading error (its interval still holds no change).
    static func whyUnchanged(_ change: Change, alpha: Double, minEffect: Double) -> String {
        guard (change.pAdjusted ?? 1) <= alpha else { return "" }
        return abs(change.relativeChange ?? .infinity) < minEffect ? "< margin" : "resolution"
    }

    static func aligned(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned.contains(c) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
