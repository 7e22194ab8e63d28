import TestSupport
import XCTest

/// Per-flow packet and wire-byte counts must equal what tshark's InfiniBand
/// dissector finds in the same file, on the real capture and on every link type.
final class TSharkCrossCheckTests: XCTestCase {
    func assertMatchesTShark(_ fixture: String, wire: TShark.WireLength = .frame, line: UInt = #line) throws {
        let path = Run.fixture(fixture)
        let ours = try Run.fabricscope(["analyze", "--format", "json", path])
        XCTAssertEqual(ours.status, 0, ours.stderr, line: line)
        let theirs = try TShark.flowCounts(path, wire: wire)
        XCTAssertFalse(theirs.isEmpty, "tshark decoded nothing in \(fixture)", line: line)
        XCTAssertEqual(try ours.flowCounts(), theirs, fixture, line: line)
    }

    func testRealCapture() throws { try assertMatchesTShark("real/roce-rc-send-real.pcap") }
    func testGeneratedFullFrames() throws { try assertMatchesTShark("generated/ring4-faults.pcap") }
    func testIPv6VLANWrapSnaplen128() throws { try assertMatchesTShark("generated/ring8-ipv6-vlan-wrap-snap128.pcap") }
    func testPcapng() throws { try assertMatchesTShark("derived/ring4-faults.pcapng") }
    func testGzip() throws { try assertMatchesTShark("derived/ring4-faults.pcap.gz") }
    func testTwoInterfacePcapng() throws { try assertMatchesTShark("derived/two-interfaces.pcapng") }
    func testLinuxSLL() throws { try assertMatchesTShark("derived/ring4-faults.sll.pcap", wire: .minus(2)) }
    func testLinuxSLL2() throws { try assertMatchesTShark("derived/ring4-faults.sll2.pcap", wire: .minus(6)) }
    func testRawIP() throws { try assertMatchesTShark("derived/ring4-faults.raw.pcap") }
    func testERFEthernet() throws { try assertMatchesTShark("derived/ring4-faults.erf-eth.pcap", wire: .erfWireLength) }
    func testERFInfiniband() throws { try assertMatchesTShark("derived/ring4-faults.erf-ib.pcap", wire: .erfWireLength) }
    func testRoCEv1() throws { try assertMatchesTShark("derived/ring4-faults.rocev1.pcap") }

    /// tshark 4.0 cannot read LINKTYPE_INFINIBAND (247) pcaps, so the 247 file is
    /// checked against tshark's reading of the same packets in ERF form.
    func testInfinibandLinkTypeAgainstERFForm() throws {
        let ours = try Run.fabricscope(["analyze", "--format", "json", Run.fixture("derived/ring4-faults.ib.pcap")])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        let theirs = try TShark.flowCounts(Run.fixture("derived/ring4-faults.erf-ib.pcap"), wire: .erfWireLength)
        XCTAssertEqual(try ours.flowCounts(), theirs)
    }
}
