import FabricWire
import FabricCompare
import FabricHealth
import FabricMetrics
import FabricModels
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
        /// The all-reduce size of one iteration: bytes per rank and iteration = 2(n−1)/n · S
        /// (only for an all-reduce; see `inferredSizeBytes`).
        public var inferredAllreduceBytes: Double?
        /// nccl-tests' size of one iteration for the kind found: 2(n−1)/n · S per rank for
        /// an all-reduce, (n−1)/n · S for an all-gather or reduce-scatter (nil: unrecognised).
        public var inferredSizeBytes: Double?
        /// Messages each queue pair started per busy period, which decided the kind.
        public var messagesPerPeriod: [Int]
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
        /// Why the count is uncertain: `timeout_stalls` (stalls as long as the pause
        /// between iterations, or hiding one) or `back_to_back` (no pause separates
        /// iterations and the links carried more messages than one iteration's steps).
        public var iterationsUncertain: String?
        /// Why an efficiency above 100 % cannot be taken at face value.
        public var efficiencyProblem: String?
        /// The ring's busy periods (nccl-tests' sizes, training steps), each with the bus
        /// bandwidth nccl-tests would print for it; absent when they cannot be cut exactly.
        public var phases: [Phase]?
        public var notes: [String]

        public struct Phase: Encodable, Sendable, Equatable {
            public var startNs: Int64
            public var durationNs: Int64
            public var bytesPerRank: Int
            public var busbwBps: Double
            public var algbwBps: Double?
            public var slowestLink: String
            public var slowestLinkBps: Double
            /// No link stands apart in the period (its slowest is within the others' noise).
            public var linksEven: Bool

            enum CodingKeys: String, CodingKey {
                case startNs = "start_ns", durationNs = "duration_ns", bytesPerRank = "bytes_per_rank"
                case busbwBps = "busbw_bps", algbwBps = "algbw_bps", slowestLink = "slowest_link"
                case slowestLinkBps = "slowest_link_bps", linksEven = "links_even"
            }
        }

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
            case inferredSizeBytes = "inferred_size_bytes", messagesPerPeriod = "messages_per_period"
            case iterations, measuredIterationNs = "measured_iteration_ns"
            case measuredNs = "measured_ns", modelLatencyNs = "model_latency_ns", modelBandwidthBps = "model_bandwidth_bps"
            case predictedNs = "predicted_ns", predictedWithJitterNs = "predicted_with_jitter_ns", efficiency
            case predictedAtStragglerNs = "predicted_at_straggler_ns"
            case straggler, linksEven = "links_even", iterationBoundary = "iteration_boundary"
            case idleGapNs = "idle_gap_ns", iterationsCertain = "iterations_certain"
            case iterationsUncertain = "iterations_uncertain"
            case efficiencyProblem = "efficiency_problem", phases, notes
        }
    }

    /// Hosts in order for a line of text, the middle elided past 16 hosts.
    static func path(_ hosts: [String]) -> String {
        guard hosts.count > 16 else { return hosts.joined(separator: " → ") }
        return hosts.prefix(8).joined(separator: " → ") + " → … (\(hosts.count - 12) more) … → "
            + hosts.suffix(4).joined(separator: " → ")
    }

    /// The rings found in a summary, in words and numbers.
    static func collectives(_ findings: [RingFinding]) -> [CollectiveEntry] {
        findings.map(CollectiveEntry.init)
    }
}

extension AnalysisDocument.CollectiveEntry {
    init(_ finding: RingFinding) {
        let ring = finding.ring
        let slow = finding.straggler
        let byRate = finding.comparesByRate
        var notes = ["A ring: every host writes to one successor with similar byte counts (within 1.5×)."]
        switch ring.boundary {
        case .traffic:
            notes.append("Iterations are busy periods split at pauses of at least "
                + "\(Units.resolution((ring.idleGapNs ?? 0).rounded())), where the pauses between messages "
                + "fall into two groups and every link pauses; efficiency compares the model with the median iteration.")
        case .idleGap:
            notes.append("Iterations are busy periods split at pauses of at least --idle-gap.")
        case .none:
            notes.append("The pauses between messages form one group: the capture holds one busy period (iteration).")
        case .bursts:
            notes.append("Iterations are busy periods split at the summary's idle gap (an older summary).")
        }
        if finding.stallsAtBoundary > 0 {
            notes.append("\(finding.stallsAtBoundary) timeout retransmission(s) stalled the ring about as long as the pause "
                + "between iterations; each was taken for a stall, not a boundary (a stall idles every other link once), "
                + "which is a guess: give --idle-gap to set the boundary.")
        }
        if ring.boundary == .none, finding.timeoutStalls > 0 {
            notes.append("\(finding.timeoutStalls) timeout retransmission(s) stalled the ring: a pause between "
                + "iterations may hide among them, so the capture may hold more than one iteration; give --idle-gap "
                + "to set the boundary.")
        }
        if case .backToBack(let messages, let steps) = finding.uncertainty {
            let periods = finding.iterations == 1 ? "one busy period" : "\(finding.iterations) busy periods"
            notes.append("Iteration count uncertain: each link carried \(messages) messages in \(periods), where one "
                + "ring \(finding.ring.kind == .allReduce ? "all-reduce" : "all-gather or reduce-scatter") takes \(steps) steps. Either iterations ran back to back (nccl-tests' timed loop: "
                + "it pauses between sizes, not between iterations) or each step was split into several messages "
                + "(NCCL's slices, channels); the traffic alone cannot tell, so no iteration time, size or efficiency "
                + "is given and no check rests on them. Give --idle-gap if iterations were separated by compute.")
        }
        if finding.uncertainty != nil, finding.model == nil {
            notes.append("No model comparison: the size of one all-reduce and the time of one iteration rest on the "
                + "iteration count.")
        }
        let reading = ring.kindReading
        let steps = "(\(ring.ranks - 1) steps for an all-gather or reduce-scatter, \(2 * (ring.ranks - 1)) for an all-reduce)"
        switch reading.kind {
        case .allReduce where !reading.messagesPerPeriod.isEmpty:
            notes.append("A ring all-reduce: every busy period's messages per queue pair are a multiple of 2(n−1) "
                + "steps \(steps). An all-gather whose every step took an even number of messages would look the same.")
        case .allGatherOrReduceScatter:
            notes.append("A ring all-gather or reduce-scatter, not an all-reduce: messages per queue pair in a busy "
                + "period are an odd multiple of n−1 steps \(steps). The two put the same steps and bytes on the wire; "
                + "the size given is nccl-tests' (the whole buffer), modelled as an all-gather.")
        case .unrecognised:
            notes.append("Not a ring collective we know: the messages per queue pair (\(reading.messagesPerPeriod.map(String.init).joined(separator: ", "))) "
                + "are no multiple of n−1 steps \(steps) in any busy period; bandwidth per period is given, nothing is modelled.")
        default: break
        }
        if !reading.partialPeriods.isEmpty, reading.kind != .unrecognised {
            notes.append("Busy period(s) \(reading.partialPeriods.map { String($0 + 1) }.joined(separator: ", ")) hold no whole "
                + "number of steps: a capture started or cut mid-iteration, or copies of first packets lost; their "
                + "bandwidth is given, the kind rests on the others.")
        }
        if slow == nil {
            notes.append(byRate ? "No straggler: every link's rate within messages is within the others' spread (or 5 %)."
                : "No straggler: every link's p99 request→ACK latency is within the others' spread (or 5 %).")
        }
        self.init(
            ranks: ring.ranks, hosts: ring.hosts.map(\.description), bytesPerRank: ring.bytesPerRank,
            iterations: finding.iterations, inferredAllreduceBytes: ring.kind == .allReduce ? ring.inferredBytes : nil,
            inferredSizeBytes: ring.inferredBytes, messagesPerPeriod: reading.messagesPerPeriod, measuredNs: ring.spanNs,
            measuredIterationNs: finding.iterationNs,
            straggler: slow.map { slow in .init(
                src: slow.source.description, dst: slow.destination.description,
                destQPs: slow.flows.map(\.destQP).sorted(),
                reason: byRate ? "lowest rate within messages" : "highest p99 request→ACK latency",
                inMessageBps: slow.inMessageBitsPerSecond, ackLatencyP99Ns: slow.ackLatencyP99Ns) },
            linksEven: slow == nil, iterationBoundary: ring.boundary.rawValue, idleGapNs: ring.idleGapNs,
            iterationsCertain: finding.iterationsCertain,
            iterationsUncertain: finding.uncertainty.map { uncertainty in
                switch uncertainty {
                case .timeoutStalls: "timeout_stalls"
                case .backToBack: "back_to_back"
                case .unrecognisedSteps: "unrecognised_steps"
                }
            }, notes: notes)
        kind = ring.kind.rawValue
        phases = finding.phases.map { phases in phases.map {
            Phase(startNs: $0.startNs, durationNs: $0.endNs - $0.startNs, bytesPerRank: $0.bytesPerRank,
                  busbwBps: $0.busBitsPerSecond, algbwBps: $0.algorithmBitsPerSecond,
                  slowestLink: "\($0.slowest.source)→\($0.slowest.destination)", slowestLinkBps: $0.slowest.bitsPerSecond,
                  linksEven: !$0.slowestStandsApart)
        } }
        guard let model = finding.model else { return }
        modelLatencyNs = model.link.latencyNs
        modelBandwidthBps = model.link.bytesPerSecond * 8
        predictedNs = model.predictedNs
        predictedWithJitterNs = model.predictedWithJitterNs
        efficiency = model.efficiency
        efficiencyProblem = model.problem.map(AnalysisDocument.CollectiveEntry.sentence)
        predictedAtStragglerNs = model.predictedAtStragglerNs
        self.notes += model.method
    }

    /// What an efficiency above 100 % points to, in words.
    static func sentence(_ problem: RingFinding.EfficiencyProblem) -> String {
        switch problem {
        case let .slowerThanWire(measuredNs, wireNs, linkBitsPerSecond, iterations, resolutionNs):
            var causes: [String] = []
            if iterations > 1 {
                causes.append("the \(iterations) iterations found are too many (pauses inside an iteration were "
                    + "taken for boundaries)")
            }
            causes.append(resolutionNs >= 100
                ? "the link rate is underestimated: with \(Units.resolution(resolutionNs)) timestamps the gaps "
                    + "between packets of a message cannot be timed (give the model --bandwidth, or capture with ns timestamps)"
                : "the link rate is underestimated")
            causes.append("the traffic is not a ring all-reduce (its size is inferred as one)")
            return "efficiency above 100 %: an iteration measured \(Units.resolution(measuredNs.rounded())) "
                + "but moving its bytes at the estimated link rate (\(Units.bitRate(linkBitsPerSecond))) takes "
                + "\(Units.resolution(wireNs.rounded())); either " + causes.joined(separator: ", or ")
        case .latency(let alphaNs):
            return "efficiency above 100 %: the model's per-step latency α (\(Units.resolution(alphaNs.rounded()))) "
                + "is more than the traffic shows between steps; α comes from request→ACK latency, which includes "
                + "the responder's own delay"
        }
    }
}

extension AnalysisDocument.CollectiveEntry {
    /// Why the iteration count is uncertain, in words for the table and the page.
    /// The ring's hosts in order for a line of text, the middle elided past 16 hosts
    /// (a 4,096-rank ring's line was 61,331 characters): "a → b → … (4,088 more) … → y → z".
    public var hostPath: String { AnalysisDocument.path(hosts) }

    /// The kind in words, for sentences.
    public var kindWords: String {
        switch kind {
        case RingKind.allGatherOrReduceScatter.rawValue: "ring all-gather or reduce-scatter"
        case RingKind.unrecognised.rawValue: "ring of unrecognised collective traffic"
        default: "ring all-reduce"
        }
    }

    public var uncertaintyWords: String? {
        switch iterationsUncertain {
        case "timeout_stalls": "timeout stalls blur the pauses between iterations"
        case "back_to_back": "iterations back to back, or steps split into several messages"
        case "unrecognised_steps": "its messages fit no ring collective's steps"
        case .some(let other): other
        case nil: nil
        }
    }
}
