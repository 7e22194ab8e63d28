import FabricStats
import XCTest

final class PSNTests: XCTestCase {
    func testSerialComparisonAcrossTheWrap() {
        XCTAssertTrue(PSN.isAfter(1, 0))
        XCTAssertTrue(PSN.isAfter(0, 0xff_ffff), "0 follows 2^24 − 1")
        XCTAssertFalse(PSN.isAfter(0xff_ffff, 0))
        XCTAssertFalse(PSN.isAfter(5, 5))
        XCTAssertTrue(PSN.isAfter(0x7f_ffff, 0), "2^23 − 1 ahead is after")
        XCTAssertFalse(PSN.isAfter(0x80_0000, 0), "exactly half the space is not after")
        XCTAssertEqual(PSN.distance(from: 0xff_fffe, to: 1), 3)
        XCTAssertEqual(PSN.distance(from: 1, to: 0xff_fffe), -3)
    }

    func testUnwrappingKeepsCounting() {
        var unwrapper = PSNUnwrapper()
        let psns: [UInt32] = [0xff_fffe, 0xff_ffff, 0, 1, 0xff_ffff, 2]
        XCTAssertEqual(psns.map { unwrapper.unwrap($0) }, [0xff_fffe, 0xff_ffff, 0x100_0000, 0x100_0001, 0xff_ffff, 0x100_0002])
        XCTAssertEqual(unwrapper.place(3), 0x100_0003)
        XCTAssertEqual(unwrapper.place(0xff_fff0), 0xff_fff0)
    }
}
