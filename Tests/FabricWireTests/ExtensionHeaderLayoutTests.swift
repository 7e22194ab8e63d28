@testable import FabricWire
import FabricWire
import XCTest

/// Extension header sizes per opcode, typed in by hand from IBTA vol. 1 Table 38
/// (RETH 16, AETH 4, AtomicETH 28, AtomicAckETH 8, ImmDt 4, IETH 4, DETH 8, RDETH 4,
/// XRCETH 4) and the RoCEv2 CNP's 16 reserved bytes.
final class ExtensionHeaderLayoutTests: XCTestCase {
    func testRCSizes() {
        let expected: [UInt8: Int] = [
            0x00: 0, 0x01: 0, 0x02: 0, 0x03: 4, 0x04: 0, 0x05: 4,
            0x06: 16, 0x07: 0, 0x08: 0, 0x09: 4, 0x0a: 16, 0x0b: 20, 0x0c: 16,
            0x0d: 4, 0x0e: 0, 0x0f: 4, 0x10: 4, 0x11: 4, 0x12: 12, 0x13: 28, 0x14: 28,
            0x16: 4, 0x17: 4,
        ]
        for (raw, size) in expected {
            XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: raw)), size, "RC opcode 0x\(String(raw, radix: 16))")
        }
    }

    func testOtherTransports() {
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x24)), 0, "UC SEND_ONLY")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x2a)), 16, "UC WRITE_ONLY")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x64)), 8, "UD SEND_ONLY: DETH")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x65)), 12, "UD SEND_ONLY_IMM: DETH + ImmDt")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x44)), 12, "RD SEND_ONLY: RDETH + DETH")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x51)), 8, "RD ACK: RDETH + AETH")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0xa6)), 20, "XRC WRITE_FIRST: XRCETH + RETH")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0xb1)), 4, "XRC ACK: AETH only")
        XCTAssertEqual(ExtensionHeaders.size(of: Opcode(rawValue: 0x81)), 16, "RoCEv2 CNP")
    }

    func testOpcodeNamesAndClasses() {
        XCTAssertEqual(Opcode(rawValue: 0x0b).name, "RC_RDMA_WRITE_ONLY_IMM")
        XCTAssertEqual(Opcode(rawValue: 0x64).name, "UD_SEND_ONLY")
        XCTAssertEqual(Opcode(rawValue: 0x81).name, "CNP")
        XCTAssertEqual(Opcode(rawValue: 0x80).name, "CNP")
        XCTAssertEqual(Opcode(rawValue: 0xff).name, "UNKNOWN_0xff")
        XCTAssertTrue(Opcode(rawValue: 0x0c).isRequest)
        XCTAssertTrue(Opcode(rawValue: 0x13).isRequest)
        XCTAssertFalse(Opcode(rawValue: 0x11).isRequest)
        XCTAssertTrue(Opcode(rawValue: 0x10).isReadResponse)
        XCTAssertFalse(Opcode(rawValue: 0x81).isRequest)
    }

    func testUDDETHSourceQP() {
        // UD SEND_ONLY: BTH + DETH(Q_Key 0x11111111, source QP 0x000abc) + 8 payload bytes + ICRC.
        var bytes = BaseTransportHeader(opcode: Opcode(rawValue: 0x64), destQP: 1, psn: 3).bytes
        bytes += [0x11, 0x11, 0x11, 0x11, 0x00, 0x00, 0x0a, 0xbc]
        let extensions = ByteView.with(bytes) { ExtensionHeaders($0, at: 12, opcode: Opcode(rawValue: 0x64)) }
        XCTAssertEqual(extensions.deth?.queueKey, 0x1111_1111)
        XCTAssertEqual(extensions.deth?.sourceQP, 0xabc)
        XCTAssertFalse(extensions.truncated)
    }

    func testAtomicHeaders() {
        var bytes = BaseTransportHeader(opcode: Opcode(rawValue: 0x14), destQP: 9, psn: 1).bytes
        bytes += [0, 0, 0, 0, 0, 0, 0x10, 0x00]  // VA
        bytes += [0, 0, 0, 0x42]  // R_Key
        bytes += [0, 0, 0, 0, 0, 0, 0, 5]  // add 5
        bytes += [UInt8](repeating: 0, count: 8)  // compare
        let extensions = ByteView.with(bytes) { ExtensionHeaders($0, at: 12, opcode: Opcode(rawValue: 0x14)) }
        XCTAssertEqual(extensions.atomic?.virtualAddress, 0x1000)
        XCTAssertEqual(extensions.atomic?.remoteKey, 0x42)
        XCTAssertEqual(extensions.atomic?.swapOrAdd, 5)
    }

    func testTruncatedExtensionHeadersAreFlagged() {
        var bytes = BaseTransportHeader(opcode: Opcode(rawValue: 0x11), destQP: 9, psn: 1).bytes
        bytes += [0x60, 0]  // half an AETH
        let extensions = ByteView.with(bytes) { ExtensionHeaders($0, at: 12, opcode: Opcode(rawValue: 0x11)) }
        XCTAssertTrue(extensions.truncated)
        XCTAssertNil(extensions.aeth)
    }
}

extension ExtensionHeaderLayoutTests {
    /// The per-packet size switch agrees with the layout table for all 256 opcodes.
    func testSizeSwitchMatchesLayoutTable() {
        for raw in 0...255 {
            let opcode = Opcode(rawValue: UInt8(raw))
            XCTAssertEqual(ExtensionHeaders.size(of: opcode),
                           ExtensionHeaders.layout(of: opcode).reduce(0) { $0 + $1.size }, "opcode \(raw)")
        }
    }

    /// The AETH shortcut finds the AETH where the layout table puts it, for all 256
    /// opcodes, with all headers captured and with the capture cut inside the AETH.
    func testAETHShortcutMatchesLayoutTable() {
        let wire = (0..<40).map { UInt8($0 + 1) }
        for raw in 0...255 {
            let opcode = Opcode(rawValue: UInt8(raw))
            for captured in [40, 6] {
                let extensions = ByteView.with(Array(wire.prefix(captured))) {
                    ExtensionHeaders($0, at: 0, opcode: opcode)
                }
                XCTAssertEqual(extensions.aethOffset, extensions.offset(of: .aeth), "opcode \(raw), \(captured) bytes")
                XCTAssertEqual(extensions.ackSyndrome?.rawValue, extensions.aeth?.syndrome.rawValue, "opcode \(raw)")
            }
        }
        // RD ACKNOWLEDGE: RDETH (4 bytes) then the AETH.
        let rdAck = ByteView.with(wire) { ExtensionHeaders($0, at: 0, opcode: Opcode(rawValue: 0x51)) }
        XCTAssertEqual(rdAck.ackSyndrome?.rawValue, 5)
    }
}
