import FabricWire
import FabricJSON
import FabricModels
import FabricCompare
import FabricHealth
import FabricIngest
import FabricStats

/// The `analyze` result as other tools read it (JSON; schema in
/// `docs/schema/analyze.schema.json`). Field names are a public contract: add
/// fields freely, rename or remove only with a new `schema_version`.
public struct AnalysisDocument: KeyOrderedEncodable, Sendable, Equatable {
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
    /// Hosts that trade data as a collective does but form no ring (nil: none).
    public var otherCollectives: [GroupEntry]?
    /// The health checks against the default absolute limits, per link and over the
    /// fabric (those of `health`, without a baseline): what the report's headline shows.
    public var health: HealthSection?
    /// RoCE's classes and the ECMP spread of its QPs, when the summary kept them.
    public var qos: QosSection?
    public var ecmp: EcmpSection?
    /// Every switch and port the links cross, with `--topology`.
    public var switches: [SwitchEntry]?
    /// Flows of the summary left without an entry because only the largest were
    /// asked for (`init(summary:listingFirst:)`); not part of the JSON.
    public internal(set) var flowsWithoutEntries = 0
    /// The listed flows' entries when they are made only as the JSON is written
    /// (`init(summary:…entriesWhenWritten:)`); `flows` is then empty. Not part of the
    /// JSON itself: it is the JSON's `flows`.
    public internal(set) var deferredEntries: DeferredEntries?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", capture, flows, pfc, notes, taps, collectives, health, qos, ecmp, switches
        case otherCollectives = "other_collectives"
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
        /// The switch mirrors and tunnels the records came through (absent for a
        /// capture taken on the link itself).
        public var mirrors: [MirrorEntry]?
        /// Copies the mirrors' sequence numbers say the capture never received.
        public var mirrorLostCopies: Int?
        /// Copies of packets already counted, from another mirror point (not counted again).
        public var mirrorDuplicateCopies: Int?
        /// Records not decoded because a tunnel around them could not be read, by reason.
        public var undecoded: [String: Int]?

        enum CodingKeys: String, CodingKey {
            case packets, rocePackets = "roce_packets", otherPackets = "other_packets"
            case pfcFrames = "pfc_frames", truncatedRocePackets = "truncated_roce_packets"
            case wireBytes = "wire_bytes", startNs = "start_ns", endNs = "end_ns"
            case timestampResolutionNs = "timestamp_resolution_ns", linkTypes = "link_types"
            case files, reportedDrops = "reported_drops", unpairedResponses = "unpaired_responses"
            case cmConnections = "cm_connections", warnings, mirrors, mirrorLostCopies = "mirror_lost_copies"
            case mirrorDuplicateCopies = "mirror_duplicate_copies"
            case undecoded
        }
    }

    /// One mirror point: a switch's mirror session or a tunnel (see `MirrorPoint`).
    public struct MirrorEntry: Encodable, Sendable, Equatable {
        public var switchAddress: String
        public var kind: String
        public var session: UInt32
        public var records: Int
        public var sequencedRecords: Int
        public var lostCopies: Int
        public var sequenceRegressions: Int
        public var truncatedBySwitch: Int
        public var hardwareTimestampGranularity: String?

        enum CodingKeys: String, CodingKey {
            case switchAddress = "switch", kind, session, records, sequencedRecords = "sequenced_records"
            case lostCopies = "lost_copies", sequenceRegressions = "sequence_regressions"
            case truncatedBySwitch = "truncated_by_switch", hardwareTimestampGranularity = "hardware_timestamp_granularity"
        }

        init(_ point: MirrorPoint) {
            switchAddress = point.switchAddress.description
            kind = point.kind
            session = point.session
            records = point.records
            sequencedRecords = point.sequencedRecords
            lostCopies = point.lostCopies
            sequenceRegressions = point.sequenceRegressions
            truncatedBySwitch = point.truncatedBySwitch
            hardwareTimestampGranularity = point.hardwareTimestampGranularity
        }
    }

    public struct FileEntry: Encodable, Sendable, Equatable {
        public var path: String
        public var format: String
        public var linkType: String
        public var timestampResolutionNs: Double
        public var records: Int
        /// Records timed by an ERSPAN III switch's 100 ns clock (absent when none).
        public var switchClockRecords: Int?

        enum CodingKeys: String, CodingKey {
            case path, format, linkType = "link_type"
            case timestampResolutionNs = "timestamp_resolution_ns", records, switchClockRecords = "switch_clock_records"
        }
    }

    public struct FlowEntry: KeyOrderedEncodable, Sendable, Equatable {
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
        /// the flow object, present only on flows that carry requests. Members are
        /// written in key order (`SortedJSONObject`): flows are nearly all of a report.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            typealias Requester = RequesterEntry.CodingKeys
            try object.encodeIfPresent(ackLatencyNs, forKey: CodingKeys.ackLatencyNs)
            try object.encode(acks, forKey: CodingKeys.acks)
            try object.encodeIfPresent(requester?.ambiguousSamples, forKey: Requester.ambiguousSamples)
            try object.encodeIfPresent(answersQP, forKey: CodingKeys.answersQP)
            try object.encodeIfPresent(atomicLatencyNs, forKey: CodingKeys.atomicLatencyNs)
            try object.encode(becnPackets, forKey: CodingKeys.becnPackets)
            try object.encodeIfPresent(requester?.cmReconnections, forKey: Requester.cmReconnections)
            try object.encodeIfPresent(requester?.cmStartingPSN, forKey: Requester.cmStartingPSN)
            try object.encodeIfPresent(cnp, forKey: CodingKeys.cnp)
            try object.encode(cnpPackets, forKey: CodingKeys.cnpPackets)
            try object.encode(destQP, forKey: CodingKeys.destQP)
            try object.encodeIfPresent(dscp, forKey: CodingKeys.dscp)
            try object.encode(dst, forKey: CodingKeys.dst)
            try object.encode(ecn, forKey: CodingKeys.ecn)
            try object.encode(encapsulation, forKey: CodingKeys.encapsulation)
            try object.encode(endNs, forKey: CodingKeys.endNs)
            try object.encode(fecnPackets, forKey: CodingKeys.fecnPackets)
            try object.encodeIfPresent(requester?.firstPSN, forKey: Requester.firstPSN)
            try object.encodeIfPresent(gapNs, forKey: CodingKeys.gapNs)
            try object.encodeIfPresent(requester?.goodputBps, forKey: Requester.goodputBps)
            try object.encodeIfPresent(requester?.goodputBytes, forKey: Requester.goodputBytes)
            try object.encodeIfPresent(jitterNs, forKey: CodingKeys.jitterNs)
            try object.encodeIfPresent(requester?.mirrorDuplicates, forKey: Requester.mirrorDuplicates)
            try object.encode(naks, forKey: CodingKeys.naks)
            try object.encode(opcodes, forKey: CodingKeys.opcodes)
            try object.encode(packets, forKey: CodingKeys.packets)
            try object.encode(payloadBytes, forKey: CodingKeys.payloadBytes)
            try object.encodeIfPresent(requester?.psnGaps, forKey: Requester.psnGaps)
            try object.encodeIfPresent(readCompletionNs, forKey: CodingKeys.readCompletionNs)
            try object.encodeIfPresent(readLatencyNs, forKey: CodingKeys.readLatencyNs)
            try object.encodeIfPresent(requester?.requesterQP, forKey: Requester.requesterQP)
            try object.encodeIfPresent(requester?.retransmissionEpisodeCount, forKey: Requester.retransmissionEpisodeCount)
            try object.encodeIfPresent(requester?.retransmissionEpisodes, forKey: Requester.retransmissionEpisodes)
            try object.encodeIfPresent(requester?.retransmittedBytes, forKey: Requester.retransmittedBytes)
            try object.encodeIfPresent(requester?.retransmittedPackets, forKey: Requester.retransmittedPackets)
            try object.encode(src, forKey: CodingKeys.src)
            try object.encode(startNs, forKey: CodingKeys.startNs)
            try object.encode(throughputBps, forKey: CodingKeys.throughputBps)
            try object.encodeIfPresent(timeseries, forKey: CodingKeys.timeseries)
            try object.encode(truncatedHeaders, forKey: CodingKeys.truncatedHeaders)
            try object.encodeIfPresent(requester?.unacknowledgedDropped, forKey: Requester.unacknowledgedDropped)
            try object.encodeIfPresent(requester?.unmatchedResponses, forKey: Requester.unmatchedResponses)
            try object.encodeIfPresent(vlan, forKey: CodingKeys.vlan)
            try object.encode(wireBytes, forKey: CodingKeys.wireBytes)
        }
    }

    public struct ECN: KeyOrderedEncodable, Sendable, Equatable {
        public var ectPackets: Int
        public var cePackets: Int
        /// CE ÷ ECN-capable packets; null without ECN-capable packets.
        public var ceFraction: Double?

        enum CodingKeys: String, CodingKey {
            case ectPackets = "ect_packets", cePackets = "ce_packets", ceFraction = "ce_fraction"
        }

        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encodeOrNull(ceFraction, forKey: CodingKeys.ceFraction)  // explicit null, never omitted
            try object.encode(cePackets, forKey: CodingKeys.cePackets)
            try object.encode(ectPackets, forKey: CodingKeys.ectPackets)
        }
    }

    public struct Throughput: KeyOrderedEncodable, Sendable, Equatable {
        /// Wire bits per second over the flow's active span; null for one timestamp.
        public var mean: Double?
        public var peak: Double
        public var windowNs: Int64

        enum CodingKeys: String, CodingKey { case mean, peak, windowNs = "window_ns" }

        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encodeOrNull(mean, forKey: CodingKeys.mean)  // explicit null, never omitted
            try object.encode(peak, forKey: CodingKeys.peak)
            try object.encode(windowNs, forKey: CodingKeys.windowNs)
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
