import FabricSynth
import TestSupport
import FabricWire
@testable import FabricSynth
import XCTest

/// The generator's ICRC against frames whose ICRC was computed elsewhere: scapy's
/// vectors, a CNP captured on a ConnectX-4 Lx, and all 105 RoCE packets of the
/// real capture.
final class ICRCTests: XCTestCase {
    func storedICRC(_ frame: [UInt8]) -> UInt32 {
        let tail = frame.suffix(4).map(UInt32.init)
        return tail[tail.startIndex] | tail[tail.startIndex + 1] << 8 | tail[tail.startIndex + 2] << 16
            | tail[tail.startIndex + 3] << 24
    }

    func check(_ frame: [UInt8], ipStart: Int, name: String) {
        let packet = Array(frame[ipStart..<(frame.count - 4)])
        XCTAssertEqual(ICRC.compute(ipPacketWithoutICRC: packet, ipv6: false), storedICRC(frame), name)
    }

    func testScapyIPv4Vectors() {
        for vector in ScapyVectors.roce where vector.ip != nil && vector.bth != nil && !vector.hex.contains("86dd") {
            let frame = [UInt8](hex: vector.hex)
            check(frame, ipStart: vector.vlan == nil ? 14 : 18, name: vector.name)
        }
    }

    func testConnectX4LxCNP() {
        // scapy test/contrib/roce.uts: "RoCE CNP captured on ConnectX-4 Lx".
        let frame = [UInt8](hex: "e41d2dab2bc27cfe90643b32080045c2" + "003c718c4000401191610a0011010a00"
            + "1201000012b7002800008100ffff4000" + "01180000000000000000000000000000" + "00000000000082fd002a")
        XCTAssertEqual(frame.count, 74)
        check(frame, ipStart: 14, name: "ConnectX-4 Lx CNP")
    }

    func testRealCapture() throws {
        var checked = 0
        try RawFrames.forEach(path: TestPaths.fixture("real/roce-rc-send-real.pcap")) { frame in
            guard frame.count > 42, frame[12] == 0x08, frame[13] == 0x00, frame[23] == 17,
                  frame[36] == 0x12, frame[37] == 0xb7 else { return }
            check(frame, ipStart: 14, name: "real frame \(checked)")
            checked += 1
        }
        XCTAssertEqual(checked, 105)
    }
}
