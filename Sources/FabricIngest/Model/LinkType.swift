/// The capture link types FabricScope decodes, by their libpcap DLT value.
///
/// Anything else is refused up front with a clear error rather than silently
/// counted as "other" traffic, because a wrong link type would make every count wrong.
public enum LinkType: Sendable, Hashable {
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

    /// Maps a DLT value (as `pcap_datalink` returns it) to a supported link type.
    public init?(dlt: Int32) {
        switch dlt {
        case 1: self = .ethernet
        case 113: self = .linuxSLL
        case 276: self = .linuxSLL2
        case 12, 14, 101: self = .rawIP  // DLT_RAW differs by platform; 101 is LINKTYPE_RAW
        case 228: self = .ipv4
        case 229: self = .ipv6
        case 197: self = .erf
        case 247: self = .infiniband
        default: return nil
        }
    }

    /// The LINKTYPE_ name users see in tcpdump and tshark output.
    public var name: String {
        switch self {
        case .ethernet: return "EN10MB"
        case .linuxSLL: return "LINUX_SLL"
        case .linuxSLL2: return "LINUX_SLL2"
        case .rawIP: return "RAW"
        case .ipv4: return "IPV4"
        case .ipv6: return "IPV6"
        case .erf: return "ERF"
        case .infiniband: return "INFINIBAND"
        }
    }

    public static let supportedNames = "EN10MB (1), LINUX_SLL (113), LINUX_SLL2 (276), RAW (101), "
        + "IPV4 (228), IPV6 (229), ERF (197), INFINIBAND (247)"
}
