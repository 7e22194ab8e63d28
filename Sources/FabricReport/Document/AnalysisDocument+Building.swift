import FabricConcurrency
import FabricWire
import FabricMetrics
import FabricCompare
import FabricHealth
import FabricIngest
import FabricModels
import FabricStats

extension AnalysisDocument {
    /// Builds the document from a summary (of one analysis, or merged). Flows are
    /// sorted by wire bytes, largest first (ties by key, so output is deterministic).
    ///
    /// The ring search and the run's traffic metrics (for the health section) are
    /// independent, and each is linear in the flows: they run side by side, and the
    /// flows' entries are built on all cores.
    ///
    /// `listingFirst`: build entries for only that many flows, the largest by wire
    /// bytes, for a JSON or CSV report that lists no more (`--top`). At 10⁵ flows the
    /// entries of flows nobody reads were 7 % of the time and a kilobyte each. The
    /// QoS hosts and ECMP host pairs are listed as `keepingFirst` would keep them.
    /// Such a document serves `keepingFirst(_:flowsOrderedBy: .bytes)` with a limit no
    /// larger; everything else needs every entry.
    /// `qos`: the classes the fabric is declared to use (`--qos`), judged in `health`.
    /// `topology`: the fabric behind the links (`--topology`): per-switch figures and
    /// the shared hop.
    /// `entriesWhenWritten`: make the flows' entries only as the JSON is written
    /// (`DeferredEntries`), for a report that is only written as JSON; `flows` is
    /// then empty.
    public init(summary: AnalysisSummary, listingFirst: Int? = nil, qos intent: QosIntent? = nil,
                topology: FabricTopology? = nil, entriesWhenWritten: Bool = false) {
        // Three independent parts, each linear in the flows, on the cores as they come
        // free: the ring search (a Monte Carlo) and the other groups (which exclude the
        // rings); the traffic cut into units per link, and the per-switch figures; the
        // classes and the ECMP spread, taken by whichever core finishes first. (Pinned
        // to one side or the other, they left one core waiting at 10⁵ flows: the ring's
        // side by a tenth of a second once, the traffic's side by 60 ms later.) The
        // links' units are then measured on all cores: measured inside their part, they
        // were the longest chain at 10⁵ flows by a tenth of a second.
        // The hosts and links numbered once, for the three passes that group by them.
        let graph = HostGraph(summary)
        let measuresTraffic = summary.totals.rocePackets > 0
        var parts = ParallelMap.map(3) { part -> DocumentPart in
            switch part {
            case 0:
                let findings = RingFinding.find(in: summary, graph: graph)
                return .collectives(findings, CollectiveGroup.find(in: summary, excluding: findings.map(\.ring), graph: graph))
            case 1:
                return .traffic(measuresTraffic ? TrafficUnits(summary, graph: graph) : nil,
                                topology.map { FabricElementTotals.measure(summary, topology: $0, graph: graph) })
            default:
                return .fabric(QosObservation(summary), EcmpSpread(summary))
            }
        }
        // Taken out of the array, so that the traffic's values have one owner below.
        guard case .fabric(let classes, let spread) = parts.removeLast(),
              case .traffic(let units, let switchTotals) = parts.removeLast(),
              case .collectives(let findings, let groups) = parts.removeLast() else { preconditionFailure("parts out of order") }
        // The collective's figures join the traffic's while its values (one per metric
        // and link, 10⁶ at 10⁵ links) have one owner: appended to a copy, as they were,
        // a run with a collective copied them all first.
        var traffic = units.flatMap { try? RunMetrics(traffic: summary, units: $0) }
        traffic?.qos = classes
        traffic?.ecmp = spread
        traffic?.addCollective(findings.first)
        self.init(summary: summary, collectives: findings, traffic: traffic, listingFirst: listingFirst, intent: intent,
                  topology: topology, switchTotals: switchTotals ?? [], entriesWhenWritten: entriesWhenWritten)
        otherCollectives = groups.isEmpty ? nil : groups.map(GroupEntry.init)
        switches = switchTotals?.map(SwitchEntry.init)
    }

    private init(summary: AnalysisSummary, collectives findings: [RingFinding], traffic: RunMetrics?, listingFirst: Int?,
                 intent: QosIntent?, topology: FabricTopology?, switchTotals: [FabricElementTotals], entriesWhenWritten: Bool) {
        let totals = summary.totals
        let resolution = summary.resolutionNs
        var linkTypes: [String] = []
        for file in summary.files where !linkTypes.contains(file.linkType) { linkTypes.append(file.linkType) }
        var allWarnings = AnalysisDocument.fileWarnings(summary.files)
        if totals.reportedDrops > 0 {
            allWarnings.append("the capture hardware reported \(totals.reportedDrops) dropped packets (ERF loss counter); "
                + "counts are lower than what was on the wire")
        }
        if totals.rocePackets == 0 {
            var note = totals.packets == 0 ? "no packets at all were read (an empty capture, or --filter matched nothing)"
                : "no RoCE/IB packet among \(totals.packets) records (RoCEv2 is taken from the UDP destination ports given "
                    + "by --roce-port, 4791 by default)"
            if let ports = totals.roceLikePorts, let (port, count) = ports.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                note += "; \(count) UDP packet(s) to port \(port) carry what looks like an InfiniBand BTH: try --roce-port \(port)"
                if ports.count > 1 { note += " (\(ports.count) such ports in all)" }
            }
            allWarnings.append(note)
        }
        if let untracked = totals.untrackedPauseFrames, untracked > 0 {
            allWarnings.append("PFC frames came from more than \(TrafficAccumulator.maximumPauseKeys) (source MAC, priority) "
                + "pairs; \(untracked) pause(s) from further sources were counted but not tracked one by one")
        }
        // Counted by index, reading fields in place: `filter` copied every flow it kept
        // whole (1.3 kB and a dozen retains each), most of a 10⁵-flow summary when
        // its flows are short. The requesters' questions are asked in FabricStats
        // (`AnalysisSummary+RequesterQueries`): asked here, each copied the requester.
        var truncatedFlows = 0, tooFast = 0
        let summaryFlows = summary.flows
        for index in summaryFlows.indices {
            if summaryFlows[index].counters.truncatedHeaders > 0 { truncatedFlows += 1 }
            // n packets span n − 1 intervals: the bytes of all but one packet over the
            // span is what the link must have carried (a tolerance of 2 % for clock rounding).
            let packets = summaryFlows[index].counters.packets
            let span = summaryFlows[index].counters.endNs - summaryFlows[index].counters.startNs
            if packets >= 10, span > 0 {
                let carried = Double(summaryFlows[index].counters.wireBytes) * Double(packets - 1) / Double(packets)
                if carried * 8e9 / Double(span) > summary.linkBitsPerSecond * 1.02 { tooFast += 1 }
            }
        }
        let (restartedFlows, restarts) = summary.restartedFlows
        if truncatedFlows > 0 {
            allWarnings.append("\(truncatedFlows) flows have packets whose extension headers were cut by the snaplen; "
                + "ACK/NAK kinds of those packets are unknown")
        }
        if tooFast > 0 {
            allWarnings.append("\(tooFast) flow(s) average more than the link speed "
                + "(\(Units.bitRate(summary.linkBitsPerSecond))): overlapping inputs were added together "
                + "(two runs, or a flow captured at both ends), or --link-speed is lower than the link")
        }
        if restartedFlows > 0 {
            allWarnings.append("\(restartedFlows) flow(s) start over in another input file (\(restarts) time(s)): the same "
                + "queue pairs' PSNs begin again instead of going on, so the files are several runs of the same traffic, "
                + "not one capture split in parts. Read together, their rates and totals add up the runs; analyze each run "
                + "on its own and compare them (repeated PSNs were not counted as retransmissions)")
        }
        for (index, announced, first) in summary.startingPSNMismatches {
            let key = summaryFlows[index].key
            allWarnings.append("\(key.source) → \(key.destination) QP \(AnalysisDocument.hex(key.destQP)): the CM exchange "
                + "announced starting PSN \(announced) but the first request carried \(first); the traffic is believed "
                + "(no gap or retransmission counted for the difference)")
        }
        capture = CaptureSection(
            packets: totals.packets, rocePackets: totals.rocePackets, otherPackets: totals.otherPackets,
            pfcFrames: totals.pfcFrames, truncatedRocePackets: totals.truncatedRocePackets,
            wireBytes: totals.wireBytes,
            startNs: totals.packets > 0 ? totals.startNs : nil,
            endNs: totals.packets > 0 ? totals.endNs : nil,
            timestampResolutionNs: resolution, linkTypes: linkTypes,
            files: summary.files.map {
                FileEntry(path: $0.path, format: $0.format, linkType: $0.linkType,
                          timestampResolutionNs: $0.resolutionNs, records: $0.records,
                          switchClockRecords: $0.switchClockRecords)
            },
            reportedDrops: totals.reportedDrops, unpairedResponses: summary.unpairedResponses,
            cmConnections: summary.connectionsFromCM,
            warnings: allWarnings + AnalysisDocument.captureIntegrityWarnings(summary),
            mirrors: totals.mirrors?.map(MirrorEntry.init),
            mirrorLostCopies: totals.mirrors.map { _ in totals.mirrorLostCopies },
            mirrorDuplicateCopies: totals.mirrors.map { _ in totals.mirrorDuplicateCopies ?? 0 },
            undecoded: totals.undecoded)
        schemaVersion = AnalysisDocument.schemaVersion
        // Four independent pieces on the cores as they come free (one after the other,
        // they were the last tenth of a second of a 10⁵-flow report, on one core): the
        // flows' order, the health checks, and the QoS and ECMP sections.
        let all = summary.flows
        var pieces = ParallelMap.map(4) { piece -> DocumentPiece in
            switch piece {
            case 0:
                // Sorted as indices: moving the flows themselves (kilobyte structs) cost
                // more than building their entries. The bytes are read into an array of
                // their own first, so that most comparisons touch neither flow (keys
                // break ties only).
                let bytes = all.indices.map { all[$0].counters.wireBytes }
                return .order(all.indices.sorted { a, b in
                    bytes[a] != bytes[b] ? bytes[a] > bytes[b] : all[a].key < all[b].key
                })
            case 1:
                guard let metrics = traffic else { return .health(nil) }
                var config = HealthConfig()
                config.qos = intent
                config.topology = topology
                return .health(HealthReport(label: "", run: metrics, linkBitsPerSecond: summary.linkBitsPerSecond,
                                            baseline: [], config: config, listPassing: false, switches: switchTotals))
            case 2:
                return .qos(traffic?.qos.flatMap { QosSection($0, intent: intent, listing: listingFirst) })
            default:
                return .ecmp(traffic?.ecmp.flatMap { EcmpSection($0, topology: topology, listing: listingFirst) })
            }
        }
        guard case .ecmp(let ecmpSection) = pieces.removeLast(), case .qos(let qosSection) = pieces.removeLast(),
              case .health(let report) = pieces.removeLast(), case .order(let order) = pieces.removeLast() else {
            preconditionFailure("pieces out of order")
        }
        let built = min(order.count, max(0, listingFirst ?? order.count))
        flowsWithoutEntries = order.count - built
        if entriesWhenWritten {
            flows = []
            deferredEntries = DeferredEntries(summary: summary, order: Array(order.prefix(built)), resolutionNs: resolution)
        } else {
            // Each entry made in place in the array, on all cores: made in slices and
            // then joined, every entry (a kilobyte, a dozen references) was copied and
            // its slice's copy freed, 3 % of a 10⁵-flow `-T json` on one core.
            flows = ParallelMap.array(count: built, sliceSize: 2048) { FlowEntry(all[order[$0]], resolutionNs: resolution) }
        }
        let durationNs = totals.packets > 0 ? totals.endNs - totals.startNs : 0
        pfc = summary.pauses.map {
            PauseEntry(key: $0.key, counters: $0.counters, linkBitsPerSecond: summary.linkBitsPerSecond,
                       captureDurationNs: durationNs)
        }
        notes = AnalysisDocument.limits(resolutionNs: resolution)
        collectives = AnalysisDocument.collectives(findings)
        if let report {
            health = HealthSection(status: report.status, headline: report.headline, checks: report.checks,
                                   passed: report.passedUnlisted)
            qos = qosSection
            ecmp = ecmpSection
            notes += report.topologyNotes
        }

    }

    /// The limits every reader of these numbers should keep in mind.
    static func limits(resolutionNs: Double) -> [String] {
        var notes = [
            "A single capture point sees when packets pass the tap, not one-way delay between hosts.",
            "wire_bytes come from each record's original length; payload_bytes from IP/UDP, GRH or LRH length fields.",
        ]
        if resolutionNs > 1 {
            notes.append("Timestamps resolve \(Units.resolution(resolutionNs)); gaps, latencies and "
                + "jitter below that cannot be measured from this capture.")
        }
        return notes
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

}

extension AnalysisDocument.FlowEntry {
    init(_ flow: AnalysisSummary.Flow, resolutionNs: Double) {
        let key = flow.key, counters = flow.counters
        self.init(
            src: key.source.description, dst: key.destination.description, destQP: key.destQP,
            encapsulation: counters.encapsulation.rawValue, vlan: counters.vlan, dscp: counters.dscp,
            packets: counters.packets, wireBytes: counters.wireBytes, payloadBytes: counters.payloadBytes,
            opcodes: flow.opcodes, startNs: counters.startNs, endNs: counters.endNs, acks: counters.acks,
            naks: counters.naks.named, cnpPackets: counters.cnpPackets,
            ecn: .init(ectPackets: counters.ectPackets, cePackets: counters.cePackets,
                       ceFraction: counters.ectPackets > 0 ? Double(counters.cePackets) / Double(counters.ectPackets) : nil),
            fecnPackets: counters.fecnPackets, becnPackets: counters.becnPackets,
            truncatedHeaders: counters.truncatedHeaders,
            throughputBps: AnalysisDocument.Throughput(counters))
        answersQP = flow.answers?.destQP
        timeseries = flow.timeSeries.map { AnalysisDocument.TimeSeriesEntry(windowNs: $0.windowNs, windows: $0.windows) }
        let notifications = flow.notifications
        if notifications.count > 0 {
            cnp = AnalysisDocument.CNPEntry(
                count: notifications.count, ratePerSecond: notifications.ratePerSecond,
                minGapNs: notifications.minimumGapNs,
                ecnToCnpNs: AnalysisDocument.DistributionEntry(notifications.markToNotification, resolutionNs: resolutionNs))
        }
        guard let stream = flow.requester else { return }
        let span = counters.endNs - counters.startNs
        requester = AnalysisDocument.RequesterEntry(
            requesterQP: flow.requesterQP,
            retransmittedPackets: stream.retransmittedPackets, retransmittedBytes: stream.retransmittedWireBytes,
            retransmissionEpisodeCount: stream.episodeCount, retransmissionEpisodes: stream.episodes,
            psnGaps: .init(events: stream.psnGapEvents, missingPSNs: stream.missingPSNs,
                           captureLostPSNs: stream.captureLostPSNs),
            mirrorDuplicates: stream.mirrorDuplicates, ambiguousSamples: stream.ambiguousSamples,
            unacknowledgedDropped: stream.unacknowledgedDropped, goodputBytes: stream.goodputBytes,
            goodputBps: span > 0 ? Double(stream.goodputBytes) * 8e9 / Double(span) : nil,
            unmatchedResponses: stream.unmatchedResponses, firstPSN: stream.firstRequestPSN,
            cmStartingPSN: stream.announcedStartingPSN,
            cmReconnections: stream.reconnections > 0 ? stream.reconnections : nil)
        ackLatencyNs = AnalysisDocument.DistributionEntry(stream.ackLatency, resolutionNs: resolutionNs)
        readLatencyNs = AnalysisDocument.DistributionEntry(stream.readLatency, resolutionNs: resolutionNs)
        readCompletionNs = AnalysisDocument.DistributionEntry(stream.readCompletion, resolutionNs: resolutionNs)
        atomicLatencyNs = AnalysisDocument.DistributionEntry(stream.atomicLatency, resolutionNs: resolutionNs)
        gapNs = AnalysisDocument.DistributionEntry(stream.gaps, resolutionNs: resolutionNs)
        jitterNs = ackLatencyNs.map {
            AnalysisDocument.JitterEntry(latency: $0, jitter: stream.jitter, resolutionNs: resolutionNs)
        }
    }
}

extension AnalysisDocument.Throughput {
    /// A flow active for less than one window has no full window to take a peak
    /// from: its peak is then its mean, and `window_ns` says over what span.
    ///
    /// Otherwise the peak is the busiest window, but never less than the mean: the
    /// windows are aligned to the clock, so a flow spanning one to two windows (or
    /// whose bytes sit at the edges of its span) fills none of them, while its mean
    /// over the span is a rate it did sustain over at least one window.
    public init(_ flow: FlowCounters) {
        let span = flow.endNs - flow.startNs
        if let mean = flow.meanBitsPerSecond, span < flow.throughput.windowNs {
            self.init(mean: mean, peak: mean, windowNs: span)
        } else {
            self.init(mean: flow.meanBitsPerSecond,
                      peak: max(flow.throughput.peakBitsPerSecond, flow.meanBitsPerSecond ?? 0),
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

/// What each of the pieces the document is built from gives, made side by side.
private enum DocumentPiece: Sendable {
    case order([Int])
    case health(HealthReport?)
    case qos(AnalysisDocument.QosSection?)
    case ecmp(AnalysisDocument.EcmpSection?)
}

/// What each of the parts `AnalysisDocument.init(summary:…)` builds side by side gives.
private enum DocumentPart: Sendable {
    case collectives([RingFinding], [CollectiveGroup])
    case traffic(TrafficUnits?, [FabricElementTotals]?)
    case fabric(QosObservation, EcmpSpread)
}
