import FabricWire
import FabricSynth
import XCTest

final class GeneratorTests: XCTestCase {
    func frames(_ scenario: RingAllReduceScenario) throws -> ([(Int64, Frame)], GroundTruth) {
        var generator = try RingAllReduceGenerator(scenario)
        var frames: [(Int64, Frame)] = []
        let truth = generator.run { frames.append(($0, $1)) }
        return (frames, truth)
    }

    func testSameSeedSameBytesOtherSeedOtherBytes() throws {
        var scenario = RingAllReduceScenario()
        scenario.bufferBytes = 64 << 10
        scenario.lossProbability = 0.05
        scenario.ceProbability = 0.05
        let (first, _) = try frames(scenario)
        let (second, _) = try frames(scenario)
        XCTAssertEqual(first.map(\.0), second.map(\.0))
        XCTAssertEqual(first.map(\.1.bytes), second.map(\.1.bytes))
        scenario.seed = 2
        let (third, _) = try frames(scenario)
        XCTAssertNotEqual(first.map(\.0), third.map(\.0))
    }

    func testFramesAreInTimeOrderAndDecodeToTheTruth() throws {
        var scenario = RingAllReduceScenario()
        scenario.ranks = 3
        scenario.bufferBytes = 96 << 10
        scenario.mtu = 1024
        scenario.lossProbability = 0.03
        scenario.ceProbability = 0.1
        scenario.pfcEvents = 2
        let (frames, truth) = try frames(scenario)
        XCTAssertEqual(frames.count, truth.packets)
        XCTAssertEqual(frames.map(\.0), frames.map(\.0).sorted())
        // Ring of 3: 3 data flows + 3 response flows.
        XCTAssertEqual(truth.flows.count, 6)
        // 2(N−1) = 4 steps, each rank sends 32 KiB = 32 packets per step, plus retransmissions.
        for flow in truth.flows where flow.opcodes["RC_RDMA_WRITE_FIRST"] != nil {
            XCTAssertEqual(flow.opcodes["RC_RDMA_WRITE_FIRST"], 4 + (flow.retransmittedPackets > 0 ? flow.opcodes["RC_RDMA_WRITE_FIRST"]! - 4 : 0))
            XCTAssertEqual(flow.packets, 4 * 32 + flow.retransmittedPackets + flow.timeoutRetransmissions * 0)
        }
        XCTAssertGreaterThan(truth.flows.reduce(0) { $0 + $1.cnpPackets }, 0)
        XCTAssertGreaterThan(truth.flows.reduce(0) { $0 + $1.naks + $1.timeoutRetransmissions }, 0)
        let decoder = PacketDecoder()
        for (time, frame) in frames {
            let decoded = ByteView.with(frame.bytes) {
                decoder.decode($0, linkType: .ethernet, originalLength: frame.originalLength, timestampNs: time)
            }
            if case .other = decoded.content { XCTFail("undecodable generated frame at \(time)") }
        }
    }

    func testPSNWrapsModulo2To24() throws {
        var scenario = RingAllReduceScenario()
        scenario.ranks = 2
        scenario.bufferBytes = 64 << 10
        scenario.startPSN = 0xff_fffa
        let (frames, _) = try frames(scenario)
        var psns: [UInt32] = []
        for (_, frame) in frames {
            let decoded = ByteView.with(frame.bytes) {
                PacketDecoder().decode($0, linkType: .ethernet, originalLength: frame.originalLength, timestampNs: 0)
            }
            if case .roce(let packet) = decoded.content, packet.bth.opcode.isRequest, packet.bth.destQP == 0x2000 {
                psns.append(packet.bth.psn)
            }
        }
        // 2 steps × 8 packets of 4 KiB from 0xfffffa: ..., 0xffffff, 0, 1, ...
        XCTAssertEqual(psns.count, 16)
        XCTAssertEqual(psns.first, 0xff_fffa)
        XCTAssertTrue(psns.contains(0xff_ffff))
        XCTAssertTrue(psns.contains(0))
        XCTAssertEqual(psns.last, 9)
    }

    func testRejectsNonsense() {
        var scenario = RingAllReduceScenario()
        scenario.ranks = 1
        XCTAssertThrowsError(try RingAllReduceGenerator(scenario))
    }
}

/// Issue 28, row 8: the 50 M-packet limit counted bytes ÷ MTU, so a 4,096-rank ring of
/// 1 KiB messages (one packet and one ACK each) wrote 67 M. The estimate now counts
/// frames, and equals what the generator writes when nothing is lost.
final class PacketEstimateTests: XCTestCase {
    func testEstimateCountsTheFramesWritten() throws {
        var scenarios: [RingAllReduceScenario] = []
        var ring = RingAllReduceScenario()
        ring.ranks = 6
        ring.bufferBytes = 100_000
        ring.queuePairsPerConnection = 2
        ring.iterations = 2
        scenarios.append(ring)
        var gather = ring
        gather.collective = .allgather
        scenarios.append(gather)
        var tree = ring
        tree.collective = .treeAllreduce
        tree.bufferBytes = 3 << 19  // two chunks a tree: 512 KiB and 256 KiB
        scenarios.append(tree)
        var sweep = RingAllReduceScenario()
        sweep.ranks = 4
        sweep.iterations = 2
        sweep.queuePairsPerConnection = 2
        var plan = NCCLTestsPlan(sizes: [65_536, 1 << 20])
        plan.warmupIterations = 1
        plan.sliceBytes = 65_536  // the larger size takes two slices a step
        sweep.ncclTests = plan
        scenarios.append(sweep)
        for scenario in scenarios {
            var generator = try RingAllReduceGenerator(scenario)
            let truth = generator.run { _, _ in }
            XCTAssertEqual(scenario.estimatedPackets, Double(truth.packets), "\(scenario.collective) \(scenario.ncclTests != nil)")
        }
        var huge = RingAllReduceScenario()
        huge.ranks = 4096
        huge.bufferBytes = 4 << 20
        XCTAssertThrowsError(try huge.validate()) { XCTAssertTrue("\($0)".contains("67092480 packets"), "\($0)") }
    }
}
