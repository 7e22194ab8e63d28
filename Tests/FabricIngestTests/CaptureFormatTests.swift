@testable import FabricIngest
import FabricWire
import FabricIngest
import XCTest

final class CaptureFormatTests: XCTestCase {
    func sniff(_ bytes: [UInt8]) -> CaptureFormat? { ByteView.with(bytes) { CaptureFormat(sniffing: $0) } }

    func testClassicPcapMagics() {
        XCTAssertEqual(sniff([0xd4, 0xc3, 0xb2, 0xa1])?.resolutionNs, 1000)  // little-endian µs
        XCTAssertEqual(sniff([0xa1, 0xb2, 0xc3, 0xd4])?.resolutionNs, 1000)  // big-endian µs
        XCTAssertEqual(sniff([0x4d, 0x3c, 0xb2, 0xa1])?.resolutionNs, 1)  // little-endian ns
        XCTAssertEqual(sniff([0x4d, 0x3c, 0xb2, 0xa1])?.container, .pcap)
        XCTAssertNil(sniff(Array("// swift".utf8)))
    }

    /// Little-endian SHB, then two IDBs: one without options (µs), one with if_tsresol = 9.
    func testPcapngPerInterfaceResolution() {
        func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
        var bytes = le32(0x0a0d_0d0a) + le32(28) + le32(0x1a2b_3c4d) + [1, 0, 0, 0]
        bytes += [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + le32(28)
        bytes += le32(1) + le32(20) + [1, 0, 0, 0] + le32(0) + le32(20)
        bytes += le32(1) + le32(32) + [1, 0, 0, 0] + le32(0)
        bytes += [9, 0, 1, 0, 9, 0, 0, 0] + [0, 0, 0, 0] + le32(32)
        let format = sniff(bytes)
        XCTAssertEqual(format?.container, .pcapng)
        XCTAssertEqual(format?.interfaceResolutionsNs, [1000, 1])
        XCTAssertEqual(format?.resolutionNs, 1000)
    }

    func testPowerOfTwoResolution() {
        XCTAssertEqual(CaptureFormat.resolutionNs(tsresol: 0x80 | 10), 1e9 / 1024, accuracy: 1e-9)
        XCTAssertEqual(CaptureFormat.resolutionNs(tsresol: 6), 1000, accuracy: 1e-9)
    }
}
