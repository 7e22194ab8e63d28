import FabricIngest

/// Maps flow keys to dense indices with open addressing and a multiplicative hash.
///
/// Every packet looks up its flow, and `Dictionary` with SipHash spent more time
/// hashing than the rest of the per-packet work together. Flow keys come from
/// captured traffic, not from an adversary who could force collisions, so a fast
/// non-cryptographic mix is enough. Grows at 50 % load; memory is O(flows).
struct FlowIndex {
    private var keys: [FlowKey?]
    private var slots: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: nil, count: size)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Records `index` for a key not yet present.
    mutating func insert(_ key: FlowKey, index: Int) {
        var slot = FlowIndex.hash(key) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        keys[slot] = key
        slots[slot] = Int32(index)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    @inline(__always)
    func index(of key: FlowKey) -> Int? {
        var slot = FlowIndex.hash(key) & mask
        while slots[slot] >= 0 {
            if keys[slot]! == key { return Int(slots[slot]) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Folds the key's words with a 64-bit multiply-xorshift mix (as in splitmix64).
    @inline(__always)
    static func hash(_ key: FlowKey) -> Int {
        var h = key.source.low &* 0x9e37_79b9_7f4a_7c15 ^ key.source.high
        h = (h ^ key.destination.low) &* 0xbf58_476d_1ce4_e5b9 ^ key.destination.high
        h = (h ^ UInt64(key.destQP) ^ UInt64(key.source.kind.rawValue) << 40) &* 0x94d0_49bb_1331_11eb
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    private mutating func grow() {
        let old = zip(keys, slots).compactMap { key, slot in key.map { ($0, Int(slot)) } }
        self = FlowIndex(capacity: slots.count)
        for (key, index) in old { insert(key, index: index) }
    }
}
