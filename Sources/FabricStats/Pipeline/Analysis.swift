import FabricWire
import FabricConcurrency
import FabricIngest

/// The one way from capture files to an `AnalysisSummary`: open the files (every
/// path checked before any work), decode and fold every packet, close what is still
/// open, collect. There is no partial state to misuse: `run` either returns the
/// whole summary or throws.
public struct Analysis: Sendable {
    public let options: AnalysisOptions

    public init(_ options: AnalysisOptions = AnalysisOptions()) {
        self.options = options
    }

    /// Reads `paths` as one capture merged by timestamp.
    public func run(_ paths: [String]) throws(CaptureError) -> AnalysisSummary {
        let reader = try openReader(paths)
        if options.statisticsThreads > 1 { return try runSharded(reader) }
        var accumulator = makeAccumulator()
        if options.hosts.isEmpty {
            try reader.forEachWindow { accumulator.add($0) }
        } else {
            try reader.forEach { packet in
                if selected(packet) {
                    accumulator.add(packet)
                } else if packet.mirror.kind != .none {
                    accumulator.noteMirror(packet)
                }
            }
        }
        accumulator.finish()
        let summary = AnalysisSummary(accumulator: accumulator, files: reader.files)
        // The folding state is not needed past this point (see `BackgroundRelease`).
        BackgroundRelease.release(consume accumulator)
        return summary
    }

    /// `run` with `options.statisticsThreads` threads folding packets, each its
    /// share of host pairs (see `ShardedAccumulation`).
    private func runSharded(_ reader: CaptureReader) throws(CaptureError) -> AnalysisSummary {
        let count = options.statisticsThreads
        let shards = LockedSlots<ShardedAccumulation.Shard>(count: count)
        let everyHost = options.hosts.isEmpty
        try reader.forEach(consumers: count) { consumer, feed in
            shards.set(consumer, ShardedAccumulation.fold(
                feed, shard: consumer, of: count, into: makeAccumulator(), keeping: { everyHost || selected($0) }))
        }
        let folded = shards.values.map { $0! }
        let summary = ShardedAccumulation.summary(of: folded, files: reader.files)
        BackgroundRelease.release(consume folded)  // As in `run(_:)`.
        return summary
    }

    /// With `hosts`: RoCE/IB packets from or to one of them (other packets, PFC
    /// frames among them, are kept: they belong to no host).
    private func selected(_ packet: PacketView) -> Bool {
        guard packet.kind == .roce else { return true }
        let roce = packet.roce
        return options.hosts.contains { $0.sameHost(as: roce.source) || $0.sameHost(as: roce.destination) }
    }

    /// Two captures of the same traffic at two taps: the first tap's traffic is
    /// analysed as usual, and every packet seen at both gives a delay sample.
    public func run(taps: [String], tapWindowNs: Int64) throws(CaptureError) -> (AnalysisSummary, TapComparison) {
        let reader = try openReader(taps)
        var accumulator = makeAccumulator()
        var comparison = TapComparison(windowNs: tapWindowNs)
        try reader.forEach { packet in
            if packet.kind == .roce { comparison.add(packet.roce, tap: packet.file, timeNs: packet.timestampNs) }
            if packet.file == 0, options.hosts.isEmpty || selected(packet) { accumulator.add(packet) }
        }
        comparison.finish()
        accumulator.finish()
        return (AnalysisSummary(accumulator: accumulator, files: reader.files), comparison)
    }

    /// One capture holding two mirror points (the ingress and egress mirrors of a
    /// switch, say): the first two points seen are the two taps, and every packet
    /// copied at both gives a delay sample — the switch's residence time per flow.
    /// The traffic is analysed once, each packet counted at the first point that
    /// copied it. Returns the points' names, tap 0 first (fewer than two when the
    /// capture holds fewer).
    public func run(
        tapSessionsOf paths: [String], tapWindowNs: Int64
    ) throws(CaptureError) -> (AnalysisSummary, TapComparison, [String]) {
        let reader = try openReader(paths)
        var accumulator = makeAccumulator()
        var comparison = TapComparison(windowNs: tapWindowNs)
        var points: [MirrorPointKey] = []
        var names: [String] = []
        try reader.forEach { packet in
            if packet.kind == .roce, packet.mirror.kind != .none {
                let tag = packet.mirror
                let point = MirrorPointKey(tag)
                var tap = points.firstIndex(of: point)
                if tap == nil, points.count < 2 {
                    tap = points.count
                    points.append(point)
                    names.append("\(tag.kind.name) from \(tag.switchAddress) session \(tag.session)")
                }
                if let tap { comparison.add(packet.roce, tap: tap, timeNs: packet.timestampNs) }
            }
            if options.hosts.isEmpty || selected(packet) {
                accumulator.add(packet)
            } else if packet.mirror.kind != .none {
                accumulator.noteMirror(packet)
            }
        }
        comparison.finish()
        accumulator.finish()
        return (AnalysisSummary(accumulator: accumulator, files: reader.files), comparison, names)
    }

    private func openReader(_ paths: [String]) throws(CaptureError) -> CaptureReader {
        try CaptureReader(paths: paths, filter: options.filter, decoder: PacketDecoder(rocePorts: options.rocePorts, vxlanPorts: options.vxlanPorts))
    }

    private func makeAccumulator() -> TrafficAccumulator {
        TrafficAccumulator(
            windowNs: options.windowNs, linkBitsPerSecond: options.linkBitsPerSecond,
            stormThresholdNs: options.stormThresholdNs, timeSeries: options.timeSeries,
            idleGapNs: options.idleGapNs ?? 0)
    }
}
