import FabricConcurrency
import FabricIngest

/// A summary comes from another job, another team or a disk that filled up: it is
/// checked before any number in it is used, so a damaged one is refused with the
/// field named instead of trapping in arithmetic or misleading a report.
extension AnalysisSummary {
    /// Counters above this would overflow when thousands of summaries are merged, and
    /// lose exactness as doubles.
    public static let maximumCounter = 1 << 53
    /// Durations, windows and thresholds: up to a day.
    static let maximumDurationNs: Int64 = 86_400_000_000_000
    /// Timestamps: within the range captures are read to.
    static var timestampLimitNs: Int64 { CaptureFileSummary.timestampLimitNs }

    struct Invalid: Error { let field: String, problem: String }

    /// Checks types' ranges and the invariants the merge and the reports rely on.
    public func validate() throws(SummaryValidationError) {
        do { try check() } catch let invalid as Invalid {
            throw SummaryValidationError(field: invalid.field, problem: invalid.problem)
        } catch {
            throw SummaryValidationError(field: "?", problem: "\(error)")
        }
    }

    // Field names are built only for the error (`@autoclosure`): building one per
    // counter was 6 % of the CPU samples of a merge of node summaries with windows.
    private func check() throws {
        try duration("windowNs", windowNs, allowZero: false)
        try duration("stormThresholdNs", stormThresholdNs, allowZero: false)
        try duration("idleGapNs", idleGapNs, allowZero: true)
        guard linkBitsPerSecond.isFinite, (1e6...1e14).contains(linkBitsPerSecond) else {
            throw Invalid(field: "linkBitsPerSecond", problem: "\(linkBitsPerSecond) is not a link speed (1 Mb/s to 100 Tb/s)")
        }
        for (i, file) in files.enumerated() {
            let at = { "files[\(i)]" }
            guard file.resolutionNs.isFinite, file.resolutionNs > 0, file.resolutionNs <= 1e12 else {
                throw Invalid(field: at() + ".resolutionNs", problem: "\(file.resolutionNs) is not a timestamp resolution")
            }
            try counter(at() + ".records", file.records)
            try counter(at() + ".timestampRegressions", file.timestampRegressions)
            try counter(at() + ".clampedTimestamps", file.clampedTimestamps ?? 0)
            try counter(at() + ".switchClockRecords", file.switchClockRecords ?? 0)
            try counter(at() + ".interfaceDrops", file.interfaceDrops ?? 0)
        }
        try counter("totals.packets", totals.packets)
        for (name, value) in [("rocePackets", totals.rocePackets), ("otherPackets", totals.otherPackets),
                              ("pfcFrames", totals.pfcFrames), ("truncatedRocePackets", totals.truncatedRocePackets),
                              ("wireBytes", totals.wireBytes), ("reportedDrops", totals.reportedDrops)] {
            try counter("totals." + name, value)
        }
        guard totals.rocePackets + totals.otherPackets + totals.truncatedRocePackets == totals.packets else {
            throw Invalid(field: "totals.packets", problem: "\(totals.packets) is not the sum of RoCE, truncated and other packets")
        }
        if totals.packets > 0 { try span("totals", totals.startNs, totals.endNs) }
        try counter("totals.untrackedPauseFrames", totals.untrackedPauseFrames ?? 0)
        try counter("totals.untrackedMirrorRecords", totals.untrackedMirrorRecords ?? 0)
        try counter("totals.mirrorDuplicateCopies", totals.mirrorDuplicateCopies ?? 0)
        for (reason, count) in totals.undecoded ?? [:] { try counter("totals.undecoded." + reason, count) }
        for (index, point) in (totals.mirrors ?? []).enumerated() {
            let at = "totals.mirrors[\(index)]"
            for (name, value) in [("records", point.records), ("sequencedRecords", point.sequencedRecords),
                                  ("lostCopies", point.lostCopies), ("sequenceRegressions", point.sequenceRegressions),
                                  ("truncatedBySwitch", point.truncatedBySwitch)] {
                try counter(at + "." + name, value)
            }
            guard point.records > 0, point.sequencedRecords <= point.records, point.truncatedBySwitch <= point.records else {
                throw Invalid(field: at + ".records", problem: "a mirror point's counts do not fit its \(point.records) records")
            }
            try span(at, point.startNs, point.endNs)
        }
        guard pauses.count <= TrafficAccumulator.maximumPauseKeys * 64 else {
            throw Invalid(field: "pauses", problem: "\(pauses.count) PFC sources, more than any fabric has")
        }
        try counter("unpairedResponses", unpairedResponses)
        try counter("connectionsFromCM", connectionsFromCM)
        try checkFlows()
        var pauseKeys = Set<PauseKey>()
        for (i, pause) in pauses.enumerated() {
            let at = { "pauses[\(i)]" }
            guard pauseKeys.insert(pause.key).inserted else { throw Invalid(field: at() + ".key", problem: "appears twice") }
            guard (0..<8).contains(pause.key.priority) else {
                throw Invalid(field: at() + ".key.priority", problem: "\(pause.key.priority) is not a priority (0–7)")
            }
            try counter(at() + ".xoffFrames", pause.counters.xoffFrames)
            try counter(at() + ".xonFrames", pause.counters.xonFrames)
            try counter(at() + ".pauseQuanta", pause.counters.pauseQuanta)
            if pause.counters.xoffFrames + pause.counters.xonFrames > 0 {
                try span(at(), pause.counters.firstNs, pause.counters.lastNs)
            }
            if let series = pause.timeSeries { try check(series, at: at() + ".time_series") }
        }
        if let series = pauseTimeSeries { try check(series, at: "pauseTimeSeries") }
    }

    /// The flows' checks, on all cores for a large summary: the error is the one a
    /// pass in order would give first (a repeated key before the same flow's other
    /// checks). Checking a 10⁵-flow summary on one core was 7 % of reading it.
    private func checkFlows() throws {
        let slice = 1024
        let slices = (flows.count + slice - 1) / slice
        let summary = self
        let firstBad = try ParallelMap.map(slices) { part -> (index: Int, error: Invalid)? in
            for i in part * slice..<min(summary.flows.count, (part + 1) * slice) {
                do { try summary.check(summary.flows[i], at: "flows[\(i)]") } catch let invalid as Invalid {
                    return (i, invalid)
                }
            }
            return nil
        }.lazy.compactMap { $0 }.first
        var keys = Set<FlowKey>(minimumCapacity: flows.count)
        // By index, reading keys in place: a loop over the flows copied each one whole.
        for i in flows.indices where i <= firstBad?.index ?? .max {
            let key = flows[i].key
            guard keys.insert(key).inserted else {
                throw Invalid(field: "flows[\(i)].key", problem: "the flow \(key.source) → \(key.destination) QP "
                    + "\(key.destQP) appears twice")
            }
        }
        if let firstBad { throw firstBad.error }
    }

    /// One flow's own checks (its key's uniqueness is `checkFlows`').
    private func check(_ flow: Flow, at: @autoclosure () -> String) throws {
        try check(flow.counters, at: at() + ".counters")
        if let requester = flow.requester { try check(requester, at: at() + ".requester") }
        try counter(at() + ".notifications.count", flow.notifications.count)
        try distribution(at() + ".notifications.markToNotification", flow.notifications.markToNotification)
        if let series = flow.timeSeries { try check(series, at: at() + ".timeSeries") }
        for (name, count) in flow.opcodes { try counter(at() + ".opcodes." + name, count) }
    }

    private func check(_ counters: FlowCounters, at: @autoclosure () -> String) throws {
        // One call per field, not a loop over an array of them: the array was built
        // for every flow and window, most of checking a 10⁵-flow summary.
        try counter(at() + ".packets", counters.packets)
        try counter(at() + ".wireBytes", counters.wireBytes)
        try counter(at() + ".payloadBytes", counters.payloadBytes)
        try counter(at() + ".acks", counters.acks)
        try counter(at() + ".cnpPackets", counters.cnpPackets)
        try counter(at() + ".ectPackets", counters.ectPackets)
        try counter(at() + ".cePackets", counters.cePackets)
        try counter(at() + ".fecnPackets", counters.fecnPackets)
        try counter(at() + ".becnPackets", counters.becnPackets)
        try counter(at() + ".truncatedHeaders", counters.truncatedHeaders)
        try counter(at() + ".naks", counters.naks.total)
        try counter(at() + ".throughput.peakBytes", counters.throughput.peakBytes)
        guard counters.packets > 0 else { throw Invalid(field: at() + ".packets", problem: "a flow without packets") }
        guard counters.cePackets <= counters.ectPackets + counters.cePackets, counters.ectPackets <= counters.packets else {
            throw Invalid(field: at() + ".ectPackets", problem: "more ECN-capable packets than packets")
        }
        try span(at(), counters.startNs, counters.endNs)
        guard counters.throughput.windowNs == windowNs else {
            throw Invalid(field: at() + ".throughput.windowNs", problem: "\(counters.throughput.windowNs) ns, not the summary's "
                + "window of \(windowNs) ns")
        }
    }

    private func check(_ requester: RequesterStatistics, at: @autoclosure () -> String) throws {
        try counter(at() + ".episodeCount", requester.episodeCount)
        try counter(at() + ".retransmittedPackets", requester.retransmittedPackets)
        try counter(at() + ".retransmittedWireBytes", requester.retransmittedWireBytes)
        try counter(at() + ".goodputBytes", requester.goodputBytes)
        try counter(at() + ".requestWireBytes", requester.requestWireBytes ?? 0)
        try counter(at() + ".psnGapEvents", requester.psnGapEvents)
        try counter(at() + ".missingPSNs", requester.missingPSNs)
        try counter(at() + ".mirrorDuplicates", requester.mirrorDuplicates)
        try counter(at() + ".ambiguousSamples", requester.ambiguousSamples)
        try counter(at() + ".unmatchedResponses", requester.unmatchedResponses)
        try counter(at() + ".unacknowledgedDropped", requester.unacknowledgedDropped)
        try counter(at() + ".restarts", requester.restarts)
        try counter(at() + ".captureLostPSNs", requester.captureLostPSNs)
        try counter(at() + ".reconnections", requester.reconnections)
        try distribution(at() + ".ackLatency", requester.ackLatency)
        try distribution(at() + ".readLatency", requester.readLatency)
        try distribution(at() + ".readCompletion", requester.readCompletion)
        try distribution(at() + ".atomicLatency", requester.atomicLatency)
        try distribution(at() + ".gaps", requester.gaps)
        try distribution(at() + ".bursts", requester.bursts)
        try distribution(at() + ".jitter.deltas", requester.jitter.deltas)
        guard requester.jitter.smoothed.isFinite, requester.jitter.smoothed >= 0,
              requester.jitter.smoothed < Double(AnalysisSummary.timestampLimitNs) else {
            throw Invalid(field: at() + ".jitter.smoothed", problem: "\(requester.jitter.smoothed) is not a jitter in ns")
        }
        let announced = requester.announcedStartingPSN ?? 0, first = requester.firstRequestPSN ?? 0
        if announced > 0xff_ffff || first > 0xff_ffff {
            throw Invalid(field: at(), problem: "PSN \(announced > 0xff_ffff ? announced : first) does not fit in 24 bits")
        }
        for bucket in requester.pauses?.buckets ?? [] {
            guard bucket.count > 0, bucket.count <= AnalysisSummary.maximumCounter, bucket.sumNs >= 0,
                  (0...512).contains(bucket.index) else {
                throw Invalid(field: at() + ".pauses", problem: "a bucket out of range")
            }
        }
        if let long = requester.longPauses {
            guard long.pauses.count <= LongPauses.capacity, long.dropped >= 0, long.droppedLongest >= 0,
                  long.droppedLongest.isFinite else {
                throw Invalid(field: at() + ".longPauses", problem: "more than \(LongPauses.capacity) pauses, or a bad count")
            }
            var previous = Int64.min
            for pause in long.pauses {
                guard pause.startNs >= previous, pause.endNs >= pause.startNs, pause.bytesBefore >= 0,
                      (pause.messagesBefore ?? 0) >= 0,
                      pause.bytesBefore <= requester.goodputBytes, abs(pause.endNs) < AnalysisSummary.timestampLimitNs else {
                    throw Invalid(field: at() + ".longPauses", problem: "a pause out of order or out of range")
                }
                previous = pause.startNs
            }
        }
    }

    private func check(_ series: FlowTimeSeries, at: @autoclosure () -> String) throws {
        guard series.windowNs == windowNs else {
            throw Invalid(field: at() + ".windowNs", problem: "\(series.windowNs) ns, not the summary's window of \(windowNs) ns")
        }
        var previous = Int64.min
        let windows = series.windows
        for i in windows.indices {
            func field() -> String { at() + ".windows[\(i)]" }
            let startNs = windows[i].startNs, pausedNs = windows[i].pausedNs
            guard startNs > previous, abs(startNs) < AnalysisSummary.timestampLimitNs else {
                throw Invalid(field: field() + ".startNs", problem: "windows must be in time order, each once")
            }
            previous = startNs
            try counter(field() + ".packets", windows[i].packets)
            try counter(field() + ".wireBytes", windows[i].wireBytes)
            try counter(field() + ".goodputBytes", windows[i].goodputBytes)
            try counter(field() + ".retransmittedBytes", windows[i].retransmittedBytes)
            try counter(field() + ".cePackets", windows[i].cePackets)
            try counter(field() + ".cnpPackets", windows[i].cnpPackets)
            try counter(field() + ".retransmittedPackets", windows[i].retransmittedPackets)
            try counter(field() + ".naks", windows[i].naks)
            guard pausedNs >= 0, pausedNs <= AnalysisSummary.timestampLimitNs else {
                throw Invalid(field: field() + ".pausedNs", problem: "negative or beyond the timestamp limit")
            }
        }
    }

    private func distribution(_ field: @autoclosure () -> String, _ value: Distribution) throws {
        try counter(field() + ".count", value.count)
        guard value.count > 0 else { return }
        guard value.minimum <= value.maximum, abs(value.minimum) < AnalysisSummary.timestampLimitNs,
              abs(value.maximum) < AnalysisSummary.timestampLimitNs, value.sum.isFinite, value.sumOfSquares.isFinite else {
            throw Invalid(field: field(), problem: "minimum, maximum or sums out of range")
        }
    }

    private func counter(_ field: @autoclosure () -> String, _ value: Int) throws {
        guard value >= 0 else { throw Invalid(field: field(), problem: "\(value) is negative") }
        guard value <= AnalysisSummary.maximumCounter else {
            throw Invalid(field: field(), problem: "\(value) is beyond 2^53")
        }
    }

    private func duration(_ field: String, _ value: Int64, allowZero: Bool) throws {
        guard value >= (allowZero ? 0 : 1), value <= AnalysisSummary.maximumDurationNs else {
            throw Invalid(field: field, problem: "\(value) ns is not a duration from \(allowZero ? 0 : 1) ns to a day")
        }
    }

    /// Compared, never negated: `abs(Int64.min)` traps, and a summary is input.
    private func span(_ field: @autoclosure () -> String, _ start: Int64, _ end: Int64) throws {
        let limit = AnalysisSummary.timestampLimitNs
        // Without an array of the two: this runs for every flow.
        if start <= -limit || start >= limit {
            throw Invalid(field: field() + ".startNs", problem: "\(start) ns lies outside the years 1823–2116")
        }
        if end <= -limit || end >= limit {
            throw Invalid(field: field() + ".endNs", problem: "\(end) ns lies outside the years 1823–2116")
        }
        guard start <= end else {
            throw Invalid(field: field() + ".startNs", problem: "the time span \(start)…\(end) ns is not one")
        }
    }
}

/// Which field of a summary is wrong, and how.
public struct SummaryValidationError: Error, CustomStringConvertible, Sendable {
    public let field: String
    public let problem: String
    public var description: String { "field \(field): \(problem)" }
}
