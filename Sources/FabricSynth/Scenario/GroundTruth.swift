/// What the generator put on the wire, counted as it emitted it. Tests compare
/// the analyzer against this (and against tshark); users can use it to check
/// their own pipelines.
public struct GroundTruth: Codable, Sendable, Equatable {
    public struct Flow: Codable, Sendable, Equatable {
        public var src: String
        public var dst: String
        public var destQP: UInt32
        public var packets = 0
        public var wireBytes = 0
        public var payloadBytes = 0
        public var opcodes: [String: Int] = [:]
        public var acks = 0
        public var naks = 0
        public var cnpPackets = 0
        public var cePackets = 0
        public var ectPackets = 0
        /// Data packets sent again with a PSN already sent (go-back-N or timeout).
        public var retransmittedPackets = 0
        public var timeoutRetransmissions = 0
        /// Request→ACK delay of every message whose AckReq packet was sent once.
        public var ackLatenciesNs: [Int64] = []
        /// Messages whose AckReq packet was sent twice: no latency sample (Karn).
        public var ambiguousAckSamples = 0
        /// Spacing of back-to-back packets within a message.
        public var packetGapNs: Int64?

        enum CodingKeys: String, CodingKey {
            case src, dst, destQP = "dest_qp", packets, wireBytes = "wire_bytes"
            case payloadBytes = "payload_bytes", opcodes, acks, naks, cnpPackets = "cnp_packets"
            case cePackets = "ce_packets", ectPackets = "ect_packets"
            case retransmittedPackets = "retransmitted_packets"
            case timeoutRetransmissions = "timeout_retransmissions"
            case ackLatenciesNs = "ack_latencies_ns", ambiguousAckSamples = "ambiguous_ack_samples"
            case packetGapNs = "packet_gap_ns"
        }
    }

    public struct Pause: Codable, Sendable, Equatable {
        public var sourceMAC: String
        public var priority: Int
        public var xoffFrames = 0
        public var xonFrames = 0
        public var pauseQuanta = 0
        /// [start, end] of each pause episode (XOFF … XON), in ns.
        public var episodes: [[Int64]] = []

        enum CodingKeys: String, CodingKey {
            case sourceMAC = "source_mac", priority, xoffFrames = "xoff_frames"
            case xonFrames = "xon_frames", pauseQuanta = "pause_quanta", episodes
        }
    }

    public var packets = 0
    public var flows: [Flow] = []
    public var pfc: [Pause] = []
    /// With a second tap: each RoCE frame's delay from the first tap to the second, in order.
    public var tapDelaysNs: [Int64]?
    /// With `--mirror-loss`: copies the mirror (or tap) lost before the capture recorded
    /// them. `packets` and `flows` count what was on the wire, lost copies included.
    public var mirrorLostCopies: Int?
    /// With `--nccl-tests`: each size as it was run, for checking what `analyze` reads
    /// back (bytes per rank exactly, busbw from the first send to the last step's end).
    public var sizes: [SizeRun]?

    public struct SizeRun: Codable, Sendable, Equatable {
        public var sizeBytes: Int
        /// Warm-up plus timed iterations, back to back.
        public var iterations: Int
        public var startNs: Int64
        public var endNs: Int64
        /// Payload each rank wrote to its successor, over all its channels and QPs.
        public var bytesPerRank: Int
        /// bytesPerRank × 8 ÷ (end − start).
        public var busbwBps: Double

        enum CodingKeys: String, CodingKey {
            case sizeBytes = "size_bytes", iterations, startNs = "start_ns", endNs = "end_ns"
            case bytesPerRank = "bytes_per_rank", busbwBps = "busbw_bps"
        }
    }

    enum CodingKeys: String, CodingKey {
        case packets, flows, pfc, tapDelaysNs = "tap_delays_ns", mirrorLostCopies = "mirror_lost_copies", sizes
    }
}
