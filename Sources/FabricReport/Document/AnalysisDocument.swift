import FabricHealth
import FabricIngest
import FabricStats

/// The `analyze` result as other tools read it (JSON; schema in
/// `docs/schema/analyze.schema.json`). Field names are a public contract: add
/// fields freely, rename or remove only with a new `schema_version`.
public struct AnalysisDocument: Encodable, Sendable, Equatable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var capture: CaptureSection
    public var flows: [FlowEntry]
    public var pfc: [PauseEntry]
    /// What these numbers can and cannot say, given this capture.
    public var notes: [String]
    /// With `--tap A --tap B`: delay and IPDV between the two taps.
    public var taps: TapsSection?
    /// Ring collectives found in the capture, against the collective model.
    public var collectives: [CollectiveEntry] = []
    /// The health checks against the default absolute limits, per link and over the
    /// fabric (those of `health`, without a baseline): what the report's headline shows.
    public var health: HealthSection?
    /// Flows of the summary left without an entry because only the largest were
    /// asked for (`init(summary:listingFirst:)`); not part of the JSON.
    public internal(set) var flowsWithoutEntries = 0

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", capture, flows, pfc, notes, taps, collectives, health
    }

    /// The checks that warn or fail, worst first, and how many passed. The passing
    /// ones are only counted: a capture of 10⁵ links has a quarter of a million, and
    /// `fabricscope health --all` lists them.
    public struct HealthSection: Encodable, Sendable, Equatable {
        public var status: HealthReport.Status
        public var headline: String
        public var checks: [HealthReport.Check]
        public var passed: Int
    }

    public struct CaptureSection: Encodable, Sendable, Equatable {
        public var packets: Int
        public var rocePackets: Int
        public var otherPackets: Int
        public var pfcFrames: Int
        public var truncatedRocePackets: Int
        public var wireBytes: Int
        public var startNs: Int64?
        public var endNs: Int64?
        public var timestampResolutionNs: Double
        public var linkTypes: [String]
        public var files: [FileEntry]
        public var reportedDrops: Int
        /// Responses and CNPs whose flow could not be paired with the flow they answer.
        public var unpairedResponses: Int
        /// Connections whose CM REQ/REP exchange was in the capture (paired exactly).
        public var cmConnections: Int
        public var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case packets, rocePackets = "roce_packets", otherPackets = "other_packets"
            case pfcFrames = "pfc_frames", truncatedRocePackets = "truncated_roce_packets"
            case wireBytes = "wire_bytes", startNs = "start_ns", endNs = "end_ns"
            case timestampResolutionNs = "timestamp_resolution_ns", linkTypes = "link_types"
            case files, reportedDrops = "reported_drops", unpairedResponses = "unpaired_responses"
            case cmConnections = "cm_connections", warnings
        }
    }

    public struct FileEntry: Encodable, Sendable, Equatable {
        public var path: String
        public var format: String
        public var linkType: String
        public var timestampResolutionNs: Double
        public var records: Int

        enum CodingKeys: String, CodingKey {
            case path, format, linkType = "link_type"
            case timestampResolutionNs = "timestamp_resolution_ns", records
        }
    }

    public struct FlowEntry: Encodable, Sendable, Equatable {
        public var src: String
        public var dst: String
        public var destQP: UInt32
        public var encapsulation: String
        public var vlan: UInt16?
        public var dscp: UInt8?
        public var packets: Int
        public var wireBytes: Int
        public var payloadBytes: Int
        public var opcodes: [String: Int]
        public var startNs: Int64
        public var endNs: Int64
        public var acks: Int
        public var naks: [String: Int]
        public var cnpPackets: Int
        public var ecn: ECN
        public var fecnPackets: Int
        public var becnPackets: Int
        public var truncatedHeaders: Int
        public var throughputBps: Throughput
        /// For response flows: the destination QP of the request flow they answer.
        public var answersQP: UInt32?
        public var requester: RequesterEntry?
        public var ackLatencyNs: DistributionEntry?
        public var readLatencyNs: DistributionEntry?
        public var readCompletionNs: DistributionEntry?
        public var atomicLatencyNs: DistributionEntry?
        public var gapNs: DistributionEntry?
        public var jitterNs: JitterEntry?
        public var cnp: CNPEntry?
        public var timeseries: TimeSeriesEntry?

        enum CodingKeys: String, CodingKey {
            case src, dst, destQP = "dest_qp", encapsulation, vlan, dscp, packets
            case wireBytes = "wire_bytes", payloadBytes = "payload_bytes", opcodes
            case startNs = "start_ns", endNs = "end_ns", acks, naks, cnpPackets = "cnp_packets", ecn
            case fecnPackets = "fecn_packets", becnPackets = "becn_packets"
            case truncatedHeaders = "truncated_headers", throughputBps = "throughput_bps"
            case answersQP = "answers_qp", ackLatencyNs = "ack_latency_ns"
            case readLatencyNs = "read_latency_ns", readCompletionNs = "read_completion_ns"
            case atomicLatencyNs = "atomic_latency_ns", gapNs = "gap_ns", jitterNs = "jitter_ns", cnp, timeseries
        }

        /// The requester's fields (retransmissions, PSN gaps, goodput…) sit directly in
        /// the flow object, present only on flows that carry requests.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(src, forKey: .src)
            try container.encode(dst, forKey: .dst)
            try container.encode(destQP, forKey: .destQP)
            try container.encode(encapsulation, forKey: .encapsulation)
            try container.encodeIfPresent(vlan, forKey: .vlan)
            try container.encodeIfPresent(dscp, forKey: .dscp)
            try container.encode(packets, forKey: .packets)
            try container.encode(wireBytes, forKey: .wireBytes)
            try container.encode(payloadBytes, forKey: .payloadBytes)
            try container.encode(opcodes, forKey: .opcodes)
            try container.encode(startNs, forKey: .startNs)
            try container.encode(endNs, forKey: .endNs)
            try container.encode(acks, forKey: .acks)
            try container.encode(naks, forKey: .naks)
            try container.encode(cnpPackets, forKey: .cnpPackets)
            try container.encode(ecn, forKey: .ecn)
            try container.encode(fecnPackets, forKey: .fecnPackets)
            try container.encode(becnPackets, forKey: .becnPackets)
            try container.encode(truncatedHeaders, forKey: .truncatedHeaders)
            try container.encode(throughputBps, forKey: .throughputBps)
            try container.encodeIfPresent(answersQP, forKey: .answersQP)
            try container.encodeIfPresent(ackLatencyNs, forKey: .ackLatencyNs)
            try container.encodeIfPresent(readLatencyNs, forKey: .readLatencyNs)
            try container.encodeIfPresent(readCompletionNs, forKey: .readCompletionNs)
            try container.encodeIfPresent(atomicLatencyNs, forKey: .atomicLatencyNs)
            try container.encodeIfPresent(gapNs, forKey: .gapNs)
            try container.encodeIfPresent(jitterNs, forKey: .jitterNs)
            try container.encodeIfPresent(cnp, forKey: .cnp)
            try container.encodeIfPresent(timeseries, forKey: .timeseries)
            try requester?.encode(to: encoder)
        }
    }

    public struct ECN: Encodable, Sendable, Equatable {
        public var ectPackets: Int
        public var cePackets: Int
        /// CE ÷ ECN-capable packets; null without ECN-capable packets.
        public var ceFraction: Double?

        enum CodingKeys: String, CodingKey {
            case ectPackets = "ect_packets", cePackets = "ce_packets", ceFraction = "ce_fraction"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ectPackets, forKey: .ectPackets)
            try container.encode(cePackets, forKey: .cePackets)
            try container.encode(ceFraction, forKey: .ceFraction)  // explicit null, never omitted
        }
    }

    public struct Throughput: Encodable, Sendable, Equatable {
        /// Wire bits per second over the flow's active span; null for one timestamp.
        public var mean: Double?
        public var peak: Double
        public var windowNs: Int64

        enum CodingKeys: String, CodingKey { case mean, peak, windowNs = "window_ns" }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(mean, forKey: .mean)  // explicit null, never omitted
            try container.encode(peak, forKey: .peak)
            try container.encode(windowNs, forKey: .windowNs)
        }
    }

    public struct PauseEntry: Encodable, Sendable, Equatable {
        public var sourceMAC: String
        public var priority: Int
        public var xoffFrames: Int
        public var xonFrames: Int
        public var pauseQuanta: Int
        public var pauseNs: Double
        public var linkSpeedBps: Double
        public var firstNs: Int64
        public var lastNs: Int64
        /// Time actually paused, from the frame timeline.
        public var pausedNs: Int64
        public var longestPauseNs: Int64
        /// Paused time per second of capture (Collie's "pause duration per second").
        public var pauseNsPerSecond: Double?
        public var storms: [PauseTimeline.Storm]

        enum CodingKeys: String, CodingKey {
            case sourceMAC = "source_mac", priority, xoffFrames = "xoff_frames", xonFrames = "xon_frames"
            case pauseQuanta = "pause_quanta", pauseNs = "pause_ns", linkSpeedBps = "link_speed_bps"
            case firstNs = "first_ns", lastNs = "last_ns", pausedNs = "paused_ns"
            case longestPauseNs = "longest_pause_ns", pauseNsPerSecond = "pause_ns_per_s", storms
        }
    }
}
