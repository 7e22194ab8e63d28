import FabricWire

/// One numbering of a summary's hosts and directed host pairs, made once and read by
/// every pass that groups flows by host or by link (the run's per-link totals, the
/// ring search, the other collective groups).
///
/// Each of those passes numbered the hosts and pairs again with `Dictionary`, whose
/// SipHash over two 17-byte addresses cost more than the rest of their work at 10⁵
/// flows. Here each flow's hosts are hashed once, with the same keyed
/// multiply-xorshift mix as the flow table (`FlowIndex`, for the same reason: an input
/// cannot know the seed, so cannot make its addresses collide); the passes then index
/// arrays.
///
/// Hosts and pairs are numbered in the order the flows first name them, so the
/// numbering (and all that reads it) is the same in every run.
public struct HostGraph: Sendable {
    /// Every host, by number.
    public private(set) var hosts: [NodeAddress] = []
    /// Each pair's sending and receiving host, by pair number.
    public private(set) var pairSources: [Int32] = []
    public private(set) var pairDestinations: [Int32] = []
    /// Each flow's pair (its source host to its destination host).
    public private(set) var pairOfFlow: [Int32]
    /// The pair of the request flow each flow answers (−1: it answers none). The
    /// answered flow need not be in the summary; its pair is numbered all the same.
    public private(set) var answeredPairOfFlow: [Int32]

    private var hostTable: OpenTable
    private var pairTable: OpenTable

    public var pairCount: Int { pairSources.count }

    public init(_ summary: AnalysisSummary, seed: UInt64 = UInt64.random(in: .min ... .max)) {
        let flows = summary.flows
        pairOfFlow = Array(repeating: -1, count: flows.count)
        answeredPairOfFlow = Array(repeating: -1, count: flows.count)
        hostTable = OpenTable(capacity: flows.count, seed: seed)
        pairTable = OpenTable(capacity: flows.count, seed: seed ^ 0x5bd1_e995_0000_0000)
        hosts.reserveCapacity(flows.count)
        pairSources.reserveCapacity(flows.count)
        pairDestinations.reserveCapacity(flows.count)
        for index in flows.indices {
            let key = flows[index].key
            pairOfFlow[index] = pair(key.source, key.destination)
            if let answered = flows[index].answers {
                answeredPairOfFlow[index] = pair(answered.source, answered.destination)
            }
        }
    }

    /// The number of `host`, if a flow names it.
    public func index(of host: NodeAddress) -> Int? {
        hostTable.find(OpenTable.Key(host)) { hosts[$0] == host }
    }

    private mutating func host(_ address: NodeAddress) -> Int32 {
        let key = OpenTable.Key(address)
        if let known = hostTable.find(key, matches: { hosts[$0] == address }) { return Int32(known) }
        hostTable.insert(key, index: hosts.count)
        hosts.append(address)
        return Int32(hosts.count - 1)
    }

    private mutating func pair(_ source: NodeAddress, _ destination: NodeAddress) -> Int32 {
        let from = host(source), to = host(destination)
        let key = OpenTable.Key(high: UInt64(UInt32(bitPattern: from)), low: UInt64(UInt32(bitPattern: to)), kind: 0)
        if let known = pairTable.find(key, matches: { pairSources[$0] == from && pairDestinations[$0] == to }) {
            return Int32(known)
        }
        pairTable.insert(key, index: pairSources.count)
        pairSources.append(from)
        pairDestinations.append(to)
        return Int32(pairSources.count - 1)
    }
}

/// Open addressing from a hashed key to a number, the keys themselves kept by the
/// caller (which compares them in `matches`): linear probing over 8-byte slots of
/// hash and number, grown at half load.
private struct OpenTable: Sendable {
    /// Two words and a kind, as a `NodeAddress` is (or two host numbers).
    struct Key {
        var high: UInt64
        var low: UInt64
        var kind: UInt8

        init(high: UInt64, low: UInt64, kind: UInt8) {
            (self.high, self.low, self.kind) = (high, low, kind)
        }

        init(_ address: NodeAddress) {
            self.init(high: address.high, low: address.low, kind: address.kind.rawValue)
        }
    }

    /// A key's hash (its position and a quick test before `matches`) and number.
    private struct Slot {
        var tag: UInt32 = 0
        var index: Int32 = -1
    }

    private var slots: [Slot]
    private var mask: Int
    private var count = 0
    private let seed: UInt64

    init(capacity: Int, seed: UInt64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
        self.seed = seed
    }

    /// The key's words folded with a 64-bit multiply-xorshift mix (as in splitmix64),
    /// starting from the seed; the high half, whose bits the multiplies mixed most.
    @inline(__always)
    private func hash(_ key: Key) -> UInt32 {
        var h = (key.low ^ seed) &* 0x9e37_79b9_7f4a_7c15 ^ key.high
        h = (h ^ UInt64(key.kind) << 56) &* 0xbf58_476d_1ce4_e5b9
        return UInt32(truncatingIfNeeded: (h ^ (h >> 31)) >> 32)
    }

    func find(_ key: Key, matches: (Int) -> Bool) -> Int? {
        let tag = hash(key)
        var slot = Int(tag) & mask
        while slots[slot].index >= 0 {
            if slots[slot].tag == tag, matches(Int(slots[slot].index)) { return Int(slots[slot].index) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Records `index` for a key `find` did not find.
    mutating func insert(_ key: Key, index: Int) {
        place(Slot(tag: hash(key), index: Int32(index)))
        count += 1
        if count * 2 > slots.count { grow() }
    }

    private mutating func place(_ entry: Slot) {
        var slot = Int(entry.tag) & mask
        while slots[slot].index >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Doubles the slots, each entry placed again by its tag (which holds every bit
    /// a position takes, up to 2³² slots).
    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for entry in old where entry.index >= 0 { place(entry) }
    }
}
