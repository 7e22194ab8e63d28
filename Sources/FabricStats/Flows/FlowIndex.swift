import FabricWire
import FabricIngest

/// Maps flow keys to dense indices with open addressing and a multiplicative hash.
///
/// Every packet looks up its flow, and `Dictionary` with SipHash spent more time
/// hashing than the rest of the per-packet work together, so the mix is a fast
/// multiply-xorshift. Flow keys come from captured traffic, which someone can craft:
/// unkeyed, the mix can be inverted to make any number of keys land in one slot,
/// turning linear probing quadratic. So it is keyed with a random seed per run
/// (`seed`), which an input cannot know. Grows at 50 % load; memory is O(flows).
///
/// A slot holds its key and index together, one cache line each: with 10⁵ flows
/// every lookup misses the cache, and separate arrays of keys and indices missed twice.
struct FlowIndex {
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0
    /// Mixed into every hash; random per index unless a test fixes it.
    let seed: UInt64

    init(capacity: Int = 64, seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.seed = seed
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = HeapPages.reserved(size)
        slots.append(contentsOf: repeatElement(Slot(), count: size))
        mask = size - 1
    }

    /// A key and its flow's index (−1: empty), padded to 64 bytes.
    private struct Slot {
        var key = FlowKey(source: .init(kind: .ipv4, high: 0, low: 0), destination: .init(kind: .ipv4, high: 0, low: 0), destQP: 0)
        var index: Int32 = -1
        private var padding: UInt64 = 0
    }

    /// Records `index` for a key not yet present.
    mutating func insert(_ key: FlowKey, index: Int) {
        var slot = FlowIndex.hash(key, seed: seed) & mask
        while slots[slot].index >= 0 { slot = (slot + 1) & mask }
        slots[slot].key = key
        slots[slot].index = Int32(index)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    @inline(__always)
    func index(of key: FlowKey) -> Int? {
        var slot = FlowIndex.hash(key, seed: seed) & mask
        while slots[slot].index >= 0 {
            if slots[slot].key == key { return Int(slots[slot].index) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Starts loading the slots where a lookup of `key` begins (see `CacheHint`):
    /// the first and, at half load, often the next one.
    @inline(__always)
    func prefetch(_ key: FlowKey) {
        let slot = FlowIndex.hash(key, seed: seed) & mask
        CacheHint.prefetch(slots, at: slot)
        CacheHint.prefetch(slots, at: (slot + 1) & mask)
    }

    /// The slot a key starts probing at (for tests).
    func firstSlot(of key: FlowKey) -> Int { FlowIndex.hash(key, seed: seed) & mask }

    /// Folds the key's words with a 64-bit multiply-xorshift mix (as in splitmix64),
    /// starting from the seed.
    @inline(__always)
    static func hash(_ key: FlowKey, seed: UInt64) -> Int {
        var h = (key.source.low ^ seed) &* 0x9e37_79b9_7f4a_7c15 ^ key.source.high
        h = (h ^ key.destination.low) &* 0xbf58_476d_1ce4_e5b9 ^ key.destination.high
        h = (h ^ UInt64(key.destQP) ^ UInt64(key.source.kind.rawValue) << 40) &* 0x94d0_49bb_1331_11eb
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    private mutating func grow() {
        let old = slots.filter { $0.index >= 0 }
        self = FlowIndex(capacity: slots.count, seed: seed)
        for slot in old { insert(slot.key, index: Int(slot.index)) }
    }
}
