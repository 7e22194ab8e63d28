import FabricSynth
import XCTest

/// NCCL's split of a slice over a connection's QPs (`ncclIbMultiSend`: the size over
/// the QPs, rounded up to 128 bytes; what is left for the last QPs, possibly nothing).
final class NCCLTestsPlanTests: XCTestCase {
    func testQueuePairSharesFollowNCCLsChunking() {
        // 1 MiB over 4 QPs: 262,144 each, already a multiple of 128.
        XCTAssertEqual((0..<4).map { NCCLTestsPlan.share(of: 1 << 20, queuePair: $0, of: 4) }, [262_144, 262_144, 262_144, 262_144])
        // 1000 bytes over 3 QPs: ceil(1000/3) = 334 → 384; 384, 384, 232.
        XCTAssertEqual((0..<3).map { NCCLTestsPlan.share(of: 1000, queuePair: $0, of: 3) }, [384, 384, 232])
        // 200 bytes over 4 QPs: 50 → 128; 128, 72, then nothing (a zero-length write).
        XCTAssertEqual((0..<4).map { NCCLTestsPlan.share(of: 200, queuePair: $0, of: 4) }, [128, 72, 0, 0])
        for (slice, qps) in [(1 << 20, 3), (12_345, 4), (1, 2), (999_999, 16)] {
            XCTAssertEqual((0..<qps).map { NCCLTestsPlan.share(of: slice, queuePair: $0, of: qps) }.reduce(0, +), slice)
        }
    }

    func testScenarioRefusesWhatNCCLCannotRun() {
        var scenario = RingAllReduceScenario()
        var plan = NCCLTestsPlan(sizes: [1 << 20])
        plan.channels = 0
        scenario.ncclTests = plan
        XCTAssertThrowsError(try RingAllReduceGenerator(scenario)) { XCTAssertTrue("\($0)".contains("--channels")) }
        plan.channels = 2
        plan.sizes = []
        scenario.ncclTests = plan
        XCTAssertThrowsError(try RingAllReduceGenerator(scenario))
    }
}
