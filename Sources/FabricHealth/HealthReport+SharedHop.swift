import FabricCompare
import FabricMetrics
import FabricStats
import FabricWire

extension HealthReport {
    /// `shared_hop`: with a topology, the switch or port the links that warn or fail
    /// have in common beyond chance (`SharedHop`), at the worst status among them.
    /// Without one, a note when two or more links degraded says what one would add.
    /// Class and ECMP findings are about configuration, not a degraded link, and are
    /// left out.
    static func sharedHopChecks(_ run: RunMetrics, checks: [Check], config: HealthConfig, notes: inout [String]) -> [Check] {
        let ignored: Set<String> = [Metrics.qosClasses.name, Metrics.ecmpSpread.name]
        var worst: [QosObservation.LinkKey: Status] = [:]
        for check in checks where check.scope == "link" && check.status != .ok && !ignored.contains(check.name) {
            guard let src = check.src.flatMap(NodeAddress.init(text:)), let dst = check.dst.flatMap(NodeAddress.init(text:)) else { continue }
            let key = QosObservation.LinkKey(source: src, destination: dst)
            worst[key] = max(worst[key] ?? .ok, check.status)
        }
        guard let topology = config.topology else {
            if worst.count >= 2 {
                notes.append("\(worst.count) links warn or fail: with --topology (hosts → switch ports, leaves → spines), "
                    + "the switch or port they share would be named")
            }
            return []
        }
        // One scope per link (its totals), parsed once: the values hold a dozen per link.
        var links = Set<QosObservation.LinkKey>()
        for scope in run.totals.keys {
            guard let src = scope.source.flatMap(NodeAddress.init(text:)),
                  let dst = scope.destination.flatMap(NodeAddress.init(text:)) else { continue }
            links.insert(QosObservation.LinkKey(source: src, destination: dst))
        }
        let hosts = Set(links.flatMap { [$0.source, $0.destination] })
        let unplaced = hosts.filter { topology.hosts[$0] == nil }.sorted()
        if !unplaced.isEmpty {
            notes.append("\(unplaced.count) host(s) of the run are not in the topology (\(unplaced.prefix(5).map(\.description).joined(separator: ", "))"
                + (unplaced.count > 5 ? ", …" : "") + "): their links are not placed")
        }
        let absent = topology.hosts.keys.filter { !hosts.contains($0) }.count
        if absent > 0 { notes.append("the topology names \(absent) host(s) with no link in this run") }
        guard let hop = SharedHop.find(links: links.sorted(), degraded: Set(worst.keys), topology: topology) else {
            return [Check(name: Metrics.sharedHop.name, scope: "fabric", src: nil, dst: nil, status: .ok, value: 1,
                          reference: 0.01, message: worst.count >= 2
                            ? "\(worst.count) links warn or fail, but no switch or port is shared by more of them than chance would."
                            : "Fewer than 2 degraded links: no shared hop to look for.")]
        }
        // The status of the degraded links through it (only those need their path).
        let paths = FabricTopology.Paths(topology)
        let status = worst.filter { paths.path(from: $0.key.source, to: $0.key.destination)?.contains(hop.element) == true }
            .values.max() ?? .warn
        return [Check(name: Metrics.sharedHop.name, scope: "fabric", src: nil, dst: nil, status: status, value: hop.chance,
                      reference: 0.01, message: hop.message + ": " + Metrics.sharedHop.advice! + ".")]
    }
}
