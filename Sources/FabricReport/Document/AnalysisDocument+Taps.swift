import FabricWire
import FabricModels
import FabricCompare
import FabricHealth
import FabricStats

extension AnalysisDocument {
    /// `analyze --tap A --tap B`: the same traffic seen at two taps.
    public struct TapsSection: Encodable, Sendable, Equatable {
        public var files: [String]
        public var windowNs: Int64
        public var matchedPackets: Int
        /// RoCE packets seen at one tap only (per tap, in `files` order).
        public var unmatchedPackets: [Int]
        public var flows: [TapFlow]
        public var notes: [String]

        enum CodingKeys: String, CodingKey {
            case files, windowNs = "window_ns", matchedPackets = "matched_packets"
            case unmatchedPackets = "unmatched_packets", flows, notes
        }
    }

    public struct TapFlow: Encodable, Sendable, Equatable {
        public var src: String
        public var dst: String
        public var destQP: UInt32
        public var fromTap: String
        public var toTap: String
        /// Time from the first tap to the second, per matched packet.
        public var oneWayDelayNs: DistributionEntry?
        /// RFC 3393 IPDV: |D(i) − D(i−1)| between consecutive matched packets.
        public var ipdvNs: DistributionEntry?
        /// RFC 3550-style smoothed estimator over the same delay series.
        public var ipdvRFC3550Ns: Double

        enum CodingKeys: String, CodingKey {
            case src, dst, destQP = "dest_qp", fromTap = "from_tap", toTap = "to_tap"
            case oneWayDelayNs = "one_way_delay_ns", ipdvNs = "ipdv_ns", ipdvRFC3550Ns = "ipdv_rfc3550_ns"
        }
    }
}

extension AnalysisDocument.TapsSection {
    public init(_ comparison: TapComparison, files: [String], resolutionNs: Double) {
        self.files = files
        windowNs = comparison.windowNs
        matchedPackets = comparison.matched
        unmatchedPackets = comparison.unmatched
        flows = comparison.flows.sorted { $0.key < $1.key }.map { key, delay in
            AnalysisDocument.TapFlow(
                src: key.source.description, dst: key.destination.description, destQP: key.destQP,
                fromTap: files[delay.fromTap], toTap: files[1 - delay.fromTap],
                oneWayDelayNs: AnalysisDocument.DistributionEntry(delay.delay, resolutionNs: resolutionNs),
                ipdvNs: AnalysisDocument.DistributionEntry(delay.ipdv, resolutionNs: resolutionNs),
                ipdvRFC3550Ns: delay.jitter.smoothed)
        }
        notes = [
            "One-way delay between taps is only as accurate as the agreement of the two capture clocks; "
                + "a constant offset shifts every delay by the same amount.",
            "IPDV (RFC 3393) differences consecutive delays, so a constant clock offset cancels out.",
            "Per-flow statistics above are from the first tap only.",
        ]
    }
}
