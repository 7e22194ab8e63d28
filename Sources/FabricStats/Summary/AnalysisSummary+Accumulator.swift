import FabricIngest

extension AnalysisSummary {
    /// Collects what `accumulator` measured (call its `finish()` first) over `files`.
    public init(accumulator: TrafficAccumulator, files: [CaptureFileSummary]) {
        // Request flow → the flow answering it (−1: none), by index: no hashing.
        var responders = [Int32](repeating: -1, count: accumulator.flowCount)
        for index in 0..<accumulator.flowCount {
            if let requestFlow = accumulator.requestFlow(answeredBy: index) { responders[requestFlow] = Int32(index) }
        }
        // Built into a buffer advised for huge pages (see `HeapPages`): at 10⁵ flows
        // it is over 100 MB of memory touched for the first time.
        var flows: [Flow] = HeapPages.reserved(accumulator.flowCount)
        for index in 0..<accumulator.flowCount {
            flows.append(Flow(
                key: accumulator.flowKeys[index], counters: accumulator.counters(ofFlow: index),
                opcodes: accumulator.opcodes(ofFlow: index),
                answers: accumulator.requestFlow(answeredBy: index).map { accumulator.flowKeys[$0] },
                requester: accumulator.requesterStatistics(ofFlow: index),
                requesterQP: responders[index] >= 0 ? accumulator.flowKeys[Int(responders[index])].destQP : nil,
                notifications: accumulator.notifications[index],
                timeSeries: accumulator.recordsTimeSeries ? accumulator.timeSeries[index] : nil,
                markings: accumulator.markings(ofFlow: index)))
        }
        self.init(
            windowNs: accumulator.windowNs, linkBitsPerSecond: accumulator.linkBitsPerSecond,
            stormThresholdNs: accumulator.stormThresholdNs, idleGapNs: accumulator.idleGapNs, files: files.map(File.init),
            totals: accumulator.totals, unpairedResponses: accumulator.unpairedResponses,
            connectionsFromCM: accumulator.connectionsFromCM,
            flows: flows,
            pauses: accumulator.pauses.sorted { $0.key < $1.key }.map {
                Pause(key: $0.key, counters: $0.value, timeSeries: accumulator.portPauseTimeSeries[$0.key])
            },
            pauseTimeSeries: accumulator.pauseTimeSeries)
    }
}
