import FabricJSON
import FabricCompare
import FabricHealth
import FabricStats
import Foundation

extension HealthReport {
    public func jsonText() throws -> String {
        String(decoding: try StreamingJSONEncoder(prettyPrinted: true).encode(self), as: UTF8.self) + "\n"
    }

    /// The headline, then every check that is not ok (worst first), then how many
    /// passed. Status in words, never only in colour.
    public func tableText(showPassing: Bool = false) -> String {
        var lines = ["\(label): \(headline)"]
        // One earlier run is no baseline (a spread needs two): say that here, not "baseline:
        // 1 earlier run" above a note that there is none.
        let runs = baseline.count > 3 ? "\(baseline.first!) … \(baseline.last!)" : baseline.joined(separator: ", ")
        lines.append(baseline.isEmpty ? "baseline: none yet"
            : baseline.count < 2 ? "baseline: none yet (1 earlier run, \(runs); 2 or more needed)"
            : "baseline: \(baseline.count) earlier runs: " + runs)
        lines.append("")
        let shown = checks.filter { showPassing || $0.status != .ok }
        if !shown.isEmpty {
            var rows = [["STATUS", "SCOPE", "CHECK", "MESSAGE"]]
            for check in shown { rows.append([check.status.rawValue.uppercased(), check.scopeName, check.name, check.message]) }
            lines += Comparison.aligned(rows, rightAligned: [])
        }
        let passing = checks.filter { $0.status == .ok }.count
        if !showPassing { lines.append("\(passing) of \(checks.count) checks ok\(passing > 0 ? " (--all lists them)" : "")") }
        lines += notes.map { "note: " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}
