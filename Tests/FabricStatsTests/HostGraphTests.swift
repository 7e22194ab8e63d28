@testable import FabricStats
import FabricIngest
import FabricWire
import TestSupport
import XCTest

/// The one numbering of hosts and host pairs the report's passes share: every flow's
/// pair names its own hosts, the pair a flow answers names the answered flow's hosts,
/// numbers follow the flows' order whatever the seed, and the table grows past the
/// size it was made for.
final class HostGraphTests: XCTestCase {
    private func check(_ summary: AnalysisSummary, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        let graph = HostGraph(summary, seed: seed)
        var expectedHosts: [NodeAddress] = [], expectedPairs: [[NodeAddress]] = []
        func pair(_ key: FlowKey) -> Int {
            for host in [key.source, key.destination] where !expectedHosts.contains(host) { expectedHosts.append(host) }
            if let known = expectedPairs.firstIndex(of: [key.source, key.destination]) { return known }
            expectedPairs.append([key.source, key.destination])
            return expectedPairs.count - 1
        }
        for (index, flow) in summary.flows.enumerated() {
            XCTAssertEqual(Int(graph.pairOfFlow[index]), pair(flow.key), "flow \(index)", file: file, line: line)
            XCTAssertEqual(Int(graph.answeredPairOfFlow[index]), flow.answers.map(pair) ?? -1, "flow \(index)", file: file, line: line)
        }
        XCTAssertEqual(graph.hosts, expectedHosts, file: file, line: line)
        XCTAssertEqual(graph.pairCount, expectedPairs.count, file: file, line: line)
        for (number, hosts) in expectedPairs.enumerated() {
            XCTAssertEqual([graph.hosts[Int(graph.pairSources[number])], graph.hosts[Int(graph.pairDestinations[number])]], hosts,
                           file: file, line: line)
        }
        for (number, host) in expectedHosts.enumerated() { XCTAssertEqual(graph.index(of: host), number, file: file, line: line) }
        XCTAssertNil(graph.index(of: .ipv4(0xc0a8_ffff)), file: file, line: line)
    }

    func testFixturesAreNumberedInFlowOrder() throws {
        for name in ["generated/ring4-faults.pcap", "generated/ring8-ipv6-vlan-wrap-snap128.pcap"] {
            let summary = try Analysis().run([TestPaths.fixture(name)])
            XCTAssertGreaterThanOrEqual(summary.flows.filter { $0.answers != nil }.count, 4, name)
            for seed: UInt64 in [0, 1, 0xdead_beef, .max] { check(summary, seed: seed) }
        }
    }

    /// 3,000 flows between 6,000 hosts: the host table, made for one host a flow,
    /// doubles; every address is still found, under any seed.
    func testTablesGrowPastTheirFirstSize() {
        var accumulator = TrafficAccumulator(windowNs: 1_000_000)
        var time: Int64 = 1_000_000
        for pair in UInt32(0)..<3000 {
            for (from, to) in [(2 * pair, 2 * pair + 1)] {
                time += 1000
                let packet = RocePacket(
                    encapsulation: .rocev2, source: .ipv4(0x0a00_0000 | from), destination: .ipv4(0x0a00_0000 | to),
                    bth: BaseTransportHeader(opcode: Opcode(.rc, .sendOnly), destQP: 0x100, ackRequest: false, psn: 0),
                    extensions: ExtensionHeaders(opcode: Opcode(.rc, .sendOnly)), payloadLength: 100, ecn: 2)
                accumulator.add(DecodedPacket(timestampNs: time, wireLength: 178, content: .roce(packet)))
            }
        }
        accumulator.finish()
        let summary = AnalysisSummary(accumulator: accumulator, files: [])
        XCTAssertEqual(summary.flows.count, 3000)
        for seed: UInt64 in [0, 42] { check(summary, seed: seed) }
    }
}
