import FabricWire
import FabricModels
import FabricIngest
@testable import FabricModels
import FabricStats
import FabricSynth
import XCTest

/// Ring detection follows each host's heaviest successor once: a ring entered from a
/// tail is still found, starting at its smallest host, and a long chain is no ring.
final class RingDetectionUnitTests: XCTestCase {
    /// A summary where each (from, to) pair sends `messages` SEND_ONLY messages of 1000 B.
    /// Edges from a `light` host send in the first round only.
    private func summary(_ edges: [(UInt32, UInt32)], messages: Int = 8, light: Set<UInt32> = []) -> AnalysisSummary {
        var accumulator = TrafficAccumulator(windowNs: 1_000_000)
        var time: Int64 = 1_000_000
        for round in 0..<messages {
            for (from, to) in edges where round == 0 || !light.contains(from) {
                time += 10_000
                let packet = RocePacket(
                    encapsulation: .rocev2, source: .ipv4(from), destination: .ipv4(to),
                    bth: BaseTransportHeader(opcode: Opcode(.rc, .sendOnly), destQP: 0x100 + to, ackRequest: true,
                                             psn: UInt32(round)),
                    extensions: ExtensionHeaders(opcode: Opcode(.rc, .sendOnly)), payloadLength: 1000, ecn: 2)
                accumulator.add(DecodedPacket(timestampNs: time, wireLength: 1078, content: .roce(packet)))
            }
        }
        accumulator.finish()
        return AnalysisSummary(accumulator: accumulator, files: [])
    }

    func testRingEnteredFromATail() {
        // 9 → 5 (a light tail), then 5 → 6 → 7 → 5 (ring); the tail's start is walked first.
        let rings = DetectedRing.find(in: summary([(9, 5), (5, 6), (6, 7), (7, 5)], light: [9]))
        XCTAssertEqual(rings.count, 1)
        XCTAssertEqual(rings.first?.hosts, [.ipv4(5), .ipv4(6), .ipv4(7)])
        // A tail as heavy as the ring's links: host 5 is written by two hosts alike,
        // which is no ring (each ring host has one predecessor).
        XCTAssertTrue(DetectedRing.find(in: summary([(9, 5), (5, 6), (6, 7), (7, 5)])).isEmpty)
    }

    /// A chain of 3000 hosts (each walked once, not once per start) closes no cycle.
    func testLongChainIsNoRing() {
        let hosts = UInt32(1)...UInt32(3000)
        let chain = hosts.dropLast().map { ($0, $0 + 1) }
        XCTAssertTrue(DetectedRing.find(in: summary(chain, messages: 1)).isEmpty)
    }
}

/// Hosts that trade data as a collective does but form no ring are named, never read
/// as rings: NCCL's double binary tree (from FabricSynth's copy of `ncclGetDtree`) as
/// a tree all-reduce, an all-to-all as unrecognised.
final class CollectiveGroupTests: XCTestCase {
    private func summary(_ edges: [(UInt32, UInt32)]) -> AnalysisSummary {
        var accumulator = TrafficAccumulator(windowNs: 1_000_000)
        var time: Int64 = 1_000_000
        for round in 0..<8 {
            for (from, to) in edges {
                time += 10_000
                let packet = RocePacket(
                    encapsulation: .rocev2, source: .ipv4(from), destination: .ipv4(to),
                    bth: BaseTransportHeader(opcode: Opcode(.rc, .sendOnly), destQP: 0x100 + to * 64 + from, ackRequest: true,
                                             psn: UInt32(round)),
                    extensions: ExtensionHeaders(opcode: Opcode(.rc, .sendOnly)), payloadLength: 1000, ecn: 2)
                accumulator.add(DecodedPacket(timestampNs: time, wireLength: 1078, content: .roce(packet)))
            }
        }
        accumulator.finish()
        return AnalysisSummary(accumulator: accumulator, files: [])
    }

    func testDoubleBinaryTreeIsATreeNotRings() {
        for ranks in [4, 7, 8, 16] {
            let tree = DoubleBinaryTree(ranks: ranks)
            let edges = tree.directedEdges.map { (UInt32($0.from + 1), UInt32($0.to + 1)) }
            let summary = summary(edges)
            let rings = DetectedRing.find(in: summary)
            XCTAssertTrue(rings.isEmpty, "\(ranks) ranks: \(rings.map(\.hosts))")
            let groups = CollectiveGroup.find(in: summary, excluding: rings)
            XCTAssertEqual(groups.map(\.kind), [.treeAllReduce], "\(ranks) ranks")
            XCTAssertEqual(groups.first?.hosts.count, ranks)
            let links = Set(edges.map { [min($0.0, $0.1), max($0.0, $0.1)] }).count
            XCTAssertEqual(groups.first?.links, links)
            XCTAssertTrue((ranks - 1...2 * (ranks - 1)).contains(links))
        }
    }

    func testAllToAllIsUnrecognised() {
        for hosts in [4, 6] {
            let range = UInt32(1)...UInt32(hosts)
            let edges = range.flatMap { a in range.filter { $0 != a }.map { (a, $0) } }
            let summary = summary(edges)
            let rings = DetectedRing.find(in: summary)
            XCTAssertTrue(rings.isEmpty)
            XCTAssertEqual(CollectiveGroup.find(in: summary, excluding: rings).map(\.kind), [.unrecognised])
        }
    }

    /// The tree's parent and child that both trees use write twice as much to each
    /// other as to anyone else: without their other links counting, they read as a
    /// 2-rank ring.
    func testTreeEdgeUsedTwiceIsNoRing() {
        let tree = DoubleBinaryTree(ranks: 8)
        let pairs = tree.directedEdges.map { [$0.from, $0.to] }
        XCTAssertTrue(Dictionary(grouping: pairs, by: { $0 }).values.contains { $0.count == 2 }, "an edge in both trees")
        let edges = tree.directedEdges.map { (UInt32($0.from + 1), UInt32($0.to + 1)) }
        XCTAssertTrue(DetectedRing.find(in: summary(edges)).isEmpty)
    }

    /// NCCL's trees.cc illustration for 14 ranks: 0 → 8; 8 → 4, 12; 4 → 2, 6; 12 → 10, 13.
    func testBtreeMatchesNCCLsIllustration() {
        let tree = DoubleBinaryTree(ranks: 14)
        let parents = tree.parents[0]
        XCTAssertNil(parents[0])
        XCTAssertEqual(parents[8], 0)
        XCTAssertEqual([parents[4], parents[12]], [8, 8])
        XCTAssertEqual([parents[2], parents[6]], [4, 4])
        XCTAssertEqual([parents[10], parents[13]], [12, 12])
        XCTAssertEqual([parents[1], parents[3], parents[11]], [2, 2, 10])
        // Even count: the second tree mirrors the first (rank r ↔ 13 − r).
        XCTAssertEqual(tree.parents[1][13], nil)
        XCTAssertEqual(tree.parents[1][5], 13 - 0, "mirror of 8, whose parent is 0")
    }

    /// A ring with one link missing from the capture is a chain: named as part of a
    /// ring, in chain order; a chain with one link far heavier is not.
    func testOpenChainIsPartOfARing() {
        let groups = CollectiveGroup.find(in: summary([(4, 5), (5, 6), (6, 1), (1, 2)]), excluding: [])
        XCTAssertEqual(groups.map(\.kind), [.partialRing])
        XCTAssertEqual(groups.first?.hosts, [.ipv4(4), .ipv4(5), .ipv4(6), .ipv4(1), .ipv4(2)])
        XCTAssertTrue(CollectiveGroup.find(in: summary([(4, 5)]), excluding: []).isEmpty, "one link is a conversation")
    }
}
