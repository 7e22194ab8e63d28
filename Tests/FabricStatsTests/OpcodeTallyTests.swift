import XCTest
import FabricRandom
@testable import FabricStats

/// The tally finds an opcode's slot by comparing its four opcode bytes at once; these
/// hold it to a plain count, including opcode 0 (RC SEND_FIRST), which equals the
/// bytes of the slots not yet used.
final class OpcodeTallyTests: XCTestCase {
    private func counts(_ tally: OpcodeTally) -> [UInt8: Int] {
        Dictionary(uniqueKeysWithValues: tally.entries.map { ($0.opcode, $0.packets) })
    }

    func testOpcodeZeroIsNotFoundInUnusedSlots() {
        var tally = OpcodeTally()
        XCTAssertTrue(tally.add(0x0a))
        XCTAssertTrue(tally.add(0x00))
        XCTAssertTrue(tally.add(0x00))
        XCTAssertEqual(tally.entries.map(\.opcode), [0x0a, 0x00])
        XCTAssertEqual(counts(tally), [0x0a: 1, 0x00: 2])
    }

    func testAgreesWithADictionaryAndOverflowsAfterFourOpcodes() {
        // Seeded: a failure names a sequence that can be run again.
        for seed in UInt64(1)...200 {
            var generator = SplitMix64(seed: seed)
            var tally = OpcodeTally()
            var expected: [UInt8: Int] = [:]
            var overflow: [UInt8: Int] = [:]
            // Few distinct opcodes, values chosen to share bytes with each other and
            // with zero (0x00, 0x01, 0x80, 0x81, 0xff).
            let pool: [UInt8] = [0x00, 0x01, 0x80, 0x81, 0xff, 0x0a, 0x11]
            for _ in 0..<50 {
                let opcode = pool[Int.random(in: 0..<pool.count, using: &generator)]
                if tally.add(opcode) { expected[opcode, default: 0] += 1 } else { overflow[opcode, default: 0] += 1 }
            }
            XCTAssertEqual(counts(tally), expected, "seed \(seed)")
            XCTAssertLessThanOrEqual(expected.count, OpcodeTally.inlineCount)
            XCTAssertTrue(Set(overflow.keys).isDisjoint(with: expected.keys))
            if !overflow.isEmpty { XCTAssertEqual(expected.count, OpcodeTally.inlineCount) }
        }
    }
}
