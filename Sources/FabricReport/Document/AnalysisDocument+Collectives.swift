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
        /// The link that stands apart as slowest; nil when the links are even.
        public var straggler: Straggler?
        /// No link stands apart: the slowest is within the others' spread (or 5 %).
        public var linksEven: Bool
        /// How iterations were told apart: `traffic` (the pauses form two groups; the
        /// long ones, on every link, separate iterations), `idle_gap` (--idle-gap),
        /// `none` (one busy period), `bursts` (older summary).
        public var iterationBoundary: String
        /// The pause that separates iterations, when there are several.
        public var idleGapNs: Double?
        /// False when ring-wide stalls (timeouts) are as long as the pauses between
        /// iterations, so some "iterations" may be stalls.
        public var iterationsCertain: Bool
        /// Why an efficiency above 100 % cannot be taken at face value.
        public var efficiencyProblem: String?
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
            case straggler, linksEven = "links_even", iterationBoundary = "iteration_boundary"
            case idleGapNs = "idle_gap_ns", iterationsCertain = "iterations_certain"
            case efficiencyProblem = "efficiency_problem", notes
        }
    }

    /// Finds ring collectives in `summary` and sets them against the model.
    static func collectives(in summary: AnalysisSummary) -> [CollectiveEntry] {
        let rings = DetectedRing.find(in: summary)
        guard !rings.isEmpty else { return [] }
        let estimate = LinkEstimate(summary: summary)
        return rings.map { ring in
            let slow = ring.straggler(resolutionNs: summary.resolutionNs)
            // Computed once: each evaluation walks every edge's pauses.
            let iterationNs = ring.iterationNs
            let byRate = ring.comparesByRate
            let stalls = ring.stallsAsLongAsIdleGap
            var notes = ["A ring: every host writes to one successor with similar byte counts (within 1.5×)."]
            switch ring.boundary {
            case .traffic:
                notes.append("Iterations are busy periods split at pauses of at least "
                    + "\(AnalysisDocument.formatNs((ring.idleGapNs ?? 0).rounded())), where the pauses between messages "
                    + "fall into two groups and every link pauses; efficiency compares the model with the median iteration.")
            case .idleGap:
                notes.append("Iterations are busy periods split at pauses of at least --idle-gap.")
            case .none:
                notes.append("The pauses between messages form one group: the capture holds one busy period (iteration).")
            case .bursts:
                notes.append("Iterations are busy periods split at the summary's idle gap (an older summary).")
            }
            if stalls > 0 {
                notes.append("\(stalls) timeout retransmission(s) stalled the ring about as long as the pause between "
                    + "iterations; each was taken for a stall, not a boundary (a stall idles every other link once), "
                    + "which is a guess: give --idle-gap to set the boundary.")
            }
            if ring.boundary == .none, ring.timeoutStalls > 0 {
                notes.append("\(ring.timeoutStalls) timeout retransmission(s) stalled the ring: a pause between "
                    + "iterations may hide among them, so the capture may hold more than one iteration; give --idle-gap "
                    + "to set the boundary.")
            }
            if slow == nil {
                notes.append(byRate ? "No straggler: every link's rate within messages is within the others' spread (or 5 %)."
                    : "No straggler: every link's p99 request→ACK latency is within the others' spread (or 5 %).")
            }
            var entry = CollectiveEntry(
                ranks: ring.ranks, hosts: ring.hosts.map(\.description), bytesPerRank: ring.bytesPerRank,
                iterations: ring.iterations, inferredAllreduceBytes: ring.inferredAllReduceBytes, measuredNs: ring.spanNs,
                measuredIterationNs: iterationNs,
                straggler: slow.map { slow in .init(
                    src: slow.source.description, dst: slow.destination.description,
                    destQPs: slow.flows.map(\.destQP).sorted(),
                    reason: byRate ? "lowest rate within messages" : "highest p99 request→ACK latency",
                    inMessageBps: slow.inMessageBitsPerSecond, ackLatencyP99Ns: slow.ackLatencyP99Ns) },
                linksEven: slow == nil, iterationBoundary: ring.boundary.rawValue, idleGapNs: ring.idleGapNs,
                iterationsCertain: ring.iterationsCertain, notes: notes)
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
                if let efficiency = entry.efficiency, efficiency > 1 {
                    entry.efficiencyProblem = AnalysisDocument.efficiencyProblem(
                        ring: ring, measuredNs: Double(measured), link: estimate.link, stalls: stalls,
                        resolutionNs: summary.resolutionNs)
                }
                if let rate = slow?.inMessageBitsPerSecond {
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

extension AnalysisDocument {
    /// The model cannot take longer than what was measured unless one of its inputs
    /// is wrong: name the one the numbers point to.
    static func efficiencyProblem(
        ring: DetectedRing, measuredNs: Double, link: LinkParameters, stalls: Int, resolutionNs: Double
    ) -> String {
        let n = Double(ring.ranks)
        let wireNs = 2 * (n - 1) / n * ring.inferredAllReduceBytes / link.bytesPerSecond * 1e9
        if stalls > 0 {
            return "efficiency above 100 %: \(stalls) timeout stall(s) idled the ring about as long as the pause between "
                + "iterations, so the iteration boundaries (and the time per iteration) are uncertain; give --idle-gap"
        }
        if wireNs > measuredNs {
            var causes: [String] = []
            if ring.iterations > 1 {
                causes.append("the \(ring.iterations) iterations found are too many (pauses inside an iteration were "
                    + "taken for boundaries)")
            }
            causes.append(resolutionNs >= 100
                ? "the link rate is underestimated: with \(AnalysisDocument.formatNs(resolutionNs)) timestamps the gaps "
                    + "between packets of a message cannot be timed (give the model --bandwidth, or capture with ns timestamps)"
                : "the link rate is underestimated")
            causes.append("the traffic is not a ring all-reduce (its size is inferred as one)")
            return "efficiency above 100 %: an iteration measured \(AnalysisDocument.formatNs(measuredNs.rounded())) "
                + "but moving its bytes at the estimated link rate (\(Units.bitRate(link.bytesPerSecond * 8))) takes "
                + "\(AnalysisDocument.formatNs(wireNs.rounded())); either " + causes.joined(separator: ", or ")
        }
        return "efficiency above 100 %: the model's per-step latency α (\(AnalysisDocument.formatNs(link.latencyNs.rounded()))) "
            + "is more than the traffic shows between steps; α comes from request→ACK latency, which includes "
            + "the responder's own delay"
    }
}
