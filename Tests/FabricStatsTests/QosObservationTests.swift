@testable import FabricStats
import FabricWire
import XCTest

/// What the classes let be judged: a priority is on the wire only in a VLAN tag, so
/// checks on priorities are made for tagged RoCE and said to be unmade for untagged.
final class QosObservationTests: XCTestCase {
    private func observation(dscp: Int, priority: Int?, paused: [Int]) -> QosObservation {
        var observation = QosObservation(AnalysisSummary(accumulator: TrafficAccumulator(), files: []))
        var classes = FlowMarkings.Classes()
        classes.dscps = 1 << UInt64(dscp)
        classes.priorities = priority.map { 1 << UInt16($0) } ?? FlowMarkings.untaggedBit
        observation.data = classes
        observation.dataByHost = [.ipv4(0x0a00_0001): classes]
        observation.flowsSeen = 1
        for priority in paused { observation.pausedPriorities[priority] = 1 }
        return observation
    }

    func testPausesOnAnotherPriorityThanTaggedRoCEWarn() {
        let findings = observation(dscp: 26, priority: 0, paused: [3]).findings(intent: nil)
        XCTAssertEqual(findings.map(\.kind), ["pause_without_roce"])
        // Declared lossless 3: the pauses are where they belong, RoCE is not.
        XCTAssertEqual(observation(dscp: 26, priority: 0, paused: [3]).findings(intent: QosIntent(losslessPriority: 3)).map(\.kind),
                       ["data_off_lossless"])
        XCTAssertEqual(observation(dscp: 26, priority: 3, paused: [3]).findings(intent: nil), [])
    }

    func testUntaggedRoCEsPriorityIsNotJudged() {
        let untagged = observation(dscp: 26, priority: nil, paused: [0])
        XCTAssertEqual(untagged.findings(intent: nil), [], "its priority is the switch's DSCP map, not in the capture")
        XCTAssertEqual(untagged.findings(intent: QosIntent(losslessPriority: 3)).map(\.kind), ["pause_off_lossless"],
                       "pauses off the declared priority are on the wire; RoCE's own priority is not")
        XCTAssertTrue(untagged.summaryLine.contains("whether PFC protects it is not judged"), untagged.summaryLine)
    }
}
