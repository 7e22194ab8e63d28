import FabricWire
import FabricJSON
import FabricIngest

/// One direction of one queue pair: (source address, destination address,
/// BTH destination QP). The BTH names only the destination QP, so the two
/// directions of a connection are two flows, and every packet (requests, ACKs,
/// NAKs, CNPs) counts in the direction it travels.
public struct FlowKey: Hashable, Sendable, Comparable, Codable, KeyOrderedEncodable {
    public var source: NodeAddress
    public var destination: NodeAddress
    public var destQP: UInt32

    public init(source: NodeAddress, destination: NodeAddress, destQP: UInt32) {
        self.source = source
        self.destination = destination
        self.destQP = destQP
    }

    public init(_ packet: RocePacket) {
        self.init(source: packet.source, destination: packet.destination, destQP: packet.bth.destQP)
    }

    /// Three words instead of the synthesized seven: the per-packet lookup is hot.
    /// (Equality still compares every field.)
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source.low ^ source.high &* 0x9e37_79b9_7f4a_7c15)
        hasher.combine(destination.low ^ destination.high &* 0x9e37_79b9_7f4a_7c15)
        hasher.combine(UInt64(destQP) | UInt64(source.kind.rawValue) << 32)
    }

    public static func < (a: FlowKey, b: FlowKey) -> Bool {
        (a.source, a.destination, a.destQP) < (b.source, b.destination, b.destQP)
    }

    /// The synthesized members, written in key order (one key per flow of a
    /// summary: through boxed containers and sorted afterwards, 8 % of writing one).
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(destQP, forKey: CodingKeys.destQP)
        try object.encode(AddressMembers(address: destination), forKey: CodingKeys.destination)
        try object.encode(AddressMembers(address: source), forKey: CodingKeys.source)
    }

    /// An address as its synthesized encoding writes it, members in key order.
    private struct AddressMembers: KeyOrderedEncodable {
        let address: NodeAddress

        enum CodingKeys: String, CodingKey { case high, kind, low }

        func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(address.high, forKey: CodingKeys.high)
            try object.encode(address.kind.rawValue, forKey: CodingKeys.kind)
            try object.encode(address.low, forKey: CodingKeys.low)
        }
    }
}
