import FabricWire
import FabricIngest

extension AnalysisSummary.Flow {
    /// Packets with a request opcode (`Opcode.requestPackets(in:)`): the flow's packets
    /// overstate its requests when it also carries ACKs, so shares of requests
    /// (retransmitted, lost) divide by this instead.
    public var requestPackets: Int { Opcode.requestPackets(in: opcodes) }

    /// The mean wire size of the flow's requests, for rates within messages. Summaries
    /// written before request bytes were kept give the flow's mean packet size (ACKs it
    /// carries included). Nil without requests.
    public var meanRequestWireBytes: Double? {
        guard let requester else { return nil }
        if let bytes = requester.requestWireBytes {
            let requests = requestPackets
            return requests > 0 ? Double(bytes) / Double(requests) : nil
        }
        return counters.packets > 0 ? Double(counters.wireBytes) / Double(counters.packets) : nil
    }
}
