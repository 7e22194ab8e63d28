@testable import FabricSynth
import XCTest

/// The generator's UDP source ports are Linux's (include/rdma/ib_verbs.h:
/// `rdma_calc_flow_label`, then `rdma_flow_label_to_udp_sport`), so the ECMP detector
/// is validated on the ports real NICs send, not on this project's guess. The
/// expected values come from a separate Python transcription of the kernel's C.
final class SourcePortTests: XCTestCase {
    func testLinuxSourcePortMatchesTheKernelsFormula() {
        XCTAssertEqual(RingAllReduceGenerator.linuxSourcePort(0x1000, 0x1001), 53264)
        XCTAssertEqual(RingAllReduceGenerator.linuxSourcePort(0x11a, 0x13a), 55777)
        XCTAssertEqual(RingAllReduceGenerator.linuxSourcePort(0xff_ffff, 0xff_fffe), 65298)
        // Symmetric: both ends of a connection send from the same port.
        XCTAssertEqual(RingAllReduceGenerator.linuxSourcePort(0x13a, 0x16a), RingAllReduceGenerator.linuxSourcePort(0x16a, 0x13a))
        XCTAssertEqual(RingAllReduceGenerator.linuxSourcePort(0x13a, 0x16a), 64514)
        // The flow label behind the port (IPv6 carries it too), from the same transcription.
        XCTAssertEqual(RingAllReduceGenerator.linuxFlowLabel(0x1000, 0x1001), 0x1010)
        XCTAssertEqual(RingAllReduceGenerator.linuxFlowLabel(0xff_ffff, 0xff_fffe), 0xfff2d)
    }
}
