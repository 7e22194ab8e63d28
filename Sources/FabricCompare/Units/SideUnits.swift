import FabricWire
import FabricModels
import FabricMetrics
import FabricIngest
import FabricStats

/// One side of a comparison cut into units of replication, per scope.
///
/// Packets of one capture are not independent — congestion comes in bursts — so
/// the units are time blocks of the capture (consecutive windows, long enough to
/// hold many bursts) when a side is one run, and whole runs when it has several.
public struct SideUnits: Sendable {
    public enum Kind: String, Sendable, Codable {
        case blocks, runs
    }

    public var kind: Kind
    /// Units per scope, in the same order in every scope (block i, or run i).
    public var units: [Scope: [UnitTotals]]
    /// Length of a block (blocks), or nil (runs).
    public var blockNs: Int64?
    public var unitCount: Int

    /// One run cut into `blocks` time blocks of whole windows.
    public init(run summary: AnalysisSummary, blocks: Int) throws(CompareError) {
        let (first, last) = try SideUnits.windowRange(summary)
        let windows = Int(min(Int64.span(from: first, to: last) / summary.windowNs, Int64(Int.max / 4))) + 1
        let count = max(1, min(blocks, windows))
        let perBlock = (windows + count - 1) / count
        let blockCount = (windows + perBlock - 1) / perBlock
        kind = .blocks
        blockNs = Int64(perBlock) * summary.windowNs
        unitCount = blockCount
        units = SideUnits.collect(summary, units: blockCount) { startNs in
            min(blockCount - 1, max(0, Int(Int64.span(from: first, to: startNs) / summary.windowNs) / perBlock))
        }
        for scope in units.keys {
            for block in 0..<blockCount {
                let windowsInBlock = min(perBlock, windows - block * perBlock)
                units[scope]![block].durationNs = Int64(windowsInBlock) * summary.windowNs
            }
        }
    }

    /// Several runs, each one unit.
    public init(runs summaries: [AnalysisSummary]) throws(CompareError) {
        kind = .runs
        blockNs = nil
        unitCount = summaries.count
        units = [:]
        var spans: [Int64] = []
        for (index, summary) in summaries.enumerated() {
            let (first, last) = try SideUnits.windowRange(summary)
            spans.append(Int64.span(from: first, to: last).addingSaturating(summary.windowNs))
            for (scope, totals) in SideUnits.collect(summary, units: 1, unit: { _ in 0 }) {
                units[scope, default: Array(repeating: UnitTotals(), count: summaries.count)][index] = totals[0]
            }
        }
        // Every scope lasted each run's span, whether or not it had traffic in it.
        for scope in units.keys {
            for index in spans.indices { units[scope]![index].durationNs = spans[index] }
        }
    }

    /// A whole run as one unit per scope from the flows' own totals, for summaries
    /// without per-window data (`analyze` without --timeseries): the same sums the
    /// windows would add up to (latencies and gaps from the flows' histograms).
    /// Scopes in order (the fabric first, then links by name).
    /// `graph`: the summary's hosts and links, numbered once for every pass that
    /// groups by them (made here when not given).
    static func wholeRun(_ summary: AnalysisSummary, graph given: HostGraph? = nil) -> [(scope: Scope, totals: UnitTotals)] {
        let graph = given ?? HostGraph(summary)
        var fabric = UnitTotals()
        // Links by number, in an array updated in place, named once at the end: naming
        // each flow's link as text cost more than the rest at 10⁵ flows, and a
        // dictionary of totals copied each one in and out.
        var links = Array(repeating: UnitTotals(), count: graph.pairCount)
        // By index, reading fields in place: a loop over the flows copied each one whole.
        let flows = summary.flows
        for index in flows.indices {
            // The counters' fields read in place too: bound to a local, the counters
            // (with their throughput window) were copied for every flow.
            var unit = UnitTotals()
            unit.packets = flows[index].counters.packets
            unit.wireBytes = flows[index].counters.wireBytes
            unit.cePackets = flows[index].counters.cePackets
            // The requester's fields read through the optional, not bound to a local:
            // binding copied its statistics whole (a dozen references retained and
            // released), as did `requester != nil` and calling the flow's own
            // `requestPackets`. Whether there is one is asked of one of its integers.
            if flows[index].requester?.goodputBytes != nil {
                unit.requests = Opcode.requestPackets(in: flows[index].opcodes)
                // The requests' own packets and bytes when the summary kept their bytes;
                // in older summaries, the flow's (ACKs it carries included).
                if let requestBytes = flows[index].requester?.requestWireBytes {
                    unit.requestPackets = unit.requests
                    unit.requestWireBytes = requestBytes
                } else {
                    unit.requestPackets = unit.packets
                    unit.requestWireBytes = unit.wireBytes
                }
                unit.goodputBytes = flows[index].requester?.goodputBytes ?? 0
                unit.retransmittedPackets = flows[index].requester?.retransmittedPackets ?? 0
                unit.ackLatency = flows[index].requester?.ackLatency.logSketch() ?? LogSketch()
                unit.gaps = flows[index].requester?.gaps.logSketch() ?? LogSketch()
            }
            var answers = UnitTotals()
            answers.naks = flows[index].counters.naks.total
            answers.cnps = flows[index].counters.cnpPackets
            fabric.add(unit)
            fabric.add(answers)
            // Every pair the graph numbers is a flow's or the one a flow answers, so
            // every link gets a scope, as when links were made as flows named them.
            links[Int(graph.pairOfFlow[index])].add(unit)
            let answered = Int(graph.answeredPairOfFlow[index])
            if answered >= 0 { links[answered].add(answers) }
        }
        // The most-paused port and priority: a share of the span, so at most all of it.
        // (Summed over ports it read 102 % on a capture with two ports pausing.)
        fabric.pausedNs = summary.pauses.map(\.counters.timeline.pausedNs).max() ?? 0
        // Every scope lasted the capture's span.
        let span = max(1, Int64.span(from: summary.totals.startNs, to: summary.totals.endNs))
        fabric.durationNs = span
        // Names once per host (a host is in many links), links sorted by name.
        let hostNames = graph.hosts.map(\.description)
        let named = graph.pairSources.indices.map {
            (source: hostNames[Int(graph.pairSources[$0])], destination: hostNames[Int(graph.pairDestinations[$0])])
        }
        let order = named.indices.sorted {
            (named[$0].source, named[$0].destination) < (named[$1].source, named[$1].destination)
        }
        var result: [(scope: Scope, totals: UnitTotals)] = [(.fabric, fabric)]
        result.reserveCapacity(order.count + 1)
        for index in order {
            let scope = Scope.link(source: named[index].source, destination: named[index].destination)
            // Addresses that print the same are one scope (they sort side by side).
            if result.count > 1, result[result.count - 1].scope == scope {
                result[result.count - 1].totals.add(links[index])
            } else {
                result.append((scope, links[index]))
            }
            result[result.count - 1].totals.durationNs = span
        }
        return result
    }

    /// The first and last window start of the summary's traffic.
    static func windowRange(_ summary: AnalysisSummary) throws(CompareError) -> (Int64, Int64) {
        var first = Int64.max, last = Int64.min
        for flow in summary.flows {
            guard let series = flow.timeSeries else {
                throw CompareError("\(summary.files.first?.path ?? "a summary") has no per-window traffic: give the "
                    + "capture, or a summary written by 'analyze --summary-out'")
            }
            if let window = series.windows.first { first = min(first, window.startNs) }
            if let window = series.windows.last { last = max(last, window.startNs) }
        }
        guard first <= last else {
            throw CompareError("\(summary.files.first?.path ?? "a summary") holds no RDMA traffic to compare")
        }
        return (first, last)
    }

    /// Sums every flow's windows into `units` units per scope: traffic into the
    /// flow's own link and the fabric, NAKs and CNPs into the link whose requests
    /// they answer, the most-paused port's paused time into the fabric.
    private static func collect(
        _ summary: AnalysisSummary, units count: Int, unit: (Int64) -> Int
    ) -> [Scope: [UnitTotals]] {
        var result: [Scope: [UnitTotals]] = [.fabric: Array(repeating: UnitTotals(), count: count)]
        for flow in summary.flows {
            guard let series = flow.timeSeries else { continue }
            let link = Scope.link(of: flow.key)
            let carriesRequests = flow.requester != nil
            if result[link] == nil { result[link] = Array(repeating: UnitTotals(), count: count) }
            let answered = flow.answers.map { Scope.link(of: $0) }
            if let answered, result[answered] == nil { result[answered] = Array(repeating: UnitTotals(), count: count) }
            for window in series.windows {
                let i = unit(window.startNs)
                result[.fabric]![i].addTraffic(window, carriesRequests: carriesRequests)
                result[.fabric]![i].addAnswers(window)
                result[link]![i].addTraffic(window, carriesRequests: carriesRequests)
                if let answered { result[answered]![i].addAnswers(window) }
            }
        }
        result[.fabric] = mostPaused(summary, into: result[.fabric]!, unit: unit)
        return result
    }

    /// Each unit's paused time: its most-paused port's (and priority's), so a share of
    /// the unit's length, as the whole run's figure is. Summaries written before ports
    /// kept their own series have only the sum over ports.
    private static func mostPaused(_ summary: AnalysisSummary, into units: [UnitTotals], unit: (Int64) -> Int) -> [UnitTotals] {
        var units = units
        let ports = summary.pauses.compactMap(\.timeSeries)
        if ports.isEmpty {
            for window in summary.pauseTimeSeries?.windows ?? [] {
                units[unit(window.startNs)].pausedNs = units[unit(window.startNs)].pausedNs.addingSaturating(window.pausedNs)
            }
            return units
        }
        for series in ports {
            var paused = Array(repeating: Int64(0), count: units.count)
            for window in series.windows { paused[unit(window.startNs)] = paused[unit(window.startNs)].addingSaturating(window.pausedNs) }
            for index in units.indices { units[index].pausedNs = max(units[index].pausedNs, paused[index]) }
        }
        return units
    }
}

/// Input a comparison cannot use, with what to do about it.
public struct CompareError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
