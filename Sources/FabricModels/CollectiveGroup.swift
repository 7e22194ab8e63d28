import FabricStats
import FabricWire

/// Hosts that trade data as a collective does but form no ring: each writes to and is
/// written by others of the group. Named a tree all-reduce when the shape is NCCL's
/// double binary tree (four or more hosts, every link used both ways, between n−1 and
/// 2(n−1) links but not every pair, no host with more than six neighbours); otherwise
/// unrecognised. Neither is forced into
/// a ring, and nothing is modelled on it: the per-flow and per-link figures stand.
public struct CollectiveGroup: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case treeAllReduce = "tree_allreduce"
        /// A chain of hosts each writing to the next with similar bytes, which does not
        /// close: a ring whose other links the capture does not hold (a mirror that
        /// sees some ports only, a rank missing from the capture).
        case partialRing = "partial_ring"
        case unrecognised
    }

    public var kind: Kind
    /// In address order; for a partial ring, in chain order.
    public var hosts: [NodeAddress]
    /// Host pairs with data one way (a link used both ways counts twice).
    public var directedLinks: Int
    /// Host pairs with data either way.
    public var links: Int
    /// Median payload over the directed links.
    public var medianLinkBytes: Int
    public var startNs: Int64
    public var endNs: Int64

    /// At least this many hosts: two hosts trading data are a conversation, not a group.
    static let minimumHosts = 3

    /// The groups among `summary`'s request edges whose hosts belong to none of `rings`.
    /// `graph`: the summary's hosts and links, when another pass numbered them already
    /// (the search then indexes arrays by their numbers and hashes only the few pairs of
    /// groups large enough to judge).
    public static func find(in summary: AnalysisSummary, excluding rings: [DetectedRing],
                            graph given: HostGraph? = nil) -> [CollectiveGroup] {
        let graph = given ?? HostGraph(summary)
        var taken = [Bool](repeating: false, count: graph.hosts.count)
        for host in rings.lazy.flatMap(\.hosts) {
            if let number = graph.index(of: host) { taken[number] = true }
        }
        var bytes = [Int](repeating: 0, count: graph.pairCount)
        var span = [(start: Int64, end: Int64)](repeating: (.max, .min), count: graph.pairCount)
        var pairs: [Int] = []
        // The flows read by index, in place (a loop over the flows copied each one whole).
        let flows = summary.flows
        for index in flows.indices {
            guard let traffic = summary.requestTraffic(ofFlow: index), traffic.goodputBytes > 0,
                  (traffic.messages ?? 2) >= 2 else { continue }
            let pair = Int(graph.pairOfFlow[index])
            guard !taken[Int(graph.pairSources[pair])], !taken[Int(graph.pairDestinations[pair])] else { continue }
            if bytes[pair] == 0 { pairs.append(pair) }
            bytes[pair] += traffic.goodputBytes
            span[pair] = (min(span[pair].start, flows[index].counters.startNs), max(span[pair].end, flows[index].counters.endNs))
        }
        // Connected groups of hosts (union-find over the pairs' host numbers).
        var parent = Array(Int32(0)..<Int32(graph.hosts.count))
        func root(_ host: Int32) -> Int32 {
            var current = host
            while parent[Int(current)] != current {
                parent[Int(current)] = parent[Int(parent[Int(current)])]
                current = parent[Int(current)]
            }
            return current
        }
        for pair in pairs {
            let a = root(graph.pairSources[pair]), b = root(graph.pairDestinations[pair])
            if a != b { parent[Int(max(a, b))] = min(a, b) }
        }
        // k links join at most k + 1 hosts: a group of one pair is too few hosts, known
        // without building anything (most of a fleet's groups are one host pair).
        var members = [[Int]](repeating: [], count: graph.hosts.count)
        for pair in pairs { members[Int(root(graph.pairSources[pair]))].append(pair) }
        return members.compactMap { group -> CollectiveGroup? in
            guard group.count + 1 >= CollectiveGroup.minimumHosts else { return nil }
            var groupBytes: [DetectedRing.HostPair: Int] = [:], groupSpan: [DetectedRing.HostPair: (Int64, Int64)] = [:]
            let hostPairs = group.map { pair in
                let hostPair = DetectedRing.HostPair(source: graph.hosts[Int(graph.pairSources[pair])],
                                                     destination: graph.hosts[Int(graph.pairDestinations[pair])])
                groupBytes[hostPair] = bytes[pair]
                groupSpan[hostPair] = span[pair]
                return hostPair
            }
            return CollectiveGroup(pairs: hostPairs, bytes: groupBytes, span: groupSpan)
        }.sorted { $0.hosts.first! < $1.hosts.first! }
    }

    init?(pairs: [DetectedRing.HostPair], bytes: [DetectedRing.HostPair: Int], span: [DetectedRing.HostPair: (Int64, Int64)]) {
        // k links join at most k + 1 hosts: too few links is too few hosts, known
        // without building sets (most of a fleet's groups are one host pair).
        guard pairs.count + 1 >= CollectiveGroup.minimumHosts else { return nil }
        let senders = Set(pairs.map(\.source)), receivers = Set(pairs.map(\.destination))
        let hosts = senders.union(receivers)
        guard hosts.count >= CollectiveGroup.minimumHosts else { return nil }
        if let chain = CollectiveGroup.chain(pairs, bytes: bytes) {
            let sizes = pairs.map { bytes[$0]! }.sorted()
            self.init(kind: .partialRing, hosts: chain, directedLinks: pairs.count, links: pairs.count,
                      medianLinkBytes: sizes[(sizes.count - 1) / 2],
                      startNs: pairs.map { span[$0]!.0 }.min()!, endNs: pairs.map { span[$0]!.1 }.max()!)
            return
        }
        // Every host both writes and is written: the shape of a collective's exchange.
        guard senders == receivers else { return nil }
        let directed = Set(pairs)
        let undirected = Set(pairs.map { [$0.source, $0.destination].sorted() })
        var neighbours: [NodeAddress: Set<NodeAddress>] = [:]
        for pair in pairs {
            neighbours[pair.source, default: []].insert(pair.destination)
            neighbours[pair.destination, default: []].insert(pair.source)
        }
        let n = hosts.count
        let bothWays = pairs.allSatisfy { directed.contains(DetectedRing.HostPair(source: $0.destination, destination: $0.source)) }
        // Two trees' links are at most 2(n−1), never every pair: on 4 hosts an all-to-all
        // (6 links) fits the count, and on 3 a tree and an all-to-all are one triangle.
        let complete = undirected.count == n * (n - 1) / 2
        let tree = bothWays && n >= 4 && !complete && (n - 1...2 * (n - 1)).contains(undirected.count)
            && neighbours.values.allSatisfy { $0.count <= 6 }
        let sizes = pairs.map { bytes[$0]! }.sorted()
        self.init(kind: tree ? .treeAllReduce : .unrecognised, hosts: hosts.sorted(), directedLinks: pairs.count,
                  links: undirected.count, medianLinkBytes: sizes[(sizes.count - 1) / 2],
                  startNs: pairs.map { span[$0]!.0 }.min()!, endNs: pairs.map { span[$0]!.1 }.max()!)
    }

    /// The hosts in order when `pairs` form one open chain (each host writing to at most
    /// one and written by at most one, two or more links) with byte counts within the
    /// ring's 1.5× of each other; else nil.
    static func chain(_ pairs: [DetectedRing.HostPair], bytes: [DetectedRing.HostPair: Int]) -> [NodeAddress]? {
        guard pairs.count >= 2 else { return nil }
        var next: [NodeAddress: NodeAddress] = [:], written: Set<NodeAddress> = []
        for pair in pairs {
            guard next[pair.source] == nil, written.insert(pair.destination).inserted else { return nil }
            next[pair.source] = pair.destination
        }
        let starts = next.keys.filter { !written.contains($0) }
        guard starts.count == 1 else { return nil }
        var order = [starts[0]]
        while let following = next[order.last!], order.count <= pairs.count { order.append(following) }
        let sizes = pairs.map { Double(bytes[$0]!) }
        guard order.count == pairs.count + 1, let low = sizes.min(), let high = sizes.max(), low > 0,
              high / low <= DetectedRing.similarity else { return nil }
        return order
    }

    public init(kind: Kind, hosts: [NodeAddress], directedLinks: Int, links: Int, medianLinkBytes: Int,
                startNs: Int64, endNs: Int64) {
        self.kind = kind
        self.hosts = hosts
        self.directedLinks = directedLinks
        self.links = links
        self.medianLinkBytes = medianLinkBytes
        self.startNs = startNs
        self.endNs = endNs
    }
}
