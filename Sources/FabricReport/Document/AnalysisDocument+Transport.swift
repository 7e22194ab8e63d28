import FabricJSON
import FabricModels
import FabricCompare
import FabricHealth
import FabricStats

extension AnalysisDocument {
    /// A latency or gap distribution in ns. Percentiles carry HdrHistogram's 3
    /// significant digits; count, min, max, mean and stdev are exact.
    public struct DistributionEntry: KeyOrderedEncodable, Sendable, Equatable {
        public var count: Int
        public var min: Int64
        public var mean: Double
        public var stdev: Double
        public var p50: Int64
        public var p90: Int64
        public var p99: Int64
        public var p999: Int64
        public var p9999: Int64
        public var max: Int64
        /// Keys whose value is below the capture's timestamp resolution: noise, not measurement.
        public var belowResolution: [String]

        enum CodingKeys: String, CodingKey {
            case count, min, mean, stdev, p50, p90, p99, p999, p9999, max, belowResolution = "below_resolution"
        }

        init?(_ distribution: Distribution, resolutionNs: Double) {
            guard !distribution.isEmpty else { return nil }
            count = distribution.count
            min = distribution.minimum
            max = distribution.maximum
            mean = distribution.mean
            stdev = distribution.standardDeviation
            let percentiles = distribution.values(atPercentiles: [50, 90, 99, 99.9, 99.99])
            (p50, p90, p99, p999, p9999) = (percentiles[0], percentiles[1], percentiles[2], percentiles[3], percentiles[4])
            let values: [(String, Double)] = [
                ("min", Double(min)), ("p50", Double(p50)), ("p90", Double(p90)), ("p99", Double(p99)),
                ("p999", Double(p999)), ("p9999", Double(p9999)), ("max", Double(max)), ("stdev", stdev),
            ]
            belowResolution = resolutionNs > 1 ? values.filter { $0.1 < resolutionNs }.map(\.0) : []
        }

        /// In key order (`SortedJSONObject`): up to four of these per flow.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(belowResolution, forKey: CodingKeys.belowResolution)
            try object.encode(count, forKey: CodingKeys.count)
            try object.encode(max, forKey: CodingKeys.max)
            try object.encode(mean, forKey: CodingKeys.mean)
            try object.encode(min, forKey: CodingKeys.min)
            try object.encode(p50, forKey: CodingKeys.p50)
            try object.encode(p90, forKey: CodingKeys.p90)
            try object.encode(p99, forKey: CodingKeys.p99)
            try object.encode(p999, forKey: CodingKeys.p999)
            try object.encode(p9999, forKey: CodingKeys.p9999)
            try object.encode(stdev, forKey: CodingKeys.stdev)
        }
    }

    /// Variation of the request→ACK latency (one capture point).
    public struct JitterEntry: KeyOrderedEncodable, Sendable, Equatable {
        /// Packet delay variation, RFC 5481: latency − minimum latency, at percentiles.
        public var pdvP50: Int64
        public var pdvP99: Int64
        public var pdvP999: Int64
        public var pdvMax: Int64
        /// RFC 3550 §6.4.1 smoothed estimator over successive latencies.
        public var rfc3550: Double
        /// |Lᵢ − Lᵢ₋₁| between successive latency samples.
        public var successiveDelta: DistributionEntry?

        enum CodingKeys: String, CodingKey {
            case pdvP50 = "pdv_p50", pdvP99 = "pdv_p99", pdvP999 = "pdv_p999", pdvMax = "pdv_max", rfc3550
            case successiveDelta = "successive_delta"
        }

        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(pdvMax, forKey: CodingKeys.pdvMax)
            try object.encode(pdvP50, forKey: CodingKeys.pdvP50)
            try object.encode(pdvP99, forKey: CodingKeys.pdvP99)
            try object.encode(pdvP999, forKey: CodingKeys.pdvP999)
            try object.encode(rfc3550, forKey: CodingKeys.rfc3550)
            try object.encodeIfPresent(successiveDelta, forKey: CodingKeys.successiveDelta)
        }
    }

    public struct PSNGaps: KeyOrderedEncodable, Sendable, Equatable {
        /// Forward jumps in a request stream's PSNs.
        public var events: Int
        /// PSNs never seen: lost before the tap, or dropped by the capture.
        public var missingPSNs: Int
        /// Of `missingPSNs`, those the responder acknowledged with no retransmission:
        /// lost by the capture, not by the fabric.
        public var captureLostPSNs: Int

        enum CodingKeys: String, CodingKey {
            case events, missingPSNs = "missing_psns", captureLostPSNs = "capture_lost_psns"
        }

        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(captureLostPSNs, forKey: CodingKeys.captureLostPSNs)
            try object.encode(events, forKey: CodingKeys.events)
            try object.encode(missingPSNs, forKey: CodingKeys.missingPSNs)
        }
    }

    public struct CNPEntry: Encodable, Sendable, Equatable {
        public var count: Int
        public var ratePerSecond: Double?
        public var minGapNs: Int64?
        /// From the first CE-marked request (in the flow these CNPs answer) to the CNP.
        public var ecnToCnpNs: DistributionEntry?

        enum CodingKeys: String, CodingKey {
            case count, ratePerSecond = "rate_per_s", minGapNs = "min_gap_ns", ecnToCnpNs = "ecn_to_cnp_ns"
        }
    }

    /// What the requester side of a flow saw (present on flows that carry requests).
    public struct RequesterEntry: Encodable, Sendable, Equatable {
        /// The requester's own QP, learned from the paired response flow.
        public var requesterQP: UInt32?
        public var retransmittedPackets: Int
        public var retransmittedBytes: Int
        public var retransmissionEpisodeCount: Int
        public var retransmissionEpisodes: [RetransmissionEpisode]
        public var psnGaps: PSNGaps
        public var mirrorDuplicates: Int
        /// ACK samples skipped because the request was sent more than once (Karn).
        public var ambiguousSamples: Int
        public var unacknowledgedDropped: Int
        /// Payload of first transmissions.
        public var goodputBytes: Int
        public var goodputBps: Double?
        /// Responses whose PSN matched nothing this stream had outstanding.
        public var unmatchedResponses: Int = 0
        /// PSN of the first request seen, and what the CM exchange announced for it.
        public var firstPSN: UInt32?
        public var cmStartingPSN: UInt32?
        /// New CM exchanges that set the queue pair up again after traffic (absent when none).
        public var cmReconnections: Int?

        enum CodingKeys: String, CodingKey {
            case requesterQP = "requester_qp", retransmittedPackets = "retransmitted_packets"
            case retransmittedBytes = "retransmitted_bytes"
            case retransmissionEpisodeCount = "retransmission_episode_count"
            case retransmissionEpisodes = "retransmission_episodes", psnGaps = "psn_gaps"
            case mirrorDuplicates = "mirror_duplicates", ambiguousSamples = "ambiguous_samples"
            case unacknowledgedDropped = "unacknowledged_dropped", goodputBytes = "goodput_bytes"
            case goodputBps = "goodput_bps", unmatchedResponses = "unmatched_responses"
            case firstPSN = "first_psn", cmStartingPSN = "cm_starting_psn", cmReconnections = "cm_reconnections"
        }
    }
}

extension AnalysisDocument {
    /// Per-window traffic of one flow (`--timeseries`): only windows with traffic.
    public struct TimeSeriesEntry: Encodable, Sendable, Equatable {
        public var windowNs: Int64
        public var windows: [FlowTimeSeries.Window]

        enum CodingKeys: String, CodingKey { case windowNs = "window_ns", windows }
    }
}

extension AnalysisDocument.JitterEntry {
    /// From the latency's own entry: its percentiles are already read (each read
    /// walks the histogram).
    init(latency: AnalysisDocument.DistributionEntry, jitter: LatencyJitter, resolutionNs: Double) {
        let floor = latency.min
        pdvP50 = latency.p50 - floor
        pdvP99 = latency.p99 - floor
        pdvP999 = latency.p999 - floor
        pdvMax = latency.max - floor
        rfc3550 = jitter.smoothed
        successiveDelta = AnalysisDocument.DistributionEntry(jitter.deltas, resolutionNs: resolutionNs)
    }
}
