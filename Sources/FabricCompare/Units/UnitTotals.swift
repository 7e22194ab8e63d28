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
    /// Packets and wire bytes of requests (first transmissions and retransmissions),
    /// for the mean request size. A flow of an RC connection that carries requests
    /// both ways also carries the ACKs of the other direction's requests. A whole run
    /// counts the requests alone (from summaries that kept their bytes); a time block
    /// cannot (windows do not split by opcode) and counts the flow's packets and bytes.
    public var requestPackets = 0
    public var requestWireBytes = 0
    /// Request packets alone (request opcodes): what the retransmitted share divides
    /// by, as the report's Loss verdict does. A whole run counts them from each flow's
    /// opcodes; a time block counts the flow's packets, as `requestPackets`.
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
