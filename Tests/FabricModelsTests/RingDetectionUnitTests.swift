import FabricWire
import FabricModels
import FabricIngest
@testable import FabricModels
import FabricStats
import XCTest

/// Ring detection follows each host's heaviest successor once: a ring entered from a
/// tail is still found, starting at its smallest host, and a long chain is no ring.
final class RingDetectionUnitTests: XCTestCase {
    /// A summary where each (from, to) pair sends `messages` SEND_ONLY messages of 1000 B.
    private func summary(_ edges: [(UInt32, UInt32)], messages: Int = 8) -> AnalysisSummary {
        var accumulator = TrafficAccumulator(windowNs: 1_000_000)
        var time: Int64 = 1_000_000
        for round in 0..<messages {
            for (from, to) in edges {
                time += 10_000
                let packet = RocePacket(
                    encapsulation: .rocev2, source: .ipv4(from), destination: .ipv4(to),
                    bth: BaseTransportHeader(opcode: Opcode(.rc, .sendOnly), destQP: 0x100 + to, ackRequest: true,
                                             psn: UInt32(round)),
                    extensions: ExtensionHeaders(opcode: Opcode(.rc, .sendOnly)), payloadLength: 1000, ecn: 2)
                accumulator.add(DecodedPacket(timestampNs: time, wireLength: 1078, content: .roce(packet)))
            }
        }
        accumulator.finish()
        return AnalysisSummary(accumulator: accumulator, files: [])
    }

    func testRingEnteredFromATail() {
        // 9 → 5 (tail), then 5 → 6 → 7 → 5 (ring); the tail's start is walked first.
        let rings = DetectedRing.find(in: summary([(9, 5), (5, 6), (6, 7), (7, 5)]))
        XCTAssertEqual(rings.count, 1)
        XCTAssertEqual(rings.first?.hosts, [.ipv4(5), .ipv4(6), .ipv4(7)])
    }

    /// A chain of 3000 hosts (each walked once, not once per start) closes no cycle.
    func testLongChainIsNoRing() {
        let hosts = UInt32(1)...UInt32(3000)
        let chain = hosts.dropLast().map { ($0, $0 + 1) }
        XCTAssertTrue(DetectedRing.find(in: summary(chain, messages: 1)).isEmpty)
    }
}
