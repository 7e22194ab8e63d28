import FabricIngest

extension AnalysisSummary.Flow {
    /// Packets with a request opcode. On an RC connection with requests both ways,
    /// the flow to a QP also carries the ACKs and READ responses for that QP's own
    /// requests, so the flow's packets overstate its requests: shares of requests
    /// (retransmitted, lost) divide by this instead.
    public var requestPackets: Int {
        var count = 0
        for (name, packets) in opcodes where Opcode(name: name)?.isRequest == true { count += packets }
        return count
    }

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
