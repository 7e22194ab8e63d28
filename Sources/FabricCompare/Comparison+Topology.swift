import FabricStats
import FabricWire

extension Comparison {
    /// Where the links that got worse meet (`compare --topology`): the switch or port
    /// most of them cross, when that many would cross it by chance under 1 % of the
    /// time (`SharedHop`, over every link compared). "7 of 8 links that got worse
    /// cross leaf3": a configuration change felt at one switch.
    public struct SharedHopEntry: Sendable, Codable, Equatable {
        public var chance: Double
        public var crossing: Int
        public var kind: String
        public var links: Int
        public var message: String
        public var name: String
        public var worse: Int
        public var worseCrossing: Int

        enum CodingKeys: String, CodingKey {
            case chance, crossing, kind, links, message, name, worse, worseCrossing = "worse_crossing"
        }
    }

    /// Attributes the links that got worse to `topology`'s switches and ports.
    public mutating func attribute(to topology: FabricTopology) {
        func key(_ change: Change) -> QosObservation.LinkKey? {
            guard change.scope == "link", let src = change.src.flatMap(NodeAddress.init(text:)),
                  let dst = change.dst.flatMap(NodeAddress.init(text:)) else { return nil }
            return QosObservation.LinkKey(source: src, destination: dst)
        }
        let links = Set(changes.compactMap(key))
        let worse = Set(changes.filter { $0.assessment == .worse }.compactMap(key))
        guard let hop = SharedHop.find(links: links.sorted(), degraded: worse, topology: topology) else {
            sharedHop = nil
            return
        }
        sharedHop = SharedHopEntry(
            chance: hop.chance, crossing: hop.crossing, kind: hop.element.kind, links: hop.links,
            message: hop.describe(degraded: "links that got worse", healthy: "link that held"),
            name: hop.element.name, worse: hop.degraded, worseCrossing: hop.degradedCrossing)
    }
}
