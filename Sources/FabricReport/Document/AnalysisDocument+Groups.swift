import FabricMetrics
import FabricWire
import FabricModels

extension AnalysisDocument {
    /// Hosts that trade data as a collective does but form no ring (`CollectiveGroup`):
    /// named, never read as a ring, and not modelled.
    public struct GroupEntry: Encodable, Sendable, Equatable {
        /// `tree_allreduce` (NCCL's double binary tree shape) or `unrecognised`.
        public var kind: String
        public var hosts: [String]
        /// Host pairs with data either way, and one way (a pair used both ways is two).
        public var links: Int
        public var directedLinks: Int
        public var medianLinkBytes: Int
        public var durationNs: Int64
        public var notes: [String]

        enum CodingKeys: String, CodingKey {
            case kind, hosts, links, directedLinks = "directed_links", medianLinkBytes = "median_link_bytes"
            case durationNs = "duration_ns", notes
        }

        init(_ group: CollectiveGroup) {
            kind = group.kind.rawValue
            hosts = group.hosts.map(\.description)
            links = group.links
            directedLinks = group.directedLinks
            medianLinkBytes = group.medianLinkBytes
            durationNs = group.endNs - group.startNs
            switch group.kind {
            case .treeAllReduce:
                notes = ["Shaped as NCCL's tree all-reduce (double binary tree): \(group.hosts.count) hosts, every one of "
                    + "\(group.links) links carrying data both ways (reduce up, broadcast down), at most six neighbours "
                    + "a host. Not a ring, so no ring model, iterations or straggler; the per-link figures stand."]
            case .partialRing:
                notes = ["\(group.hosts.count) hosts in a chain, each writing to the next with similar bytes, that does "
                    + "not close: part of a ring whose other links are not in the capture (a mirror that sees some ports, "
                    + "a rank missing). Its kind, iterations and model need the whole ring; the per-link figures stand."]
            case .unrecognised:
                notes = ["\(group.hosts.count) hosts each write to and are written by others of the group over "
                    + "\(group.directedLinks) one-way links, in no ring or tree shape: an all-to-all, several jobs "
                    + "sharing hosts, or a collective not modelled here. Nothing is inferred from it."]
            }
        }

        /// One line for the table.
        var line: String {
            switch kind {
            case CollectiveGroup.Kind.partialRing.rawValue:
                return "part of a ring (not closed in the capture): " + AnalysisDocument.path(hosts)
                    + ", median \(Units.bytes(medianLinkBytes)) a link in \(Units.duration(durationNs)); nothing modelled\n"
            case CollectiveGroup.Kind.treeAllReduce.rawValue: break
            default: break
            }
            let name = kind == CollectiveGroup.Kind.treeAllReduce.rawValue ? "tree all-reduce" : "unrecognised collective traffic"
            return "\(name): \(hosts.count) hosts, \(links) links (\(directedLinks) one-way), median "
                + "\(Units.bytes(medianLinkBytes)) a link in \(Units.duration(durationNs)); not a ring, nothing modelled\n"
        }
    }
}
