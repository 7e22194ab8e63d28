import FabricIngest
import FabricStats
import FabricWire
import Foundation
import TestSupport
import XCTest

/// What the statistics make of mirrored copies (scapy-built, as the decoder's tests
/// read them): mirror points, sequence numbers and the reasons copies were unreadable.
final class TunnelTotalsTests: XCTestCase {
    static let vectors = ScapyVectors.tunnels

    func decode(_ vector: ScapyTunnelVector) -> DecodedPacket {
        let bytes = [UInt8](hex: vector.hex)
        return ByteView.with(bytes) {
            PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: 0)
        }
    }

    /// The accumulator counts the refused records by reason, and follows each mirror
    /// point's sequence numbers: a jump is the mirror's loss, a step back is not.
    func testMirrorPointsAndReasonsInTheTotals() throws {
        var accumulator = TrafficAccumulator()
        let erspan = try XCTUnwrap(TunnelTotalsTests.vectors.first { $0.name == "erspan2" })
        var bytes = [UInt8](hex: erspan.hex)
        let sequenceOffset = 14 + 20 + 4
        for sequence: UInt32 in [10, 11, 15, 16, 12, 13] {
            bytes[sequenceOffset..<sequenceOffset + 4] = [UInt8(sequence >> 24), UInt8(sequence >> 16 & 0xff),
                                                         UInt8(sequence >> 8 & 0xff), UInt8(sequence & 0xff)]
            accumulator.add(ByteView.with(bytes) {
                PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: Int64(sequence))
            })
        }
        for vector in TunnelTotalsTests.vectors where vector.reason != nil { accumulator.add(decode(vector)) }
        accumulator.finish()
        // Refused records whose outer tunnel was read still come from a mirror point:
        // five-deep GRE, Geneve carrying MPLS and the ERSPAN III of unknown frame type.
        let points = try XCTUnwrap(accumulator.totals.mirrors)
        XCTAssertEqual(points.map(\.kind), ["erspan2", "gre", "erspan3", "geneve"])
        XCTAssertEqual(points[0].records, 6)
        XCTAssertEqual(points[0].lostCopies, 3)  // 12, 13, 14 between 11 and 15
        XCTAssertEqual(points[0].sequenceRegressions, 1)  // 16 → 12
        XCTAssertEqual(points[0].session, 513)
        XCTAssertEqual(points[1].switchAddress.description, "203.0.113.5")
        XCTAssertEqual(accumulator.totals.undecoded?["tunnel_payload_not_ethernet"], 2)
        XCTAssertEqual(accumulator.totals.undecoded?["tunnel_too_deep"], 1)
        XCTAssertEqual(accumulator.totals.undecoded?.values.reduce(0, +), 7)
    }
}
