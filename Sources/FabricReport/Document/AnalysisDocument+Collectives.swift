import FabricStats

extension AnalysisDocument {
    /// A ring collective found in the capture, against the model's prediction.
    public struct CollectiveEntry: Encodable, Sendable, Equatable {
        public var kind = "ring_allreduce"
        public var ranks: Int
        /// Hosts in ring order.
        public var hosts: [String]
        public var bytesPerRank: Int
        /// Busy periods separated by idle gaps longer than `--idle-gap` (compute phases).
        public var iterations: Int
        /// The all-reduce size of one iteration: bytes per rank and iteration = 2(n−1)/n · S.
        public var inferredAllreduceBytes: Double
        /// First to last packet of the ring's traffic (all iterations and the gaps between).
        public var measuredNs: Int64
        /// Median busy period: the time of one iteration.
        public var measuredIterationNs: Int64?
        public var modelLatencyNs: Double?
        public var modelBandwidthBps: Double?
        /// α-β time of one all-reduce of the inferred size on the estimated link.
        public var predictedNs: Double?
        /// With the measured jitter (ring Monte Carlo).
        public var predictedWithJitterNs: Double?
        /// predicted ÷ measured (one iteration): how much of the observed time the model explains.
        public var efficiency: Double?
        /// The time (with the measured jitter) if every link ran at the straggler's
        /// rate: a ring goes at the pace of its slowest link.
        public var predictedAtStragglerNs: Double?
        public var straggler: Straggler
        public var notes: [String]

        public struct Straggler: Encodable, Sendable, Equatable {
            public var src: String
            public var dst: String
            public var destQPs: [UInt32]
            public var reason: String
            public var inMessageBps: Double?
            public var ackLatencyP99Ns: Int64?

            enum CodingKeys: String, CodingKey {
                case src, dst, destQPs = "dest_qps", reason, inMessageBps = "in_message_bps"
                case ackLatencyP99Ns = "ack_latency_p99_ns"
            }
        }

        enum CodingKeys: String, CodingKey {
            case kind, ranks, hosts, bytesPerRank = "bytes_per_rank", inferredAllreduceBytes = "inferred_allreduce_bytes"
            case iterations, measuredIterationNs = "measured_iteration_ns"
            case measuredNs = "measured_ns", modelLatencyNs = "model_latency_ns", modelBandwidthBps = "model_bandwidth_bps"
            case predictedNs = "predicted_ns", predictedWithJitterNs = "predicted_with_jitter_ns", efficiency
            case predictedAtStragglerNs = "predicted_at_straggler_ns"
            case straggler, notes
        }
    }

    /// Finds ring collectives in `summary` and sets them against the model.
    static func collectives(in summary: AnalysisSummary) -> [CollectiveEntry] {
        let rings = DetectedRing.find(in: summary)
        guard !rings.isEmpty else { return [] }
        let estimate = LinkEstimate(summary: summary)
        return rings.map { ring in
            let slow = ring.straggler
            // Computed once: each evaluation walks every edge's burst histogram.
            let iterationNs = ring.iterationNs
            let byRate = ring.edges.allSatisfy { $0.inMessageBitsPerSecond != nil }
            var entry = CollectiveEntry(
                ranks: ring.ranks, hosts: ring.hosts.map(\.description), bytesPerRank: ring.bytesPerRank,
                iterations: ring.iterations, inferredAllreduceBytes: ring.inferredAllReduceBytes, measuredNs: ring.spanNs,
                measuredIterationNs: iterationNs,
                straggler: .init(
                    src: slow.source.description, dst: slow.destination.description,
                    destQPs: slow.flows.map(\.destQP).sorted(),
                    reason: byRate ? "lowest rate within messages" : "highest p99 request→ACK latency",
                    inMessageBps: slow.inMessageBitsPerSecond, ackLatencyP99Ns: slow.ackLatencyP99Ns),
                notes: [
                    "A ring: every host writes to one successor with similar byte counts (within 1.5×).",
                    "Iterations are busy periods separated by pauses longer than --idle-gap; efficiency compares "
                        + "the model with the median iteration.",
                ])
            if let estimate {
                let cost = AlphaBetaModel.cost(.allreduce, .ring, ranks: ring.ranks, bytes: ring.inferredAllReduceBytes,
                                               link: estimate.link)
                // 200 replications: the mean is what is reported here, and it settles fast.
                var model = CompletionModel(jitter: estimate.jitter)
                model.replications = 200
                let completion = model.evaluate(
                    .allreduce, .ring, ranks: ring.ranks, bytes: ring.inferredAllReduceBytes, link: estimate.link)
                entry.modelLatencyNs = estimate.link.latencyNs
                entry.modelBandwidthBps = estimate.link.bytesPerSecond * 8
                entry.predictedNs = cost.totalNs
                entry.predictedWithJitterNs = completion.expectedNs
                let measured = iterationNs ?? ring.spanNs
                entry.efficiency = measured > 0 ? completion.expectedNs / Double(measured) : nil
                if let rate = slow.inMessageBitsPerSecond {
                    var slowLink = estimate.link
                    slowLink.bytesPerSecond = rate / 8
                    entry.predictedAtStragglerNs = model.evaluate(
                        .allreduce, .ring, ranks: ring.ranks, bytes: ring.inferredAllReduceBytes, link: slowLink).expectedNs
                }
                entry.notes += estimate.method
            }
            return entry
        }
    }
}
