import FabricIngest

/// Why two summaries cannot be merged.
public struct SummaryMergeError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension AnalysisSummary {
    /// Refuses a summary made with other windows, link speed, storm threshold or
    /// (explicit) idle gap: their numbers do not add.
    public func checkSettings(against other: AnalysisSummary) throws(SummaryMergeError) {
        guard windowNs == other.windowNs, linkBitsPerSecond == other.linkBitsPerSecond,
              stormThresholdNs == other.stormThresholdNs
        else {
            throw SummaryMergeError(description: "summaries were made with different --window, --link-speed or "
                + "--storm-threshold settings (\(windowNs) ns / \(other.windowNs) ns window, "
                + "\(linkBitsPerSecond) / \(other.linkBitsPerSecond) b/s)")
        }
        guard idleGapNs == other.idleGapNs || idleGapNs == 0 || other.idleGapNs == 0 else {
            throw SummaryMergeError(description: "summaries were made with different --idle-gap settings "
                + "(\(idleGapNs) ns / \(other.idleGapNs) ns)")
        }
    }

    /// Adds `other` to this summary.
    ///
    /// Exact for what fleets merge: captures of different flows and links (one per
    /// job, node or switch). A flow present in both (one capture split in time) also
    /// adds exactly — counters, histograms, windows — except what spans the split:
    /// a request in one part answered in the other, a retransmission episode or PFC
    /// pause cut in two, and the RFC 3550 jitter estimator, which is combined
    /// weighted by sample count.
    public mutating func merge(_ other: AnalysisSummary) throws(SummaryMergeError) {
        var merger = SummaryMerger()
        try merger.add(self)
        try merger.add(other)
        self = merger.merged!
    }
}

extension CaptureTotals {
    mutating func merge(_ other: CaptureTotals) {
        packets += other.packets
        rocePackets += other.rocePackets
        otherPackets += other.otherPackets
        pfcFrames += other.pfcFrames
        truncatedRocePackets += other.truncatedRocePackets
        wireBytes += other.wireBytes
        startNs = min(startNs, other.startNs)
        endNs = max(endNs, other.endNs)
        reportedDrops += other.reportedDrops
        if let theirs = other.untrackedPauseFrames { untrackedPauseFrames = (untrackedPauseFrames ?? 0) + theirs }
        if let theirs = other.roceLikePorts { roceLikePorts = (roceLikePorts ?? [:]).merging(theirs, uniquingKeysWith: +) }
        if let theirs = other.undecoded { undecoded = (undecoded ?? [:]).merging(theirs, uniquingKeysWith: +) }
        if let theirs = other.mirrorDuplicateCopies { mirrorDuplicateCopies = (mirrorDuplicateCopies ?? 0) + theirs }
        if let theirs = other.untrackedMirrorRecords { untrackedMirrorRecords = (untrackedMirrorRecords ?? 0) + theirs }
        if let theirs = other.mirrors {
            var joined = mirrors ?? []
            for point in theirs {
                if let at = joined.firstIndex(where: { $0.key == point.key }) { joined[at].merge(point) } else { joined.append(point) }
            }
            mirrors = joined
        }
    }
}

extension AnalysisSummary {
    /// Flows that both summaries hold over overlapping time: the same queue pair seen
    /// twice at once (two runs or configurations started together, a summary merged
    /// with itself, or one flow captured at both of its ends). Adding them would
    /// double what the flow carried. A capture split into files in time does not
    /// overlap.
    public func overlappingFlows(with other: AnalysisSummary) -> [FlowKey] {
        var merger = SummaryMerger()
        try? merger.add(self)
        return merger.overlappingFlows(with: other)
    }
}

extension AnalysisSummary.Flow {
    mutating func merge(_ other: AnalysisSummary.Flow) {
        let otherStartedFirst = other.counters.startNs < counters.startNs
        counters.merge(other.counters)
        opcodes.merge(other.opcodes, uniquingKeysWith: +)
        answers = answers ?? other.answers
        requesterQP = requesterQP ?? other.requesterQP
        if let theirs = other.requester {
            if requester == nil { requester = theirs } else { requester!.merge(theirs, theirsFirst: otherStartedFirst) }
        }
        notifications.merge(other.notifications)
        if let theirs = other.markings {
            if markings == nil { markings = theirs } else { markings!.merge(theirs) }
        }
        if var series = timeSeries, let theirs = other.timeSeries {
            series.merge(theirs)
            timeSeries = series
            counters.throughput = ThroughputWindow(windowNs: series.windowNs, busiest: series.windows)
        } else {
            // Without both series the busiest window can only be bounded: the larger peak.
            timeSeries = nil
            counters.throughput = ThroughputWindow.max(counters.throughput, other.counters.throughput)
        }
    }
}

extension FlowCounters {
    mutating func merge(_ other: FlowCounters) {
        packets += other.packets
        wireBytes += other.wireBytes
        payloadBytes += other.payloadBytes
        startNs = min(startNs, other.startNs)
        endNs = max(endNs, other.endNs)
        acks += other.acks
        naks.merge(other.naks)
        cnpPackets += other.cnpPackets
        ectPackets += other.ectPackets
        cePackets += other.cePackets
        fecnPackets += other.fecnPackets
        becnPackets += other.becnPackets
        truncatedHeaders += other.truncatedHeaders
        vlan = vlan ?? other.vlan
        dscp = dscp ?? other.dscp
    }
}

extension NakCounts {
    mutating func merge(_ other: NakCounts) {
        psnSequenceError += other.psnSequenceError
        invalidRequest += other.invalidRequest
        remoteAccessError += other.remoteAccessError
        remoteOperationalError += other.remoteOperationalError
        invalidRDRequest += other.invalidRDRequest
        receiverNotReady += other.receiverNotReady
        reserved += other.reserved
    }
}

extension RequesterStatistics {
    /// `theirsFirst`: `other` covers the earlier part of the stream, so its first
    /// request (and the CM announcement beside it) is the stream's.
    mutating func merge(_ other: RequesterStatistics, theirsFirst: Bool = false) {
        // Messages each part started, for the later part's long pauses (counted from 0).
        let myMessages = pauses.map { $0.count + 1 } ?? (goodputBytes > 0 ? 1 : 0)
        let theirMessages = other.pauses.map { $0.count + 1 } ?? (other.goodputBytes > 0 ? 1 : 0)
        if theirsFirst || firstRequestPSN == nil {
            announcedStartingPSN = other.announcedStartingPSN ?? announcedStartingPSN
            firstRequestPSN = other.firstRequestPSN ?? firstRequestPSN
        } else {
            announcedStartingPSN = announcedStartingPSN ?? other.announcedStartingPSN
        }
        ackLatency.merge(other.ackLatency)
        readLatency.merge(other.readLatency)
        readCompletion.merge(other.readCompletion)
        atomicLatency.merge(other.atomicLatency)
        gaps.merge(other.gaps)
        bursts.merge(other.bursts)
        restarts += other.restarts
        reconnections += other.reconnections
        captureLostPSNs += other.captureLostPSNs
        let hadPauses = pauses != nil
        if let theirs = other.pauses {
            if pauses == nil { pauses = theirs } else { pauses!.merge(theirs) }
        }
        // Pauses of two parts of one stream: the later part's payload counts start at 0.
        if let theirs = other.longPauses {
            var shifted = theirs
            if !theirsFirst {
                shifted = theirs.shifted(by: goodputBytes, messages: myMessages)
            } else if var mine = longPauses {
                mine = mine.shifted(by: other.goodputBytes, messages: theirMessages)
                longPauses = mine
            }
            if longPauses != nil {
                longPauses!.merge(shifted)
            } else if !hadPauses {
                longPauses = shifted
            }
        } else if other.pauses != nil {
            // A part from a summary written before they were kept: the periods cannot
            // be cut exactly any more. (A part with one message has no pause at all.)
            longPauses = nil
        }
        jitter.merge(other.jitter)
        episodes = Array((episodes + other.episodes).sorted { $0.startNs < $1.startNs }
            .prefix(RequestStream.listedEpisodes))
        episodeCount += other.episodeCount
        retransmittedPackets += other.retransmittedPackets
        retransmittedWireBytes += other.retransmittedWireBytes
        goodputBytes += other.goodputBytes
        // Unknown when either part was written before it was kept.
        requestWireBytes = requestWireBytes.flatMap { mine in other.requestWireBytes.map { mine + $0 } }
        psnGapEvents += other.psnGapEvents
        missingPSNs += other.missingPSNs
        mirrorDuplicates += other.mirrorDuplicates
        ambiguousSamples += other.ambiguousSamples
        unmatchedResponses += other.unmatchedResponses
        unacknowledgedDropped += other.unacknowledgedDropped
    }
}

extension LatencyJitter {
    /// Sample-weighted: the estimator itself depends on sample order and does not merge.
    mutating func merge(_ other: LatencyJitter) {
        let mine = Double(deltas.count), theirs = Double(other.deltas.count)
        if mine + theirs > 0 { smoothed = (smoothed * mine + other.smoothed * theirs) / (mine + theirs) }
        deltas.merge(other.deltas)
    }
}

extension NotificationCounters {
    mutating func merge(_ other: NotificationCounters) {
        guard other.count > 0 else { return }
        if count == 0 {
            self = other
            return
        }
        let gaps = [minimumGapNs, other.minimumGapNs].compactMap { $0 }
        minimumGapNs = gaps.min()
        count += other.count
        firstNs = min(firstNs, other.firstNs)
        lastNs = max(lastNs, other.lastNs)
        markToNotification.merge(other.markToNotification)
    }
}

extension PauseCounters {
    mutating func merge(_ other: PauseCounters) {
        xoffFrames += other.xoffFrames
        xonFrames += other.xonFrames
        pauseQuanta += other.pauseQuanta
        firstNs = min(firstNs, other.firstNs)
        lastNs = max(lastNs, other.lastNs)
        timeline.merge(other.timeline)
    }
}

extension PauseTimeline {
    mutating func merge(_ other: PauseTimeline) {
        pausedNs += other.pausedNs
        longestPauseNs = max(longestPauseNs, other.longestPauseNs)
        storms = (storms + other.storms).sorted { $0.startNs < $1.startNs }
    }
}

extension FlowTimeSeries {
    /// Adds `other`'s windows, window by window.
    mutating func merge(_ other: FlowTimeSeries) {
        var byStart = Dictionary(uniqueKeysWithValues: windows.map { ($0.startNs, $0) })
        for window in other.windows {
            byStart[window.startNs, default: Window(startNs: window.startNs)].add(window)
        }
        replaceWindows(byStart.values.sorted { $0.startNs < $1.startNs })
    }
}

extension FlowTimeSeries.Window {
    mutating func add(_ other: FlowTimeSeries.Window) {
        packets += other.packets
        wireBytes += other.wireBytes
        goodputBytes += other.goodputBytes
        retransmittedBytes += other.retransmittedBytes
        cePackets += other.cePackets
        cnpPackets += other.cnpPackets
        retransmittedPackets += other.retransmittedPackets
        naks += other.naks
        ackLatency.add(other.ackLatency)
        gaps.add(other.gaps)
        pausedNs += other.pausedNs
    }
}
