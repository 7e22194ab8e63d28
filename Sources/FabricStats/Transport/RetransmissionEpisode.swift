/// A go-back-N episode: a run of retransmitted request packets starting at one PSN.
public struct RetransmissionEpisode: Sendable, Equatable, Codable {
    public enum Cause: String, Sendable, Codable {
        /// A NAK (PSN sequence error) for the first PSN came back before the retransmission.
        case nak
        /// A receiver-not-ready NAK for the first PSN came back before it.
        case rnr
        /// A re-issued RDMA READ request: the requester's own recovery (implied NAK).
        case impliedNak = "implied_nak"
        /// Nothing from the responder asked for it: the requester's ACK timer fired.
        case timeout
    }

    public var startNs: Int64
    /// First PSN sent again (24-bit).
    public var psn: UInt32
    public var packets: Int
    public var wireBytes: Int
    public var cause: Cause
    /// From the NAK to the first retransmitted packet (nak and rnr causes).
    public var nakToRetransmitNs: Int64?
    /// From the first transmission of `psn` to its retransmission, when the first was seen.
    public var retransmitDelayNs: Int64?

    enum CodingKeys: String, CodingKey {
        case startNs = "start_ns", psn, packets, wireBytes = "wire_bytes", cause
        case nakToRetransmitNs = "nak_to_retransmit_ns", retransmitDelayNs = "retransmit_delay_ns"
    }
}
