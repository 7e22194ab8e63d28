/// Why a record that started like a tunnel was counted as other traffic rather than
/// decoded: told in the notes, so a mirror set up in a way FabricScope does not read
/// is said, not silently dropped.
public enum UndecodedReason: UInt8, Sendable, Hashable, CaseIterable {
    case none
    /// A GRE, ERSPAN, VXLAN or Geneve header cut short by the snapshot length.
    case tunnelHeaderTruncated
    /// GRE version other than 0, or the RFC 1701 routing bit set.
    case unsupportedGRE
    /// ERSPAN header version other than the one its GRE protocol type implies.
    case unknownERSPANVersion
    /// ERSPAN type III frame type other than Ethernet (0) or IP (2).
    case unknownERSPANFrameType
    /// More nested tunnels than `PacketDecoder.maximumTunnelLayers`.
    case tunnelTooDeep
    /// VXLAN without the VNI flag, or Geneve carrying something other than Ethernet or IP.
    case tunnelPayloadNotEthernet

    /// The key used in the summary and the notes.
    public var name: String {
        switch self {
        case .none: "none"
        case .tunnelHeaderTruncated: "tunnel_header_truncated"
        case .unsupportedGRE: "unsupported_gre"
        case .unknownERSPANVersion: "unknown_erspan_version"
        case .unknownERSPANFrameType: "unknown_erspan_frame_type"
        case .tunnelTooDeep: "tunnel_too_deep"
        case .tunnelPayloadNotEthernet: "tunnel_payload_not_ethernet"
        }
    }

    /// What it means, for the notes.
    public var explanation: String {
        switch self {
        case .none: ""
        case .tunnelHeaderTruncated: "a GRE/ERSPAN/VXLAN/Geneve header cut by the snapshot length"
        case .unsupportedGRE: "GRE of a version other than 0, or with RFC 1701 source routing"
        case .unknownERSPANVersion: "an ERSPAN header of an unknown version"
        case .unknownERSPANFrameType: "an ERSPAN III frame type other than Ethernet or IP"
        case .tunnelTooDeep: "tunnels nested more than \(PacketDecoder.maximumTunnelLayers) deep"
        case .tunnelPayloadNotEthernet: "a VXLAN or Geneve payload that is neither Ethernet nor IP"
        }
    }
}
