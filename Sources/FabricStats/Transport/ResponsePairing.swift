import FabricWire
import FabricIngest

/// Which request flow (A→B, destination QP of B) each response flow (B→A,
/// destination QP of A) answers. The decisions are made in
/// `TrafficAccumulator.requestFlow(answeredBy:…)`; this holds what they need.
struct ResponsePairing: Sendable {
    struct AddressPair: Hashable, Sendable {
        var requester: NodeAddress
        var responder: NodeAddress
    }

    /// Request flows by (requester, responder) addresses.
    var requestFlows: [AddressPair: [Int]] = [:]
    var requestSourcePorts: [Int: UInt16] = [:]
    /// Responses that arrived while their flow could not be paired.
    var unpairedResponses = 0
    /// From CM REQ/REP exchanges: each flow to the flow that answers it (both ways).
    var connectionPeers: [FlowKey: FlowKey] = [:]
    /// From CM: the first PSN a request flow is announced to use.
    var startingPSNs: [FlowKey: UInt32] = [:]
    /// REQs waiting for their REP: (requester, responder, communication ID) → QPN, PSN.
    var connectionRequests: [CommunicationKey: (qpn: UInt32, psn: UInt32)] = [:]
    /// Connections set up by a REQ/REP pair seen in the capture.
    var connectionsFromCM = 0

    struct CommunicationKey: Hashable, Sendable {
        var requester: NodeAddress
        var responder: NodeAddress
        var id: UInt32
    }

    /// Learns the two QPNs and starting PSNs of a connection from its CM exchange.
    /// Returns the connection's two request flows when a REP completes it.
    @discardableResult
    mutating func learn(
        _ message: ConnectionMessage, from source: NodeAddress, to destination: NodeAddress
    ) -> (FlowKey, FlowKey)? {
        switch message.kind {
        case .request:
            guard let qpn = message.localQPN, let psn = message.startingPSN else { return nil }
            connectionRequests[CommunicationKey(requester: source, responder: destination, id: message.localCommunicationID)] =
                (qpn, psn)
        case .reply:
            let key = CommunicationKey(requester: destination, responder: source, id: message.remoteCommunicationID)
            guard let request = connectionRequests.removeValue(forKey: key),
                  let responderQPN = message.localQPN, let responderPSN = message.startingPSN else { return nil }
            // The requester (active side) sends to the responder's QPN, and is answered on its own.
            let toResponder = FlowKey(source: destination, destination: source, destQP: responderQPN)
            let toRequester = FlowKey(source: source, destination: destination, destQP: request.qpn)
            connectionPeers[toResponder] = toRequester
            connectionPeers[toRequester] = toResponder
            // Each side announces the PSN it expects to *receive*: Linux's CM sets the
            // passive side's send PSN from the REQ and the active side's from the REP
            // (seen on SoftRoCE and ConnectX captures alike). `RequestStream` checks the
            // announcement against the traffic and believes the traffic.
            startingPSNs[toResponder] = responderPSN
            startingPSNs[toRequester] = request.psn
            connectionsFromCM += 1
            return (toResponder, toRequester)
        default:
            break
        }
        return nil
    }

    mutating func registerRequestFlow(_ index: Int, key: FlowKey, sourcePort: UInt16?) {
        requestFlows[AddressPair(requester: key.source, responder: key.destination), default: []].append(index)
        if let sourcePort { requestSourcePorts[index] = sourcePort }
    }
}
