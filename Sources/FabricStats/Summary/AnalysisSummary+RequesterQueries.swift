/// What the report side asks of flows' requesters, answered in the module that defines
/// them.
///
/// Why here: in another module, `summary.flows[i].requester?.field` copied the
/// requester whole (745 bytes and a dozen retains) to read one field; at 10⁵ flows
/// that was a few hundredths of a second on one core, per question. Read here, the
/// field is loaded in place (checked in the disassembly: no copy of the requester).
/// That holds for plain values only: a field holding references (a distribution), or
/// a method called through the optional, copies the requester here too.
extension AnalysisSummary {
    /// Flow `index`'s request traffic, when it has requests: the payload its requests
    /// delivered, and the messages they started (nil in summaries too old to say).
    public func requestTraffic(ofFlow index: Int) -> (goodputBytes: Int, messages: Int?)? {
        guard let goodput = flows[index].requester?.goodputBytes else { return nil }
        return (goodput, RequesterStatistics.messages(
            pauses: flows[index].requester?.pauses?.count,
            firstRequestPSN: flows[index].requester?.firstRequestPSN))
    }

    /// Request PSNs the responders acknowledged without the tap seeing them, over all
    /// flows.
    public var captureLostPSNs: Int {
        var total = 0
        for index in flows.indices { total += flows[index].requester?.captureLostPSNs ?? 0 }
        return total
    }

    /// Flows whose queue pairs start over in a later input, and how many times in all.
    public var restartedFlows: (flows: Int, restarts: Int) {
        var restarted = 0, restarts = 0
        for index in flows.indices {
            guard let count = flows[index].requester?.restarts, count > 0 else { continue }
            restarted += 1
            restarts += count
        }
        return (restarted, restarts)
    }

    /// Flows whose first request's PSN is not the one their CM exchange announced, in
    /// flow order.
    public var startingPSNMismatches: [(flow: Int, announced: UInt32, first: UInt32)] {
        var found: [(flow: Int, announced: UInt32, first: UInt32)] = []
        for index in flows.indices where flows[index].requester?.startingPSNMismatch == true {
            guard let announced = flows[index].requester?.announcedStartingPSN,
                  let first = flows[index].requester?.firstRequestPSN else { continue }
            found.append((index, announced, first))
        }
        return found
    }
}

extension RequesterStatistics {
    /// Messages the stream started: it keeps a pause per message after its first, and
    /// a newer summary (it records the first PSN) without pauses had one message; nil
    /// in a summary too old to say.
    public var messages: Int? { RequesterStatistics.messages(pauses: pauses?.count, firstRequestPSN: firstRequestPSN) }

    static func messages(pauses: Int?, firstRequestPSN: UInt32?) -> Int? {
        pauses.map { $0 + 1 } ?? (firstRequestPSN != nil ? 1 : nil)
    }
}

