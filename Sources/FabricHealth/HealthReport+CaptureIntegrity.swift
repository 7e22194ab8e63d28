import FabricStats
import FabricCompare
import FabricMetrics

extension HealthReport {
    /// `capture_integrity`: the share of packets the capture itself lost (mirror
    /// drops, ibdump's bursts). It is judged on its own so that a bad capture reads as
    /// a bad capture — "the capture lost N packets" — never as loss on the fabric.
    /// Present only when the capture lost something (a clean one adds no check).
    static func captureIntegrityCheck(_ run: RunMetrics, config: HealthConfig) -> Check? {
        guard run.captureLostPackets > 0, let limit = config.thresholds[Metrics.captureIntegrity.name] else { return nil }
        let share = Double(run.captureLostPackets) / Double(run.captureLostPackets + run.capturedPackets)
        let status: Status = limit.fail.map { share > $0 } == true ? .fail : limit.warn.map { share > $0 } == true ? .warn : .ok
        let shown = Metrics.captureIntegrity.format(share, .prose)
        return Check(
            name: Metrics.captureIntegrity.name, scope: "fabric", src: nil, dst: nil, status: status, value: share,
            reference: status == .fail ? limit.fail : limit.warn ?? limit.fail,
            message: "The capture lost \(run.captureLostPackets) packet(s) (\(shown)) before they were recorded: "
                + "figures undercount by that much, and the PSN gaps they leave are not fabric loss. "
                + Metrics.captureIntegrity.advice! + ".")
    }
}
