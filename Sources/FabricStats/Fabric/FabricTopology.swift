import FabricWire
import Foundation

/// The fabric behind the links: which switch port each host hangs off, and which
/// switches connect to which (`--topology FILE`). Read from FabricScope's own JSON,
/// from `lldpctl -f json` gathered on the hosts (inside the same JSON, under
/// `lldp`), or from `ibnetdiscover` output for InfiniBand (hosts by LID).
///
/// What it adds is applied to summaries, after folding: nothing per packet.
public struct FabricTopology: Sendable, Equatable {
    /// A host's attachment: the switch and the port facing it.
    public struct Attachment: Hashable, Sendable, Comparable {
        public var switchName: String
        public var port: String
        public var name: String { "\(switchName) port \(port)" }
        public init(switchName: String, port: String) {
            self.switchName = switchName
            self.port = port
        }
        public static func < (a: Attachment, b: Attachment) -> Bool { (a.switchName, a.port) < (b.switchName, b.port) }
    }

    /// One switch-to-switch link (a leaf's uplink to a spine).
    public struct Uplink: Hashable, Sendable {
        public var switchName: String
        public var port: String
        public var peer: String
        public var peerPort: String
        public init(switchName: String, port: String, peer: String, peerPort: String) {
            (self.switchName, self.port, self.peer, self.peerPort) = (switchName, port, peer, peerPort)
        }
    }

    public var hosts: [NodeAddress: Attachment] = [:]
    public var uplinks: [Uplink] = []
    /// Switch ports by their MAC address: a PFC frame names the port that sent it by
    /// its source MAC, so with these a port's pauses join its other figures.
    public var portMACs: [UInt64: Attachment] = [:]

    public init(hosts: [NodeAddress: Attachment] = [:], uplinks: [Uplink] = []) {
        self.hosts = hosts
        self.uplinks = uplinks
    }

    /// Switches and the ports they use, for the checks that ports are not claimed twice.
    var switches: Set<String> { Set(hosts.values.map(\.switchName)).union(uplinks.flatMap { [$0.switchName, $0.peer] }) }

    /// The parts of the fabric a link's packets certainly cross: the sender's port and
    /// switch, the receiver's switch and port, and — between leaves with one path
    /// only (a single uplink) — that uplink. With several uplinks the ECMP hash picks
    /// one the capture cannot see, so spines are not named.
    public func path(from source: NodeAddress, to destination: NodeAddress) -> [FabricElement]? {
        Paths(self).path(from: source, to: destination)
    }

    /// `path` for many links: each switch's only uplink found once, not per link.
    public struct Paths: Sendable {
        let hosts: [NodeAddress: Attachment]
        /// Per switch, its uplink when it has exactly one.
        let onlyUplink: [String: Uplink?]

        public init(_ topology: FabricTopology) {
            hosts = topology.hosts
            var only: [String: Uplink?] = [:]
            for uplink in topology.uplinks {
                only[uplink.switchName] = only[uplink.switchName] == nil ? .some(uplink) : .some(nil)
            }
            onlyUplink = only
        }

        public func path(from source: NodeAddress, to destination: NodeAddress) -> [FabricElement]? {
            guard let a = hosts[source], let b = hosts[destination] else { return nil }
            var elements: [FabricElement] = [.port(a), .switch(a.switchName)]
            if a.switchName != b.switchName {
                if case .some(.some(let only)) = onlyUplink[a.switchName] {
                    elements.append(.port(Attachment(switchName: only.switchName, port: only.port)))
                    elements.append(.switch(only.peer))
                }
                elements.append(.switch(b.switchName))
            }
            elements.append(.port(b))
            return elements
        }
    }
}

/// A switch, or one of its ports, that links cross.
public enum FabricElement: Hashable, Sendable, Comparable {
    case `switch`(String)
    case port(FabricTopology.Attachment)

    public var name: String {
        switch self {
        case .switch(let name): return name
        case .port(let attachment): return attachment.name
        }
    }

    /// The switch, and the port when it is one.
    public var switchName: String {
        switch self {
        case .switch(let name): return name
        case .port(let attachment): return attachment.switchName
        }
    }

    public var port: String? {
        if case .port(let attachment) = self { return attachment.port }
        return nil
    }

    public var kind: String {
        switch self {
        case .switch: return "switch"
        case .port: return "port"
        }
    }
}

/// A topology file that cannot be read, naming the key or line.
public struct TopologyError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
