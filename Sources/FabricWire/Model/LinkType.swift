/// The capture link types FabricScope decodes, by their libpcap DLT value.
///
/// Anything else is refused up front with a clear error rather than silently
/// counted as "other" traffic, because a wrong link type would make every count wrong.
public enum LinkType: Sendable, Hashable, CaseIterable {
    case ethernet
    case linuxSLL
    case linuxSLL2
    case rawIP
    case ipv4
    case ipv6
    /// Endace ERF records: what NVIDIA/Mellanox `ibdump --erf` writes for IB ports.
    case erf
    /// LINKTYPE_INFINIBAND (247): raw IB packets starting with the LRH, as written
    /// by libpcap's RDMA sniffer on an InfiniBand port.
    case infiniband

    /// One row per link type: the DLT values libpcap reports for it (the first is the
    /// LINKTYPE_ number users see), its LINKTYPE_ name, and the capture-only
    /// pseudo-header the decoder replaces by an Ethernet header's 14 bytes in the wire
    /// length (SLL: 16, SLL2: 20; ERF's variable header is handled by its decoder).
    /// The decoder's switch, the error and help texts and the docs read this table.
    public struct Entry: Sendable {
        public let type: LinkType
        public let dlts: [Int32]
        public let name: String
        public let pseudoHeaderBytes: Int
    }

    public static let table: [Entry] = [
        Entry(type: .ethernet, dlts: [1], name: "EN10MB", pseudoHeaderBytes: 0),
        Entry(type: .linuxSLL, dlts: [113], name: "LINUX_SLL", pseudoHeaderBytes: 16),
        Entry(type: .linuxSLL2, dlts: [276], name: "LINUX_SLL2", pseudoHeaderBytes: 20),
        // DLT_RAW differs by platform (12, 14); 101 is LINKTYPE_RAW.
        Entry(type: .rawIP, dlts: [101, 12, 14], name: "RAW", pseudoHeaderBytes: 0),
        Entry(type: .ipv4, dlts: [228], name: "IPV4", pseudoHeaderBytes: 0),
        Entry(type: .ipv6, dlts: [229], name: "IPV6", pseudoHeaderBytes: 0),
        Entry(type: .erf, dlts: [197], name: "ERF", pseudoHeaderBytes: 0),
        Entry(type: .infiniband, dlts: [247], name: "INFINIBAND", pseudoHeaderBytes: 0),
    ]

    public var entry: Entry { LinkType.table.first { $0.type == self }! }

    /// Maps a DLT value (as `pcap_datalink` returns it) to a supported link type.
    public init?(dlt: Int32) {
        guard let entry = LinkType.table.first(where: { $0.dlts.contains(dlt) }) else { return nil }
        self = entry.type
    }

    /// The LINKTYPE_ name users see in tcpdump and tshark output.
    public var name: String { entry.name }

    /// "EN10MB (1), LINUX_SLL (113), …" for messages and help.
    public static let supportedNames = table.map { "\($0.name) (\($0.dlts[0]))" }.joined(separator: ", ")
}
