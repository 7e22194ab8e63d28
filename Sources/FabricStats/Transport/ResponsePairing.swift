import FabricIngest

/// Which request flow (A→B, destination QP of B) each response flow (B→A,
/// destination QP of A) answers. The decisions are made in
/// `TrafficAccumulator.requestFlow(answeredBy:…)`; this holds what they need.
struct ResponsePairing: Sendable {
    struct AddressPair: Hashable, Sendable {
        var requester: NodeAddress
        var responder: NodeAddress
    }

    /// Per flow: the request flow it answers, or −1.
    var paired: [Int32] = []
    /// Request flows by (requester, responder) addresses.
    var requestFlows: [AddressPair: [Int]] = [:]
    var requestSourcePorts: [Int: UInt16] = [:]
    /// Responses that arrived while their flow could not be paired.
    var unpairedResponses = 0

    mutating func addFlow() { paired.append(-1) }

    mutating func registerRequestFlow(_ index: Int, key: FlowKey, sourcePort: UInt16?) {
        requestFlows[AddressPair(requester: key.source, responder: key.destination), default: []].append(index)
        if let sourcePort { requestSourcePorts[index] = sourcePort }
    }
}
