import FabricIngest
import FabricConcurrency

extension AnalysisSummary {
    /// Collects what `accumulator` measured (call its `finish()` first) over `files`.
    public init(accumulator: TrafficAccumulator, files: [CaptureFileSummary]) {
        // Request flow → the flow answering it (−1: none), by index: no hashing.
        var answering = [Int32](repeating: -1, count: accumulator.flowCount)
        for index in 0..<accumulator.flowCount {
            if let requestFlow = accumulator.requestFlow(answeredBy: index) { answering[requestFlow] = Int32(index) }
        }
        let responders = answering
        // Made on all cores, in slices, straight into one buffer advised for huge pages
        // (`ParallelMap.array`): at 10⁵ flows this was 50 ms on one core while the
        // other waited, a third of it the kernel clearing the 130 MB it fills.
        let flows = ParallelMap.array(count: accumulator.flowCount, sliceSize: 2048) { index in
            Flow(
                key: accumulator.flowKeys[index], counters: accumulator.counters(ofFlow: index),
                opcodes: accumulator.opcodes(ofFlow: index),
                answers: accumulator.requestFlow(answeredBy: index).map { accumulator.flowKeys[$0] },
                requester: accumulator.requesterStatistics(ofFlow: index),
                requesterQP: responders[index] >= 0 ? accumulator.flowKeys[Int(responders[index])].destQP : nil,
                notifications: accumulator.notifications[index],
                timeSeries: accumulator.recordsTimeSeries ? accumulator.timeSeries[index] : nil,
                markings: accumulator.markings(ofFlow: index))
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
