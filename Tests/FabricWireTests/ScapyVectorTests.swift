import TestSupport
import FabricWire
import Foundation
import XCTest

/// Frames built by scapy's contrib/roce and mac_control layers (an independent
/// encoder; see scripts/vectors/scapy_roce_vectors.py), decoded by FabricScope and
/// compared field by field with scapy's own reading.
final class ScapyVectorTests: XCTestCase {
    typealias Vector = ScapyRoCEVector

    static let vectors = ScapyVectors.roce

    func decode(_ vector: Vector) -> DecodedPacket {
        let bytes = [UInt8](hex: vector.hex)
        return ByteView.with(bytes) {
            PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: 0)
        }
    }

    func testAllVectorsPresent() {
        XCTAssertEqual(ScapyVectorTests.vectors.count, 8)
    }

    func testRoceVectorsDecodeAsScapyReadsThem() throws {
        for vector in ScapyVectorTests.vectors where vector.bth != nil {
            let decoded = decode(vector)
            guard case .roce(let packet) = decoded.content else {
                XCTFail("\(vector.name): not decoded as RoCE: \(decoded.content)")
                continue
            }
            let expected = vector.bth!
            XCTAssertEqual(packet.bth.opcode.rawValue, expected.opcode, vector.name)
            XCTAssertEqual(packet.bth.solicitedEvent, expected.solicited == 1, vector.name)
            XCTAssertEqual(packet.bth.migrationRequest, expected.migreq == 1, vector.name)
            XCTAssertEqual(packet.bth.padCount, expected.padcount, vector.name)
            XCTAssertEqual(packet.bth.transportVersion, expected.version, vector.name)
            XCTAssertEqual(packet.bth.partitionKey, expected.pkey, vector.name)
            XCTAssertEqual(packet.bth.fecn, expected.fecn == 1, vector.name)
            XCTAssertEqual(packet.bth.becn, expected.becn == 1, vector.name)
            XCTAssertEqual(packet.bth.destQP, expected.dqpn, vector.name)
            XCTAssertEqual(packet.bth.ackRequest, expected.ackreq == 1, vector.name)
            XCTAssertEqual(packet.bth.psn, expected.psn, vector.name)
            XCTAssertEqual(packet.payloadLength, vector.payload_length, vector.name)
            XCTAssertFalse(packet.extensions.truncated, vector.name)
            XCTAssertEqual(decoded.wireLength, vector.hex.count / 2, vector.name)
            if let aeth = vector.aeth {
                XCTAssertEqual(packet.extensions.aeth?.syndrome.rawValue, aeth.syndrome, vector.name)
                XCTAssertEqual(packet.extensions.aeth?.messageSequenceNumber, aeth.msn, vector.name)
            }
            if let ip = vector.ip {
                XCTAssertEqual(packet.encapsulation, .rocev2, vector.name)
                XCTAssertEqual(packet.source.description, ip.src, vector.name)
                XCTAssertEqual(packet.destination.description, ip.dst, vector.name)
                XCTAssertEqual(packet.ecn, ip.tos & 3, vector.name)
                XCTAssertEqual(packet.dscp, ip.tos >> 2, vector.name)
            }
            if let udp = vector.udp { XCTAssertEqual(packet.udpSourcePort, udp.sport, vector.name) }
            if let grh = vector.grh {
                XCTAssertEqual(packet.encapsulation, .rocev1, vector.name)
                XCTAssertEqual(String(packet.source.high, radix: 16).leftPadded(16)
                    + String(packet.source.low, radix: 16).leftPadded(16), grh.sgid, vector.name)
                XCTAssertEqual(String(packet.destination.high, radix: 16).leftPadded(16)
                    + String(packet.destination.low, radix: 16).leftPadded(16), grh.dgid, vector.name)
            }
            if let reth = vector.reth {
                XCTAssertEqual(packet.extensions.reth?.virtualAddress, reth.va, vector.name)
                XCTAssertEqual(packet.extensions.reth?.remoteKey, reth.rkey, vector.name)
                XCTAssertEqual(packet.extensions.reth?.dmaLength, reth.length, vector.name)
            }
            XCTAssertEqual(packet.vlan, vector.vlan, vector.name)
            XCTAssertEqual(packet.extensions.immediate, vector.immediate, vector.name)
        }
    }

    func testAETHSyndromeKinds() throws {
        let byName = Dictionary(uniqueKeysWithValues: ScapyVectorTests.vectors.map { ($0.name, $0) })
        func kind(_ name: String) -> AckSyndrome.Kind? {
            guard case .roce(let packet) = decode(byName[name]!).content else { return nil }
            return packet.extensions.aeth?.syndrome.kind
        }
        XCTAssertEqual(kind("rc_nak_psn_sequence_ipv4"), .nak(.psnSequenceError))
        XCTAssertEqual(kind("rc_ack_ce_ipv4"), .ack(creditCode: 5))
        XCTAssertEqual(kind("rc_rnr_nak_ipv6"), .rnrNak(timerCode: 0x0e))
    }

    func testPFCVector() throws {
        let vector = ScapyVectorTests.vectors.first { $0.pfc != nil }!
        guard case .pfc(let pause) = decode(vector).content else { return XCTFail("not PFC") }
        XCTAssertEqual(pause.enabledPriorities, vector.pfc!.enabled)
        XCTAssertEqual((0..<8).map { pause.quanta[$0] }, vector.pfc!.quanta)
        XCTAssertEqual(pause.sourceMAC, 0x02aa_0000_0007)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
