import FabricStats
import FabricWire
import FabricIngest

/// One link's traffic in a document: every flow from one host to another (all QPs)
/// together, with the CNPs that came back for it. Verdicts judge links, not the
/// fleet pooled, so a bad link stays bad however much healthy traffic is merged in.
struct LinkTotals: Sendable, Equatable {
    var src: String
    var dst: String
    var requestPackets = 0
    var retransmitted = 0
    var ectPackets = 0
    var cePackets = 0
    var cnpPackets = 0
    var episodeCauses: [String] = []

    var retransmittedShare: Double { requestPackets > 0 ? Double(retransmitted) / Double(requestPackets) : 0 }
    var ceShare: Double { ectPackets > 0 ? Double(cePackets) / Double(ectPackets) : 0 }

    /// Links in first-seen order of the document's flows. CNPs travel back from the
    /// destination to the source, so they count for the link they answer.
    static func of(_ document: AnalysisDocument) -> [LinkTotals] {
        var links: [String: LinkTotals] = [:]
        var order: [String] = []
        func touch(_ src: String, _ dst: String, _ change: (inout LinkTotals) -> Void) {
            let key = src + "\u{0}" + dst
            if links[key] == nil {
                links[key] = LinkTotals(src: src, dst: dst)
                order.append(key)
            }
            change(&links[key]!)
        }
        for flow in document.flows {
            if let requester = flow.requester {
                // Only the requests: on an RC connection with requests both ways, A's
                // ACKs and READ responses for B's requests go to B's QP too, in this flow.
                let requests = Opcode.requestPackets(in: flow.opcodes)
                touch(flow.src, flow.dst) { link in
                    link.requestPackets += requests
                    link.retransmitted += requester.retransmittedPackets
                    link.episodeCauses += requester.retransmissionEpisodes.map(\.cause.rawValue)
                    link.ectPackets += flow.ecn.ectPackets
                    link.cePackets += flow.ecn.cePackets
                }
            }
            if flow.cnpPackets > 0 { touch(flow.dst, flow.src) { $0.cnpPackets += flow.cnpPackets } }
        }
        return order.map { links[$0]! }
    }
}
