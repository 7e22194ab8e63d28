import FabricStats
import XCTest

final class PauseTimelineTests: XCTestCase {
    // At 400 Gb/s one quantum is 1.28 ns: 0xffff quanta = 83,884.8 ns.
    func testExpiryXONAndRefresh() {
        var timeline = PauseTimeline(linkBitsPerSecond: 400e9, stormThresholdNs: 150_000)
        timeline.add(quanta: 0xffff, atNs: 0)  // expires at 83,885
        timeline.add(quanta: 0xffff, atNs: 200_000)  // new pause…
        timeline.add(quanta: 0, atNs: 210_000)  // …ended by XON after 10 µs
        timeline.add(quanta: 0xffff, atNs: 300_000)  // refreshed twice, then XON: 160 µs continuous
        timeline.add(quanta: 0xffff, atNs: 360_000)
        timeline.add(quanta: 0xffff, atNs: 420_000)
        timeline.add(quanta: 0, atNs: 460_000)
        timeline.add(quanta: 100, atNs: 900_000)  // still running when the capture ends at 900,050
        timeline.finish(atNs: 900_050)
        XCTAssertEqual(timeline.pausedNs, 83_885 + 10_000 + 160_000 + 50)
        XCTAssertEqual(timeline.longestPauseNs, 160_000)
        XCTAssertEqual(timeline.storms, [PauseTimeline.Storm(startNs: 300_000, durationNs: 160_000)])
    }
}
