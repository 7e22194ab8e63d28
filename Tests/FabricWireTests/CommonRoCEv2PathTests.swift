@testable import FabricWire
import FabricWire
import TestSupport
import XCTest

/// The decoder's shortcut for the common RoCEv2 shape (`decodeCommonRoCEv2`) must
/// give exactly what the general, layer-by-layer path gives: on every record of
/// the Ethernet fixtures, with a VLAN tag inserted, and cut short at every length.
final class CommonRoCEv2PathTests: XCTestCase {
    let decoder = PacketDecoder()

    /// Decodes `frame` both ways; returns whether the shortcut took it.
    @discardableResult
    func assertPathsAgree(_ frame: [UInt8], _ label: @autoclosure () -> String) -> Bool {
        var general = DecodedPacket(timestampNs: 1, wireLength: frame.count, content: .other)
        var viaDecode = general
        ByteView.with(frame) { bytes in
            decoder.decodeEthernet(bytes, at: 0, into: &general)
            decoder.decode(bytes, linkType: .ethernet, into: &viaDecode)
        }
        XCTAssertEqual(viaDecode, general, label())
        var probe = DecodedPacket(timestampNs: 1, wireLength: frame.count, content: .other)
        return ByteView.with(frame) { decoder.decodeCommonRoCEv2($0, into: &probe) }
    }

    func frames(_ fixture: String) throws -> [[UInt8]] {
        var all: [[UInt8]] = []
        try RawFrames.forEach(path: TestPaths.fixture(fixture)) { all.append($0) }
        return all
    }

    func testEveryFixtureRecordDecodesTheSameBothWays() throws {
        // Fixture, and the share of its records the shortcut should take: the IPv4
        // captures nearly all (PFC and other frames are left over; the real capture has
        // 105 RoCE packets among 123 records), the IPv6 one none.
        let fixtures: [(String, ClosedRange<Double>)] = [
            ("generated/ring4-faults.pcap", 0.9...1), ("generated/ring4-faults-snap256.pcap", 0.9...1),
            ("real/roce-rc-send-real.pcap", 0.85...0.86), ("generated/ring8-ipv6-vlan-wrap-snap128.pcap", 0...0),
        ]
        for (fixture, expected) in fixtures {
            var taken = 0, total = 0
            for (index, frame) in try frames(fixture).enumerated() {
                if assertPathsAgree(frame, "\(fixture) record \(index)") { taken += 1 }
                total += 1
            }
            XCTAssertTrue(expected.contains(Double(taken) / Double(total)), "\(fixture): \(taken) of \(total)")
        }
    }

    /// The mirror shortcut (`decodeCommonMirror`: Ethernet, IPv4, GRE) against the
    /// layer-by-layer walk, on every scapy-built tunnel vector, tagged and cut short.
    func testMirrorShortcutDecodesTheSameAsTheGeneralPath() {
        var taken = 0
        for vector in TunnelDecodeTests.vectors {
            let frame = [UInt8](hex: vector.hex)
            let tagged = Array(frame[0..<12]) + [0x81, 0x00, 0x00, 0x10] + Array(frame[12...])
            for (variant, bytes) in [("plain", frame), ("tagged", tagged)] {
                assertPathsAgree(bytes, "\(vector.name) \(variant)")
                var probe = DecodedPacket(timestampNs: 1, wireLength: bytes.count, content: .other)
                if ByteView.with(bytes, { decoder.decodeCommonMirror($0, into: &probe) }) { taken += 1 }
            }
            for length in stride(from: 0, through: frame.count, by: 3) {
                assertPathsAgree(Array(frame.prefix(length)), "\(vector.name) cut at \(length)")
            }
        }
        // Every vector with an IPv4 outer header and GRE, plain and tagged: all but the
        // IPv6-outer ERSPAN III and the two UDP overlays (VXLAN, Geneve, their refusals).
        XCTAssertEqual(taken, 2 * (TunnelDecodeTests.vectors.count - 5))
    }

    func testVLANTaggedAndCutShortFramesDecodeTheSameBothWays() throws {
        let sample = try frames("generated/ring4-faults.pcap").prefix(200)
        var taken = 0
        for (index, frame) in sample.enumerated() {
            // 802.1Q tag with PCP 3, VLAN 0x123 after the MAC addresses.
            let tagged = Array(frame[0..<12]) + [0x81, 0x00, 0x61, 0x23] + Array(frame[12...])
            if assertPathsAgree(tagged, "tagged record \(index)") { taken += 1 }
            // QinQ: the shortcut must leave it to the general path.
            let doubleTagged = Array(frame[0..<12]) + [0x88, 0xa8, 0x00, 0x07, 0x81, 0x00, 0x00, 0x09] + Array(frame[12...])
            XCTAssertFalse(assertPathsAgree(doubleTagged, "QinQ record \(index)"))
        }
        XCTAssertEqual(taken, sample.count)
        for frame in sample.prefix(20) {
            for length in 0...frame.count { assertPathsAgree(Array(frame.prefix(length)), "cut at \(length)") }
        }
    }
}
