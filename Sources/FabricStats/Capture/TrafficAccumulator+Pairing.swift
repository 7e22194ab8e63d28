import FabricIngest

extension TrafficAccumulator {
    /// The request flow answered by response flow `index`, or −1 when not (yet) known.
    ///
    /// The BTH names only the destination QP, so the pairing is inferred, in this
    /// order: the only request flow between the two addresses; else the one whose
    /// outstanding PSN window holds the response's PSN (`psn` is nil for CNPs, which
    /// carry none); else the one whose UDP source port matches (Linux derives it
    /// symmetrically from both QPNs). A connection set up by a CM REQ/REP exchange in
    /// the capture needs no guessing: the exchange names both QPNs. A pairing, once
    /// made, is kept.
    @inline(__always)
    mutating func requestFlow(answeredBy index: Int, psn: UInt32?, sourcePort: UInt16?) -> Int {
        let known = states[index].answers
        if known >= 0 { return Int(known) }
        return pairUp(index, psn: psn, sourcePort: sourcePort)
    }

    private mutating func pairUp(_ index: Int, psn: UInt32?, sourcePort: UInt16?) -> Int {
        let key = flowKeys[index]
        if let peer = pairing.connectionPeers[key] {
            guard let peerIndex = self.index(of: peer), states[peerIndex].stream >= 0 else {
                pairing.unpairedResponses += 1
                return -1
            }
            states[index].answers = Int32(peerIndex)
            return peerIndex
        }
        let pair = ResponsePairing.AddressPair(requester: key.destination, responder: key.source)
        let candidates = pairing.requestFlows[pair] ?? []
        var chosen: Int?
        if candidates.count == 1 {
            chosen = candidates[0]
        } else if candidates.count > 1 {
            if let psn {
                let holding = candidates.filter { requestStream(ofFlow: $0, contains: psn) }
                if holding.count == 1 { chosen = holding[0] }
            }
            if chosen == nil, let sourcePort {
                let matching = candidates.filter { pairing.requestSourcePorts[$0] == sourcePort }
                if matching.count == 1 { chosen = matching[0] }
            }
        }
        guard let chosen else {
            pairing.unpairedResponses += 1
            return -1
        }
        states[index].answers = Int32(chosen)
        return chosen
    }
}
