import FabricIngest
import FabricStats
import Foundation
import XCTest

/// Mirrored and tunnelled frames built by scapy (ERSPAN I/II/III, GRE, VXLAN, Geneve;
/// see scripts/vectors/scapy_tunnel_vectors.py), decoded by FabricScope and held to
/// scapy's own reading of the tunnel and of the inner packet; and the frames that
/// must be refused, each with its reason.
final class TunnelDecodeTests: XCTestCase {
    struct Vector: Decodable {
        struct Inner: Decodable { let src: String, dst: String, dqpn: UInt32, psn: UInt32, opcode: UInt8, tos: UInt8 }
        let name: String
        let hex: String
        let inner_length: Int?
        let inner: Inner?
        let kind: String?
        let session: UInt32?
        let sequence: UInt32?
        let vlan: UInt16?
        let granularity: UInt8?
        let timestamp: UInt32?
        let truncated: Bool?
        let `switch`: String?
        let reason: String?
        let scapy_session: UInt32?
        let scapy_sequence: UInt32?
        let scapy_vni: UInt32?
        let scapy_timestamp: UInt32?
        let scapy_gra: UInt8?
    }

    static let vectors: [Vector] = {
        let data = try! Data(contentsOf: TestPaths.vectors("scapy-tunnels.json"))
        return try! JSONDecoder().decode([Vector].self, from: data)
    }()

    func decode(_ vector: Vector) -> DecodedPacket {
        let bytes = [UInt8](hex: vector.hex)
        return ByteView.with(bytes) {
            PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: 0)
        }
    }

    func testEveryEncapsulationDecodesAsScapyReadsIt() throws {
        let decodable = TunnelDecodeTests.vectors.filter { $0.reason == nil }
        XCTAssertEqual(decodable.count, 9)
        for vector in decodable {
            let packet = decode(vector)
            let inner = try XCTUnwrap(vector.inner, vector.name)
            XCTAssertEqual(packet.kind, .roce, vector.name)
            XCTAssertEqual(packet.roce.source.description, inner.src, vector.name)
            XCTAssertEqual(packet.roce.destination.description, inner.dst, vector.name)
            XCTAssertEqual(packet.roce.bth.destQP, inner.dqpn, vector.name)
            XCTAssertEqual(packet.roce.bth.psn, inner.psn, vector.name)
            XCTAssertEqual(packet.roce.bth.opcode.rawValue, inner.opcode, vector.name)
            XCTAssertEqual(packet.roce.dscp, inner.tos >> 2, vector.name)
            XCTAssertEqual(packet.roce.ecn, inner.tos & 3, vector.name)
            XCTAssertEqual(packet.roce.payloadLength, 256, vector.name)
            XCTAssertEqual(packet.roce.vlan, vector.vlan, vector.name)
            // The inner frame's own length: a mirror reads like a tap on the link.
            XCTAssertEqual(packet.wireLength, vector.inner_length, vector.name)
            XCTAssertEqual(packet.mirror.kind.name, vector.kind, vector.name)
            XCTAssertEqual(packet.mirror.session, vector.session, vector.name)
            XCTAssertEqual(packet.mirror.switchAddress.description, vector.switch ?? "198.51.100.7", vector.name)
            XCTAssertEqual(packet.mirror.hasSequence, vector.sequence != nil, vector.name)
            if let sequence = vector.sequence { XCTAssertEqual(packet.mirror.sequence, sequence, vector.name) }
            XCTAssertEqual(packet.mirror.truncatedBySwitch, vector.truncated ?? false, vector.name)
            XCTAssertEqual(packet.mirror.granularity?.rawValue, vector.granularity, vector.name)
            if let timestamp = vector.timestamp { XCTAssertEqual(packet.mirror.hardwareTimestamp, timestamp, vector.name) }
            // What we expect is what scapy itself read from the same bytes.
            if let session = vector.scapy_session, vector.name != "gre_in_gre" { XCTAssertEqual(session, vector.session, vector.name) }
            if let sequence = vector.scapy_sequence, vector.sequence != nil { XCTAssertEqual(sequence, vector.sequence, vector.name) }
            if let vni = vector.scapy_vni { XCTAssertEqual(vni, vector.session, vector.name) }
            if let stamp = vector.scapy_timestamp { XCTAssertEqual(stamp, vector.timestamp, vector.name) }
            if let gra = vector.scapy_gra { XCTAssertEqual(gra, vector.granularity, vector.name) }
        }
    }

    /// Batches reuse their slots: a record decoded where an ERSPAN III copy was keeps
    /// nothing of it (truncation, granularity, timestamp) unless its own tunnel says so.
    func testReusedSlotKeepsNothingOfTheRecordBefore() throws {
        let decoder = PacketDecoder()
        let truncated = try XCTUnwrap(TunnelDecodeTests.vectors.first { $0.name == "erspan3_truncated_by_switch" })
        var slot = DecodedPacket(timestampNs: 0, wireLength: 0, content: .other)
        for vector in TunnelDecodeTests.vectors where vector.reason == nil && !vector.name.hasPrefix("erspan3") {
            for frame in [truncated.hex, vector.hex].map({ [UInt8](hex: $0) }) {
                slot.wireLength = frame.count
                ByteView.with(frame) { decoder.decode($0, linkType: .ethernet, into: &slot) }
            }
            XCTAssertEqual(slot, decode(vector), vector.name)
            XCTAssertFalse(slot.mirror.truncatedBySwitch, vector.name)
            XCTAssertNil(slot.mirror.granularity, vector.name)
        }
    }

    func testUnreadableTunnelsAreOtherWithTheirReason() {
        let refused = TunnelDecodeTests.vectors.filter { $0.reason != nil }
        XCTAssertEqual(refused.count, 7)
        for vector in refused {
            let packet = decode(vector)
            XCTAssertEqual(packet.kind, .other, vector.name)
            XCTAssertEqual(packet.undecodedReason.name, vector.reason, vector.name)
        }
    }

    /// Every prefix of every vector decodes without a trap, and never as RoCE with a
    /// wire length beyond what its headers say.
    func testEveryTruncationIsSafe() {
        for vector in TunnelDecodeTests.vectors {
            let bytes = [UInt8](hex: vector.hex)
            for cut in 0...bytes.count {
                let packet = ByteView.with(Array(bytes.prefix(cut))) {
                    PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: 0)
                }
                if packet.kind == .roce {
                    // (A copy the switch truncated is as long as its inner IP header says.)
                    XCTAssertLessThanOrEqual(packet.wireLength, max(bytes.count, vector.inner_length ?? 0), vector.name)
                }
            }
        }
    }

    /// The accumulator counts the refused records by reason, and follows each mirror
    /// point's sequence numbers: a jump is the mirror's loss, a step back is not.
    func testMirrorPointsAndReasonsInTheTotals() throws {
        var accumulator = TrafficAccumulator()
        let erspan = try XCTUnwrap(TunnelDecodeTests.vectors.first { $0.name == "erspan2" })
        var bytes = [UInt8](hex: erspan.hex)
        let sequenceOffset = 14 + 20 + 4
        for sequence: UInt32 in [10, 11, 15, 16, 12, 13] {
            bytes[sequenceOffset..<sequenceOffset + 4] = [UInt8(sequence >> 24), UInt8(sequence >> 16 & 0xff),
                                                         UInt8(sequence >> 8 & 0xff), UInt8(sequence & 0xff)]
            accumulator.add(ByteView.with(bytes) {
                PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: Int64(sequence))
            })
        }
        for vector in TunnelDecodeTests.vectors where vector.reason != nil { accumulator.add(decode(vector)) }
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
