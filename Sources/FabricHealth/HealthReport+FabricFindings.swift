import FabricCompare
import FabricMetrics
import FabricStats

extension HealthReport {
    /// `qos_classes` and `ecmp_spread`: each finding a check (fail when it contradicts
    /// the declared `qos`, warn otherwise), and one passing check per kind when the
    /// capture showed the classes and ports and nothing was wrong with them. Runs
    /// whose summaries kept no markings (older ones, InfiniBand) get neither.
    static func fabricFindingChecks(_ run: RunMetrics, config: HealthConfig) -> [Check] {
        var checks: [Check] = []
        func add(_ findings: [FabricFinding], check: MetricDefinition, ok: String) {
            for finding in findings {
                checks.append(Check(
                    name: check.name, scope: finding.src == nil ? "fabric" : "link", src: finding.src, dst: finding.dst,
                    status: finding.severity == .fail ? .fail : .warn, value: Double(finding.count), reference: nil,
                    message: finding.message + ": " + finding.advice + "."))
            }
            if findings.isEmpty {
                checks.append(Check(name: check.name, scope: "fabric", src: nil, dst: nil, status: .ok, value: 0,
                                    reference: nil, message: ok))
            }
        }
        if let qos = run.qos, qos.flowsSeen > 0, !qos.data.isEmpty {
            add(qos.findings(intent: config.qos), check: Metrics.qosClasses, ok: "RoCE data on " + qos.summaryLine
                + (config.qos == nil ? " (no --qos intent declared: judged against the capture itself)" : ", as declared") + ".")
        }
        if let ecmp = run.ecmp, ecmp.qps > 0 {
            add(ecmp.findings(topology: config.topology), check: Metrics.ecmpSpread,
                ok: "\(ecmp.qps) QP(s) over \(ecmp.pairs.count) host pair(s) use \(ecmp.distinctPorts) distinct UDP source port(s).")
        }
        return checks
    }
}
