import TestSupport
import FabricWire
import XCTest

/// Native InfiniBand and ERF records, built by hand from the LRH/GRH/ERF layouts.
final class InfiniBandDecodeTests: XCTestCase {
    /// LRH: VL0/LVer0, SL0 + LNH, DLID, PktLen (words, LRH..ICRC), SLID.
    func lrh(lnh: UInt8, dlid: UInt16, slid: UInt16, packetBytes: Int) -> [UInt8] {
        let words = UInt16(packetBytes / 4)
        return [0x00, lnh, UInt8(dlid >> 8), UInt8(dlid & 0xff), UInt8(words >> 8), UInt8(words & 0xff),
                UInt8(slid >> 8), UInt8(slid & 0xff)]
    }

    func testLocalRouteWriteOnly() {
        let bth = BaseTransportHeader(opcode: Opcode(rawValue: 0x0a), destQP: 0x55, ackRequest: true, psn: 100)
        var transport = bth.bytes + [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 7, count: 256)
        transport += [0, 0, 0, 0]  // ICRC
        let packet = lrh(lnh: 2, dlid: 3, slid: 7, packetBytes: 8 + transport.count) + transport + [0, 0]  // VCRC
        let decoded = ByteView.with(packet) {
            PacketDecoder().decode($0, linkType: .infiniband, originalLength: packet.count, timestampNs: 5)
        }
        guard case .roce(let roce) = decoded.content else { return XCTFail("not decoded") }
        XCTAssertEqual(roce.encapsulation, .infiniband)
        XCTAssertEqual(roce.source.description, "lid:7")
        XCTAssertEqual(roce.destination.description, "lid:3")
        XCTAssertEqual(roce.bth.destQP, 0x55)
        XCTAssertEqual(roce.payloadLength, 256)
        XCTAssertEqual(decoded.wireLength, packet.count)
        XCTAssertNil(roce.ecn)
    }

    func testGlobalRouteUsesGIDs() {
        let bth = BaseTransportHeader(opcode: Opcode(rawValue: 0x11), destQP: 0x66, psn: 1)
        let transport = bth.bytes + [0x00, 0, 0, 1] + [0, 0, 0, 0]
        var grh: [UInt8] = [0x60, 0, 0, 0, 0, UInt8(transport.count), 0x1b, 64]
        grh += [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [1]
        grh += [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [2]
        let packet = lrh(lnh: 3, dlid: 3, slid: 7, packetBytes: 8 + 40 + transport.count) + grh + transport + [0, 0]
        let decoded = ByteView.with(packet) {
            PacketDecoder().decode($0, linkType: .infiniband, originalLength: packet.count, timestampNs: 5)
        }
        guard case .roce(let roce) = decoded.content else { return XCTFail("not decoded") }
        XCTAssertEqual(roce.source.description, "fe80::1")
        XCTAssertEqual(roce.destination.description, "fe80::2")
        XCTAssertEqual(roce.extensions.aeth?.syndrome.kind, .ack(creditCode: 0))
        XCTAssertEqual(roce.payloadLength, 0)
    }

    func testERFInfinibandRecordWithLossCounter() {
        let bth = BaseTransportHeader(opcode: Opcode(rawValue: 0x04), destQP: 0x10, psn: 9)
        let transport = bth.bytes + [UInt8](repeating: 1, count: 64) + [0, 0, 0, 0]
        let ib = lrh(lnh: 2, dlid: 1, slid: 2, packetBytes: 8 + transport.count) + transport + [0, 0]
        var erf: [UInt8] = [UInt8](repeating: 0, count: 8) + [21, 0x04]
        let rlen = UInt16(16 + ib.count)
        erf += [UInt8(rlen >> 8), UInt8(rlen & 0xff), 0, 3, UInt8(ib.count >> 8), UInt8(ib.count & 0xff)]
        let record = erf + ib
        let decoded = ByteView.with(record) {
            PacketDecoder().decode($0, linkType: .erf, originalLength: record.count, timestampNs: 0)
        }
        guard case .roce(let roce) = decoded.content else { return XCTFail("not decoded") }
        XCTAssertEqual(roce.payloadLength, 64)
        XCTAssertEqual(decoded.wireLength, ib.count)
        XCTAssertEqual(decoded.reportedDrops, 3)
    }

    func testTruncatedBTHIsCountedNotDropped() {
        // The NAK vector cut 4 bytes into its BTH, as a 46-byte snaplen would.
        let frame = Array([UInt8](hex: ScapyVectorTests.vectors[1].hex).prefix(46))
        let decoded = ByteView.with(frame) {
            PacketDecoder().decode($0, linkType: .ethernet, originalLength: 62, timestampNs: 0)
        }
        XCTAssertEqual(decoded.content, .truncatedRoce)
        XCTAssertEqual(decoded.wireLength, 62)
    }

    func testCustomRocePort() {
        let vector = ScapyVectorTests.vectors[0]
        var bytes = [UInt8](hex: vector.hex)
        bytes[36] = 0x13
        bytes[37] = 0x88  // UDP destination port 5000
        let standard = ByteView.with(bytes) {
            PacketDecoder().decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: 0)
        }
        XCTAssertEqual(standard.content, .other)
        let custom = ByteView.with(bytes) {
            PacketDecoder(rocePorts: [5000]).decode($0, linkType: .ethernet, originalLength: bytes.count, timestampNs: 0)
        }
        guard case .roce = custom.content else { return XCTFail("port 5000 not decoded") }
    }
}
