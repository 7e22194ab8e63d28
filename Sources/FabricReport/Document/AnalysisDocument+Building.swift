import FabricIngest
import FabricStats

extension AnalysisDocument {
    /// Builds the document from what the accumulator counted. Flows are sorted by
    /// wire bytes, largest first (ties by key, so output is deterministic).
    public init(
        accumulator: TrafficAccumulator, files: [CaptureFileSummary], warnings: [String],
        linkBitsPerSecond: Double
    ) {
        let totals = accumulator.totals
        let resolution = files.map(\.resolutionNs).max() ?? 1000
        var linkTypes: [String] = []
        for file in files where !linkTypes.contains(file.linkType.name) { linkTypes.append(file.linkType.name) }
        var allWarnings = warnings
        if totals.reportedDrops > 0 {
            allWarnings.append("the capture hardware reported \(totals.reportedDrops) dropped packets (ERF loss counter); "
                + "counts are lower than what was on the wire")
        }
        let truncatedFlows = accumulator.flows.filter { $0.truncatedHeaders > 0 }.count
        if truncatedFlows > 0 {
            allWarnings.append("\(truncatedFlows) flows have packets whose extension headers were cut by the snaplen; "
                + "ACK/NAK kinds of those packets are unknown")
        }
        capture = CaptureSection(
            packets: totals.packets, rocePackets: totals.rocePackets, otherPackets: totals.otherPackets,
            pfcFrames: totals.pfcFrames, truncatedRocePackets: totals.truncatedRocePackets,
            wireBytes: totals.wireBytes,
            startNs: totals.packets > 0 ? totals.startNs : nil,
            endNs: totals.packets > 0 ? totals.endNs : nil,
            timestampResolutionNs: resolution, linkTypes: linkTypes,
            files: files.map {
                FileEntry(path: $0.path, format: $0.container.rawValue, linkType: $0.linkType.name,
                          timestampResolutionNs: $0.resolutionNs, records: $0.records)
            },
            reportedDrops: totals.reportedDrops, unpairedResponses: accumulator.unpairedResponses,
            warnings: allWarnings)
        schemaVersion = AnalysisDocument.schemaVersion
        var responders: [Int: Int] = [:]  // request flow → the response flow answering it
        for index in accumulator.flows.indices {
            if let requestFlow = accumulator.requestFlow(answeredBy: index) { responders[requestFlow] = index }
        }
        flows = accumulator.flows.indices
            .sorted { (accumulator.flows[$0].wireBytes, accumulator.flowKeys[$1])
                > (accumulator.flows[$1].wireBytes, accumulator.flowKeys[$0]) }
            .map { FlowEntry(accumulator: accumulator, index: $0, responder: responders[$0], resolutionNs: resolution) }
        let durationNs = totals.packets > 0 ? totals.endNs - totals.startNs : 0
        pfc = accumulator.pauses.sorted { $0.key < $1.key }.map {
            PauseEntry(key: $0.key, counters: $0.value, linkBitsPerSecond: linkBitsPerSecond, captureDurationNs: durationNs)
        }
        notes = AnalysisDocument.limits(resolutionNs: resolution)
    }

    /// The limits every reader of these numbers should keep in mind.
    static func limits(resolutionNs: Double) -> [String] {
        var notes = [
            "A single capture point sees when packets pass the tap, not one-way delay between hosts.",
            "wire_bytes come from each record's original length; payload_bytes from IP/UDP, GRH or LRH length fields.",
        ]
        if resolutionNs > 1 {
            notes.append("Timestamps resolve \(AnalysisDocument.formatNs(resolutionNs)); gaps, latencies and "
                + "jitter below that cannot be measured from this capture.")
        }
        return notes
    }

    static func formatNs(_ ns: Double) -> String {
        if ns >= 1000, ns.truncatingRemainder(dividingBy: 1000) == 0 { return "\(Int(ns / 1000)) µs" }
        if ns == ns.rounded() { return "\(Int(ns)) ns" }
        return "\(ns) ns"
    }
}

extension AnalysisDocument.FlowEntry {
    init(accumulator: TrafficAccumulator, index: Int, responder: Int?, resolutionNs: Double) {
        let key = accumulator.flowKeys[index], flow = accumulator.flows[index]
        self.init(
            src: key.source.description, dst: key.destination.description, destQP: key.destQP,
            encapsulation: flow.encapsulation.rawValue, vlan: flow.vlan, dscp: flow.dscp,
            packets: flow.packets, wireBytes: flow.wireBytes, payloadBytes: flow.payloadBytes,
            opcodes: accumulator.opcodes(ofFlow: index), startNs: flow.startNs, endNs: flow.endNs, acks: flow.acks,
            naks: flow.naks.named, cnpPackets: flow.cnpPackets,
            ecn: .init(ectPackets: flow.ectPackets, cePackets: flow.cePackets,
                       ceFraction: flow.ectPackets > 0 ? Double(flow.cePackets) / Double(flow.ectPackets) : nil),
            fecnPackets: flow.fecnPackets, becnPackets: flow.becnPackets,
            truncatedHeaders: flow.truncatedHeaders,
            throughputBps: AnalysisDocument.Throughput(flow))
        if let requestFlow = accumulator.requestFlow(answeredBy: index) {
            answersQP = accumulator.flowKeys[requestFlow].destQP
        }
        if accumulator.recordsTimeSeries {
            let series = accumulator.timeSeries[index]
            timeseries = AnalysisDocument.TimeSeriesEntry(windowNs: series.windowNs, windows: series.windows)
        }
        let notifications = accumulator.notifications[index]
        if notifications.count > 0 {
            cnp = AnalysisDocument.CNPEntry(
                count: notifications.count, ratePerSecond: notifications.ratePerSecond,
                minGapNs: notifications.minimumGapNs,
                ecnToCnpNs: AnalysisDocument.DistributionEntry(notifications.markToNotification, resolutionNs: resolutionNs))
        }
        guard let stream = accumulator.requestStream(ofFlow: index) else { return }
        let span = flow.endNs - flow.startNs
        requester = AnalysisDocument.RequesterEntry(
            requesterQP: responder.map { accumulator.flowKeys[$0].destQP },
            retransmittedPackets: stream.retransmittedPackets, retransmittedBytes: stream.retransmittedWireBytes,
            retransmissionEpisodeCount: stream.episodeCount, retransmissionEpisodes: stream.episodes,
            psnGaps: .init(events: stream.psnGapEvents, missingPSNs: stream.missingPSNs),
            mirrorDuplicates: stream.mirrorDuplicates, ambiguousSamples: stream.ambiguousSamples,
            unacknowledgedDropped: stream.unacknowledgedDropped, goodputBytes: stream.goodputBytes,
            goodputBps: span > 0 ? Double(stream.goodputBytes) * 8e9 / Double(span) : nil)
        ackLatencyNs = AnalysisDocument.DistributionEntry(stream.ackLatency, resolutionNs: resolutionNs)
        readLatencyNs = AnalysisDocument.DistributionEntry(stream.readLatency, resolutionNs: resolutionNs)
        readCompletionNs = AnalysisDocument.DistributionEntry(stream.readCompletion, resolutionNs: resolutionNs)
        atomicLatencyNs = AnalysisDocument.DistributionEntry(stream.atomicLatency, resolutionNs: resolutionNs)
        gapNs = AnalysisDocument.DistributionEntry(stream.gaps, resolutionNs: resolutionNs)
        jitterNs = AnalysisDocument.JitterEntry(latency: stream.ackLatency, jitter: stream.jitter, resolutionNs: resolutionNs)
    }
}

extension AnalysisDocument.Throughput {
    /// A flow active for less than one window has no full window to take a peak
    /// from: its peak is then its mean, and `window_ns` says over what span.
    init(_ flow: FlowCounters) {
        let span = flow.endNs - flow.startNs
        if let mean = flow.meanBitsPerSecond, span < flow.throughput.windowNs {
            self.init(mean: mean, peak: mean, windowNs: span)
        } else {
            self.init(mean: flow.meanBitsPerSecond, peak: flow.throughput.peakBitsPerSecond,
                      windowNs: flow.throughput.windowNs)
        }
    }
}

extension AnalysisDocument.PauseEntry {
    init(key: PauseKey, counters: PauseCounters, linkBitsPerSecond: Double, captureDurationNs: Int64) {
        let timeline = counters.timeline
        self.init(
            sourceMAC: key.macText, priority: key.priority, xoffFrames: counters.xoffFrames,
            xonFrames: counters.xonFrames, pauseQuanta: counters.pauseQuanta,
            pauseNs: counters.pauseNs(linkBitsPerSecond: linkBitsPerSecond),
            linkSpeedBps: linkBitsPerSecond, firstNs: counters.firstNs, lastNs: counters.lastNs,
            pausedNs: timeline.pausedNs, longestPauseNs: timeline.longestPauseNs,
            pauseNsPerSecond: captureDurationNs > 0 ? Double(timeline.pausedNs) * 1e9 / Double(captureDurationNs) : nil,
            storms: timeline.storms)
    }
}
