import FabricIngest

/// Pairs the two directions of a reliable connection: which request flow (A→B,
/// destination QP of B) a response flow (B→A, destination QP of A) answers.
///
/// The BTH names only the destination QP, so the pairing is inferred, in this
/// order: the only request flow between the two addresses; else the one whose
/// outstanding PSN window holds the response's PSN; else the one whose UDP source
/// port matches (Linux derives it symmetrically from both QPNs). A pairing, once
/// made, is kept. Connection-management messages, which carry both QPNs, are not
/// read yet.
struct ResponsePairing: Sendable {
    struct AddressPair: Hashable, Sendable {
        var requester: NodeAddress
        var responder: NodeAddress
    }

    /// Per flow: the request flow it answers, or −1.
    private var paired: [Int32] = []
    private var requestFlows: [AddressPair: [Int]] = [:]
    private var requestSourcePorts: [Int: UInt16] = [:]
    /// Responses that arrived while their flow could not be paired.
    private(set) var unpairedResponses = 0

    mutating func addFlow() {
        paired.append(-1)
    }

    mutating func registerRequestFlow(_ index: Int, key: FlowKey, sourcePort: UInt16?) {
        requestFlows[AddressPair(requester: key.source, responder: key.destination), default: []].append(index)
        if let sourcePort { requestSourcePorts[index] = sourcePort }
    }

    func pairedRequestFlow(of index: Int) -> Int? {
        paired[index] >= 0 ? Int(paired[index]) : nil
    }

    /// The request flow answered by response flow `index`, or −1 when not (yet) known.
    /// `psn` is nil for packets without a meaningful PSN (CNPs).
    @inline(__always)
    mutating func requestFlow(
        answeredBy index: Int, key: FlowKey, psn: UInt32?, sourcePort: UInt16?, streams: [RequestStream?]
    ) -> Int {
        if paired[index] >= 0 { return Int(paired[index]) }
        return pair(index, key: key, psn: psn, sourcePort: sourcePort, streams: streams)
    }

    private mutating func pair(
        _ index: Int, key: FlowKey, psn: UInt32?, sourcePort: UInt16?, streams: [RequestStream?]
    ) -> Int {
        let candidates = requestFlows[AddressPair(requester: key.destination, responder: key.source)] ?? []
        guard !candidates.isEmpty else {
            unpairedResponses += 1
            return -1
        }
        var chosen: Int?
        if candidates.count == 1 {
            chosen = candidates[0]
        } else {
            if let psn {
                let holding = candidates.filter { streams[$0]?.contains(psn: psn) == true }
                if holding.count == 1 { chosen = holding[0] }
            }
            if chosen == nil, let sourcePort {
                let matching = candidates.filter { requestSourcePorts[$0] == sourcePort }
                if matching.count == 1 { chosen = matching[0] }
            }
        }
        guard let chosen else {
            unpairedResponses += 1
            return -1
        }
        paired[index] = Int32(chosen)
        return chosen
    }
}
