/// A two-tier leaf/spine fabric for generated traffic: the ranks spread over the
/// leaves in blocks (rank r on leaf r ÷ ⌈ranks ÷ leaves⌉, port r mod that + 1), every
/// leaf with one uplink to every spine. Written with `--topology-out` in the format
/// `--topology` reads, so a finding about a switch can be checked against the truth.
public struct LeafSpineFabric: Sendable, Equatable {
    public var ranks: Int
    public var leaves: Int
    public var spines: Int

    public init(ranks: Int, leaves: Int, spines: Int) {
        self.ranks = ranks
        self.leaves = leaves
        self.spines = spines
    }

    public var hostsPerLeaf: Int { (ranks + leaves - 1) / leaves }
    public func leaf(ofRank rank: Int) -> Int { rank / hostsPerLeaf }
    public static func leafName(_ leaf: Int) -> String { "leaf\(leaf + 1)" }
    public static func spineName(_ spine: Int) -> String { "spine\(spine + 1)" }

    /// The topology file: hosts by address (as FabricScope names them), their leaf and
    /// port, and the leaves' uplinks.
    public func topologyJSON(hostOffset: Int, ipv6: Bool) -> String {
        var hosts: [String] = []
        for rank in 0..<ranks {
            let address = NodeAddressText.address(Endpoint.host(hostOffset + rank), ipv6: ipv6)
            hosts.append("    \"\(address)\": {\"switch\": \"\(LeafSpineFabric.leafName(leaf(ofRank: rank)))\", "
                + "\"port\": \"Ethernet\(rank % hostsPerLeaf + 1)\"}")
        }
        var uplinks: [String] = []
        for leaf in 0..<leaves {
            for spine in 0..<spines {
                uplinks.append("    {\"switch\": \"\(LeafSpineFabric.leafName(leaf))\", \"port\": \"Ethernet\(100 + spine + 1)\", "
                    + "\"peer\": \"\(LeafSpineFabric.spineName(spine))\", \"peer_port\": \"Ethernet\(leaf + 1)\"}")
            }
        }
        // The leaf ports facing the hosts send the PFC frames the generator writes.
        var macs: [String] = []
        for rank in 0..<ranks {
            macs.append("    \"\(NodeAddressText.mac(RingAllReduceGenerator.switchPortMAC(hostOffset + rank)))\": {\"switch\": "
                + "\"\(LeafSpineFabric.leafName(leaf(ofRank: rank)))\", \"port\": \"Ethernet\(rank % hostsPerLeaf + 1)\"}")
        }
        return "{\n  \"hosts\": {\n" + hosts.joined(separator: ",\n") + "\n  },\n  \"uplinks\": [\n"
            + uplinks.joined(separator: ",\n") + "\n  ],\n  \"port_macs\": {\n" + macs.joined(separator: ",\n") + "\n  }\n}\n"
    }
}
