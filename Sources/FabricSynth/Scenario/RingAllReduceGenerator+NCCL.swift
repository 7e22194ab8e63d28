extension RingAllReduceGenerator {
    /// nccl-tests' sweep as NCCL's IB transport runs it (`NCCLTestsPlan`): for each
    /// size, warm-up and timed iterations back to back; each ring step moves each
    /// channel's share of the chunk in slices, each slice announced by the receiver's
    /// clear-to-send and split over the connection's QPs.
    mutating func runNCCLTests(_ plan: NCCLTestsPlan, _ emit: (Int64, Frame) throws -> Void) rethrows -> GroundTruth {
        let perRank = scenario.connectionsPerRank, qps = scenario.queuePairsPerConnection
        let iterationsPerSize = plan.warmupIterations + scenario.iterations
        let pauseSteps = Set((0..<scenario.pfcEvents).map { _ in
            Int(random.next() % UInt64(plan.sizes.count * iterationsPerSize * scenario.stepsPerIteration))
        })
        var time = scenario.startNs
        var stepIndex = 0
        for (sizeIndex, size) in plan.sizes.enumerated() {
            if sizeIndex > 0 { time += plan.sizeGapNs }
            let perChannel = max(1, size / scenario.ranks / plan.channels)
            let slices = stride(from: 0, to: perChannel, by: plan.sliceBytes).map { min(plan.sliceBytes, perChannel - $0) }
            let sizeStart = time
            for iteration in 0..<iterationsPerSize {
                if iteration > 0 { time += plan.launchGapNs }
                for _ in 0..<scenario.stepsPerIteration {
                    var stepEnd = time
                    for rank in 0..<scenario.ranks {
                        let offset = Int64(random.next() % UInt64(200))
                        for channel in 0..<plan.channels {
                            let first = rank * perRank + channel * qps
                            var t = time + offset + Int64(channel) * 11
                            for slice in slices {
                                if plan.clearToSend { t = sendClearToSend(connection: first, startNs: t) }
                                var sliceEnd = t
                                for q in 0..<qps {
                                    let share = NCCLTestsPlan.share(of: slice, queuePair: q, of: qps)
                                    sliceEnd = max(sliceEnd, sendMessage(
                                        connection: first + q, startNs: t + Int64(q) * 7, bytes: share))
                                }
                                t = sliceEnd
                            }
                            stepEnd = max(stepEnd, t)
                        }
                    }
                    if pauseSteps.contains(stepIndex) { schedulePause(startNs: time, endNs: stepEnd) }
                    stepIndex += 1
                    time = stepEnd + RingAllReduceGenerator.stepComputeNs
                    try flush(before: time, emit)
                }
            }
            // What rank 0 wrote for this size: every step, every channel, every slice.
            let bytes = iterationsPerSize * scenario.stepsPerIteration * plan.channels * slices.reduce(0, +)
            let end = time - RingAllReduceGenerator.stepComputeNs
            truth.sizes = (truth.sizes ?? []) + [GroundTruth.SizeRun(
                sizeBytes: size, iterations: iterationsPerSize, startNs: sizeStart, endNs: end, bytesPerRank: bytes,
                busbwBps: Double(bytes) * 8e9 / Double(max(1, end - sizeStart)))]
        }
        return try finish(emit)
    }

    /// The receiver's clear-to-send (`ncclIbPostFifo`): a 64-byte RDMA WRITE ONLY of
    /// its FIFO entry from the responder back to the requester on connection `c`,
    /// acknowledged by the requester's QP; the sender starts once it has arrived.
    mutating func sendClearToSend(connection c: Int, startNs: Int64) -> Int64 {
        let psn = connections[c].reversePSN
        schedule(startNs, .clearToSend(connection: c, psn: psn))
        connections[c].reversePSN = (psn + 1) & 0xff_ffff
        connections[c].reverseMSN = (connections[c].reverseMSN + 1) & 0xff_ffff
        let arrival = startNs + 600
        schedule(arrival + 400, .clearToSendAck(connection: c, psn: psn, msn: connections[c].reverseMSN))
        return arrival + 200
    }
}
