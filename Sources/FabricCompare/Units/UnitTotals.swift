import FabricStats

/// What one unit of replication (a time block of a run, or a whole run) carried in
/// one scope: sums that add across units, so a side's pooled value and each
/// bootstrap resample come from the same arithmetic.
public struct UnitTotals: Sendable, Equatable {
    /// The unit's length: the block, or the run's capture span.
    public var durationNs: Int64 = 0
    /// Every packet of the scope's flows.
    public var packets = 0
    public var wireBytes = 0
    public var cePackets = 0
    /// Packets and wire bytes of the flows that carry requests (first transmissions
    /// and retransmissions). A flow can also carry the other direction's ACKs and READ
    /// responses when both ends use the same QP number (as on InfiniBand): those count
    /// here too, which is right for a mean packet size but not for a share of requests.
    public var requestPackets = 0
    public var requestWireBytes = 0
    /// Request packets alone (request opcodes): what the retransmitted share divides
    /// by, as the report's Loss verdict does. A whole run counts them from each flow's
    /// opcodes; a time block cannot (windows do not split by opcode) and counts the
    /// flow's packets, as `requestPackets`.
    public var requests = 0
    public var goodputBytes = 0
    public var retransmittedPackets = 0
    /// NAKs and CNPs sent back to the scope's requesters.
    public var naks = 0
    public var cnps = 0
    public var pausedNs: Int64 = 0
    public var ackLatency = LogSketch()
    public var gaps = LogSketch()

    public init() {}

    public mutating func add(_ other: UnitTotals) {
        durationNs = durationNs.addingSaturating(other.durationNs)
        packets += other.packets
        wireBytes += other.wireBytes
        cePackets += other.cePackets
        requestPackets += other.requestPackets
        requests += other.requests
        requestWireBytes += other.requestWireBytes
        goodputBytes += other.goodputBytes
        retransmittedPackets += other.retransmittedPackets
        naks += other.naks
        cnps += other.cnps
        pausedNs = pausedNs.addingSaturating(other.pausedNs)
        ackLatency.add(other.ackLatency)
        gaps.add(other.gaps)
    }

    /// Adds a window of a flow that sends in this scope.
    mutating func addTraffic(_ window: FlowTimeSeries.Window, carriesRequests: Bool) {
        packets += window.packets
        wireBytes += window.wireBytes
        cePackets += window.cePackets
        if carriesRequests {
            requestPackets += window.packets
            requests += window.packets
            requestWireBytes += window.wireBytes
            goodputBytes += window.goodputBytes
            retransmittedPackets += window.retransmittedPackets
            ackLatency.add(window.ackLatency)
            gaps.add(window.gaps)
        }
    }

    /// Adds what a flow answering this scope's requests sent back.
    mutating func addAnswers(_ window: FlowTimeSeries.Window) {
        naks += window.naks
        cnps += window.cnpPackets
    }
}
