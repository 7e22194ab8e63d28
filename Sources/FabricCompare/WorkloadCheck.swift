import FabricMetrics
import FabricModels
import FabricStats

/// Whether the two sides ran the same workload: the same links active, and about
/// the same bytes on each (per iteration, when both sides show a ring). A
/// comparison of different workloads still runs, but says so first.
struct WorkloadCheck {
    var workload: Comparison.Workload

    init(units: [SideUnits], rings: [[RingFinding?]], tolerance: Double) {
        var notes: [String] = []
        let links = units.map { side in
            Set(side.units.compactMap { scope, totals in
                scope != .fabric && totals.contains { $0.requestPackets > 0 } ? scope : nil
            })
        }
        let onlyBaseline = links[0].subtracting(links[1]).sorted(), onlyCandidate = links[1].subtracting(links[0]).sorted()
        if !onlyBaseline.isEmpty {
            notes.append("\(onlyBaseline.count) link(s) carry requests only in the baseline: "
                + WorkloadCheck.list(onlyBaseline))
        }
        if !onlyCandidate.isEmpty {
            notes.append("\(onlyCandidate.count) link(s) carry requests only in the candidate: "
                + WorkloadCheck.list(onlyCandidate))
        }
        // Bytes per run, or per iteration when every run of both sides shows a ring.
        // Only counts the finder is sure of: an uncertain count would misjudge the bytes.
        let iterations = rings.map { runs in runs.map { $0?.iterationsCertain == true ? $0?.iterations : nil } }
        let perIteration = iterations.allSatisfy { $0.allSatisfy { ($0 ?? 0) > 0 } }
        let divisor = iterations.map { runs in Double(perIteration ? runs.reduce(0) { $0 + $1! } : runs.count) }
        var differing: [(Scope, Double)] = []
        for scope in links[0].intersection(links[1]).sorted() {
            let bytes = (0..<2).map { i in
                Double(units[i].units[scope]!.reduce(0) { $0 + $1.requestWireBytes }) / divisor[i]
            }
            guard bytes[0] > 0 else { continue }
            let change = bytes[1] / bytes[0] - 1
            if abs(change) > tolerance { differing.append((scope, change)) }
        }
        if !differing.isEmpty {
            let unit = perIteration ? "per iteration" : "per run"
            notes.append("\(differing.count) link(s) carry bytes \(unit) that differ by more than "
                + "\(Comparison.percent(tolerance)): " + differing.prefix(5).map {
                    "\($0.0.name) \($0.1 > 0 ? "+" : "")\(Comparison.percent($0.1))"
                }.joined(separator: ", ") + (differing.count > 5 ? ", …" : ""))
        }
        // Rates per second (throughput, CNPs, NAKs) are averaged over each run's
        // traffic span: runs whose spans differ (one capture started long before the
        // data, with only connection set-up in it) cannot be compared on them.
        let spans = units.map { side in
            Double(side.units[.fabric]?.reduce(Int64(0)) { $0.addingSaturating($1.durationNs) } ?? 0)
                / Double(max(1, side.kind == .runs ? side.unitCount : 1))
        }
        if spans[0] > 0, abs(spans[1] / spans[0] - 1) > tolerance {
            notes.append("the runs' traffic spans differ by more than \(Comparison.percent(tolerance)) "
                + "(\(Units.roundedDuration(spans[0])) against \(Units.roundedDuration(spans[1]))): throughput, goodput "
                + "and rates per second are averaged over different lengths; compare captures of the same phase of the job")
        }
        let ringCounts = rings.map { runs in runs.compactMap { $0 }.count }
        if (ringCounts[0] > 0) != (ringCounts[1] > 0) {
            notes.append("a ring collective is found only in the \(ringCounts[0] > 0 ? "baseline" : "candidate")")
        } else if let b = rings[0].compactMap({ $0 }).first, let c = rings[1].compactMap({ $0 }).first, b.ring.ranks != c.ring.ranks {
            notes.append("the rings differ: \(b.ring.ranks) ranks in the baseline, \(c.ring.ranks) in the candidate")
        }
        let shared = links[0].intersection(links[1]).count
        if shared == 0, !(links[0].isEmpty && links[1].isEmpty) {
            notes.insert("no link carries requests on both sides: nothing is like for like (not_comparable)", at: 0)
        }
        workload = Comparison.Workload(comparable: notes.isEmpty, notes: notes)
        workload.sharedLinks = shared
    }

    private static func list(_ scopes: [Scope]) -> String {
        scopes.prefix(5).map(\.name).joined(separator: ", ") + (scopes.count > 5 ? ", …" : "")
    }
}
