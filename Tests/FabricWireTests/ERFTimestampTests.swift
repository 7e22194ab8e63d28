import FabricWire
import XCTest

/// ERF records carry their own 32.32 fixed-point timestamp, finer than the pcap
/// header's microseconds around them. The expected values are tshark's reading of
/// the first records of the real ibdump capture (shared/captures/ib2-erf-cm.pcap):
/// `tshark -T fields -e erf.ts -e frame.time_epoch`.
final class ERFTimestampTests: XCTestCase {
    func testRecordTimestampsAsTSharkReadsThem() {
        let tshark: [(UInt64, Int64)] = [
            (0x64e3_30db_b272_9c20, 1_692_610_779_697_061_308),
            (0x64e3_30db_f6ad_5501, 1_692_610_779_963_582_337),
            (0x64e3_30dc_6ec1_5156, 1_692_610_780_432_637_294),
            (0x64e3_30dc_6f58_b500, 1_692_610_780_434_947_312),
            (0x64e3_30dc_6f8a_5173, 1_692_610_780_435_704_318),
        ]
        for (stamp, expected) in tshark {
            var record = [UInt8](repeating: 0, count: 16)
            for byte in 0..<8 { record[byte] = UInt8(truncatingIfNeeded: stamp >> (8 * UInt64(byte))) }
            record[8] = 21  // ERF type INFINIBAND
            let packet = ByteView.with(record) {
                PacketDecoder().decode($0, linkType: .erf, originalLength: 16, timestampNs: 0)
            }
            XCTAssertEqual(packet.timestampNs, expected, String(stamp, radix: 16))
        }
    }

    /// A fraction that rounds up to a whole second carries into the seconds.
    func testRoundingCarriesIntoSeconds() {
        var record = [UInt8](repeating: 0, count: 16)
        let stamp: UInt64 = 5 << 32 | 0xffff_ffff
        for byte in 0..<8 { record[byte] = UInt8(truncatingIfNeeded: stamp >> (8 * UInt64(byte))) }
        let packet = ByteView.with(record) { PacketDecoder().decode($0, linkType: .erf, originalLength: 16, timestampNs: 0) }
        XCTAssertEqual(packet.timestampNs, 6_000_000_000)
    }
}
