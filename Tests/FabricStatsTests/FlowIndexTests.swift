import FabricWire
import FabricJSON
import FabricStats
import FabricSynth
import FabricIngest
@testable import FabricStats
import XCTest

/// The flow table under crafted keys: without a key the hash can be inverted so that
/// thousands of flows start probing at one slot; with the per-run seed they spread.
final class FlowIndexTests: XCTestCase {
    /// Inverse of x ↦ x ^ (x >> 31) on 64 bits.
    private func unxorshift31(_ y: UInt64) -> UInt64 {
        var x = y
        for _ in 0..<3 { x = y ^ (x >> 31) }
        return x
    }

    /// Multiplicative inverse of an odd 64-bit constant (Newton's iteration).
    private func inverse(_ a: UInt64) -> UInt64 {
        var x = a
        for _ in 0..<6 { x = x &* (2 &- a &* x) }
        return x
    }

    /// IPv6 keys whose source's low word is chosen so that the unkeyed hash ends in
    /// `target`, the rest fixed: what an attacker controlling addresses can send.
    private func craftedKeys(count: Int) -> [FlowKey] {
        let destination = NodeAddress(kind: .ipv6, high: 0xfd00 << 48, low: 2)
        let sourceHigh: UInt64 = 0xfd00 << 48, qp: UInt32 = 7
        return (0..<count).map { i in
            // Final hash values that differ only above bit 32: one slot for any table ≤ 2^32.
            let final = UInt64(i + 1) << 32
            var h = unxorshift31(final) &* inverse(0x94d0_49bb_1331_11eb)
            h ^= UInt64(qp) ^ UInt64(NodeAddress.Kind.ipv6.rawValue) << 40
            h = (h ^ destination.high) &* inverse(0xbf58_476d_1ce4_e5b9)
            h ^= destination.low
            let low = (h ^ sourceHigh) &* inverse(0x9e37_79b9_7f4a_7c15)
            return FlowKey(source: NodeAddress(kind: .ipv6, high: sourceHigh, low: low), destination: destination, destQP: qp)
        }
    }

    func testCraftedKeysCollideOnlyWithoutTheSeed() {
        let keys = craftedKeys(count: 2000)
        XCTAssertEqual(Set(keys).count, 2000)
        let unkeyed = FlowIndex(capacity: 2048, seed: 0)
        XCTAssertEqual(Set(keys.map { unkeyed.firstSlot(of: $0) }).count, 1, "the inversion works: one slot for all")
        let keyed = FlowIndex(capacity: 2048)
        XCTAssertGreaterThan(Set(keys.map { keyed.firstSlot(of: $0) }).count, 1500, "random seed: spread out")
    }

    func testInsertAndFindWithGrowth() {
        var index = FlowIndex(capacity: 4)
        let keys = craftedKeys(count: 3000)
        for (i, key) in keys.enumerated() { index.insert(key, index: i) }
        XCTAssertEqual(index.count, 3000)
        for (i, key) in keys.enumerated() { XCTAssertEqual(index.index(of: key), i) }
        XCTAssertNil(index.index(of: FlowKey(source: .ipv4(1), destination: .ipv4(2), destQP: 3)))
    }
}
