@testable import FabricStats
import FabricWire
import XCTest

/// ECMP spread against the paths a topology offers (issue 27, item 4): a pair between
/// leaves can use as many spine paths as it has distinct source ports, up to its
/// leaf's uplinks; a pair inside one leaf has one path whatever its ports.
final class EcmpSpreadTests: XCTestCase {
    private let a = NodeAddress.ipv4(0x0a00_0001), b = NodeAddress.ipv4(0x0a00_0002), c = NodeAddress.ipv4(0x0a00_0003)

    private var topology: FabricTopology {
        var topology = FabricTopology()
        topology.hosts = [a: .init(switchName: "leaf1", port: "1"), b: .init(switchName: "leaf2", port: "1"),
                          c: .init(switchName: "leaf1", port: "2")]
        for spine in 1...4 {
            topology.uplinks.append(.init(switchName: "leaf1", port: "u\(spine)", peer: "spine\(spine)", peerPort: "1"))
            topology.uplinks.append(.init(switchName: "leaf2", port: "u\(spine)", peer: "spine\(spine)", peerPort: "2"))
        }
        return topology
    }

    private func pair(_ source: NodeAddress, _ destination: NodeAddress, qps: Int, ports: [UInt16]) -> EcmpSpread.HostPair {
        EcmpSpread.HostPair(source: source, destination: destination, qps: qps,
                            bytesByPort: ports.map { (port: $0, bytes: 1000) }, sprayingQPs: 0)
    }

    func testSpreadIsJudgedAgainstTheSpinePaths() {
        var spread = EcmpSpread(AnalysisSummary(accumulator: TrafficAccumulator(), files: []))
        // 8 QPs on 4 ports fill the 4 spines; 4 QPs on 2 ports use 2 of them; a pair
        // inside leaf1 has one path.
        spread.pairs = [pair(a, b, qps: 8, ports: [1, 2, 3, 4]), pair(b, a, qps: 4, ports: [5, 6]), pair(a, c, qps: 4, ports: [7])]
        let withTopology = spread.findings(topology: topology)
        XCTAssertEqual(withTopology.map(\.src), [b.description])
        XCTAssertTrue(withTopology[0].message.hasSuffix("ECMP can spread them over at most 2 of the 4 spine paths its leaf offers"),
                      withTopology[0].message)
        // Without a topology every pair with fewer ports than QPs is said.
        XCTAssertEqual(spread.findings().map(\.src), [a.description, b.description, a.description])
        XCTAssertEqual(spread.findings().map(\.dst), [b.description, a.description, c.description])
    }
}
