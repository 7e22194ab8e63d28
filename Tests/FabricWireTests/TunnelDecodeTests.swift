import TestSupport
import FabricWire
import Foundation
import XCTest

/// Mirrored and tunnelled frames built by scapy (ERSPAN I/II/III, GRE, VXLAN, Geneve;
/// see scripts/vectors/scapy_tunnel_vectors.py), decoded by FabricScope and held to
/// scapy's own reading of the tunnel and of the inner packet; and the frames that
/// must be refused, each with its reason.
final class TunnelDecodeTests: XCTestCase {
    typealias Vector = ScapyTunnelVector

    static let vectors = ScapyVectors.tunnels

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

}
