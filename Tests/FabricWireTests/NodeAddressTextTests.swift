import FabricWire
import XCTest

/// RFC 5952 canonical IPv6 text, with the RFC's own examples.
final class NodeAddressTextTests: XCTestCase {
    func text(_ high: UInt64, _ low: UInt64) -> String {
        NodeAddress(kind: .ipv6, high: high, low: low).description
    }

    func testCanonicalForms() {
        XCTAssertEqual(text(0x2001_0db8_0000_0000, 0x0000_0000_0000_0001), "2001:db8::1")  // §4.2.1
        XCTAssertEqual(text(0x2001_0db8_0000_0000, 0x0001_0000_0000_0001), "2001:db8::1:0:0:1")  // §4.2.3 first longest
        XCTAssertEqual(text(0x2001_0db8_0000_0001, 0x0001_0001_0001_0001), "2001:db8:0:1:1:1:1:1")  // §4.2.2 one 0 kept
        XCTAssertEqual(text(0x2001_0db8_0000_0000, 0x0001_0000_0000_0000), "2001:db8:0:0:1::")  // later run is longer
        XCTAssertEqual(text(0x2001_0DB8_AAAA_BBBB, 0xCCCC_DDDD_EEEE_0AAA), "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaa")
        XCTAssertEqual(text(0, 0), "::")
        XCTAssertEqual(text(0, 1), "::1")
        XCTAssertEqual(text(0xfe80_0000_0000_0000, 0x0202_c9ff_fe00_0001), "fe80::202:c9ff:fe00:1")
        XCTAssertEqual(text(0, 0x0000_ffff_c000_0280), "::ffff:192.0.2.128")  // §5
    }

    func testIPv4AndLID() {
        XCTAssertEqual(NodeAddress.ipv4(0xc0a8_4606).description, "192.168.70.6")
        XCTAssertEqual(NodeAddress.ipv4(0).description, "0.0.0.0")
        XCTAssertEqual(NodeAddress.ipv4(0xffff_ffff).description, "255.255.255.255")
        XCTAssertEqual(NodeAddress.ipv4(0x0a09_6401).description, "10.9.100.1")
        // Every octet value in every position, against the interpolated text.
        for octet in UInt32(0)...255 {
            let value = octet << 24 | (255 - octet) << 16 | (octet * 7 % 256) << 8 | octet / 3
            XCTAssertEqual(NodeAddress.ipv4(value).description,
                           "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)")
        }
        XCTAssertEqual(NodeAddress.lid(18).description, "lid:18")
    }
}
