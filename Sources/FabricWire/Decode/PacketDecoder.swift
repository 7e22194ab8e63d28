/// Turns one capture record into a `DecodedPacket`: link layer → (VLAN) → IP/UDP,
/// GRH or LRH → BTH and extension headers, or a PFC frame.
///
/// RoCEv2 is recognised by UDP *destination* port only: real NICs pick UDP source
/// ports freely (one vendor uses the sender's QPN, so ACKs can leave port 69 and be
/// mistaken for TFTP by port-symmetric dissectors).
///
/// Every layer writes into one `DecodedPacket` passed down `inout`, so a record is
/// decoded in place with no intermediate copies.
public struct PacketDecoder: Sendable {
    /// UDP destination ports that carry RoCEv2 (default 4791).
    public var rocePorts: [UInt16] { didSet { onlyRocePort = PacketDecoder.onlyPort(of: rocePorts) } }
    /// The single RoCE port when there is one (nearly always), held as a plain
    /// value: every UDP packet asks, and through the array each asking cost its
    /// count, bounds and element loads.
    private var onlyRocePort: UInt16?
    /// UDP destination ports read as VXLAN (default 4789). Geneve is port 6081.
    public var vxlanPorts: [UInt16]
    /// `ExtensionHeaders.sizes`, held here: read through a stored property it costs
    /// one load per packet, through the global a call to check its initialisation.
    let extensionSizes = ExtensionHeaders.sizes

    /// Pseudo-header sizes, from the link-type table (read once: the table is static).
    static let sllHeader = LinkType.linuxSLL.entry.pseudoHeaderBytes
    static let sll2Header = LinkType.linuxSLL2.entry.pseudoHeaderBytes
    /// An Ethernet header without VLAN tags: what a pseudo-header stands in for on the wire.
    static let ethernetHeader = 14

    /// The IANA port of RoCEv2.
    public static let roceV2Port: UInt16 = 4791

    public init(rocePorts: [UInt16] = [PacketDecoder.roceV2Port], vxlanPorts: [UInt16] = [PacketDecoder.vxlanPort]) {
        self.rocePorts = rocePorts
        self.vxlanPorts = vxlanPorts
        self.onlyRocePort = PacketDecoder.onlyPort(of: rocePorts)
    }

    private static func onlyPort(of ports: [UInt16]) -> UInt16? { ports.count == 1 ? ports[0] : nil }

    @inline(__always)
    func isRocePort(_ port: UInt16) -> Bool {
        if let onlyRocePort { return onlyRocePort == port }
        return rocePorts.contains(port)
    }

    /// Decodes one record. `originalLength` is the record's length on the wire.
    public func decode(_ bytes: ByteView, linkType: LinkType, originalLength: Int, timestampNs: Int64) -> DecodedPacket {
        var packet = DecodedPacket(timestampNs: timestampNs, wireLength: originalLength, content: .other)
        decode(bytes, linkType: linkType, into: &packet)
        return packet
    }

    /// Decodes one record into `packet`, whose timestamp and wire length the caller
    /// has set from the record header.
    public func decode(_ bytes: ByteView, linkType: LinkType, into packet: inout DecodedPacket) {
        packet.kind = .other
        packet.roceLikePort = 0
        packet.reportedDrops = 0
        // Cleared only where the slot's last record left one. The mirror tag and the
        // reason sit in the slot's last cache lines: a store there on every record
        // took those lines back from the folding core each time a slot was reused,
        // although nearly every record leaves them as they were.
        if packet.mirror.kind != .none || packet.mirror.layers != 0 {
            packet.mirror.layers = 0
            packet.mirror.kind = .none
        }
        if packet.undecodedReason != .none { packet.undecodedReason = .none }
        // Set only by the IPv6 path (the common IPv4 path stays as short as it is).
        packet.roce.flowLabel = nil
        switch linkType {
        case .ethernet:
            if decodeCommonRoCEv2(bytes, into: &packet) { return }
            if decodeCommonMirror(bytes, into: &packet) { return }
            decodeEthernet(bytes, at: 0, into: &packet)
        case .linuxSLL:
            packet.wireLength = max(0, packet.wireLength - PacketDecoder.sllHeader) + PacketDecoder.ethernetHeader
            if let proto = bytes.u16(14) { decodeEthertype(proto, bytes, at: PacketDecoder.sllHeader, vlanTag: nil, into: &packet) }
        case .linuxSLL2:
            packet.wireLength = max(0, packet.wireLength - PacketDecoder.sll2Header) + PacketDecoder.ethernetHeader
            if let proto = bytes.u16(0) { decodeEthertype(proto, bytes, at: PacketDecoder.sll2Header, vlanTag: nil, into: &packet) }
        case .rawIP, .ipv4, .ipv6:
            decodeIP(bytes, at: 0, vlanTag: nil, into: &packet)
        case .infiniband:
            decodeLRH(bytes, at: 0, into: &packet)
        case .erf:
            decodeERF(bytes, into: &packet)
        }
    }

    public static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86dd
    static let etherTypeRoCEv1: UInt16 = 0x8915
    static let etherTypeMACControl: UInt16 = 0x8808

    /// Ethernet II with any number of 802.1Q / 802.1ad tags; the outermost tag is kept
    /// (its VLAN ID and its priority, PCP).
    func decodeEthernet(_ bytes: ByteView, at offset: Int, into packet: inout DecodedPacket) {
        var cursor = offset + 12
        var vlanTag: UInt16?
        while let type = bytes.u16(cursor) {
            if type == 0x8100 || type == 0x88a8 || type == 0x9100 {  // 802.1Q, 802.1ad, old QinQ
                if vlanTag == nil, let tci = bytes.u16(cursor + 2) { vlanTag = tci }
                cursor += 4
                continue
            }
            if type == PacketDecoder.etherTypeMACControl {
                return decodeMACControl(bytes, frameStart: offset, at: cursor + 2, into: &packet)
            }
            return decodeEthertype(type, bytes, at: cursor + 2, vlanTag: vlanTag, into: &packet)
        }
    }

    func decodeEthertype(_ type: UInt16, _ bytes: ByteView, at offset: Int, vlanTag: UInt16?, into packet: inout DecodedPacket) {
        switch type {
        case PacketDecoder.etherTypeIPv4, PacketDecoder.etherTypeIPv6:
            decodeIP(bytes, at: offset, vlanTag: vlanTag, into: &packet)
        case PacketDecoder.etherTypeRoCEv1:
            decodeRoCEv1(bytes, at: offset, vlanTag: vlanTag, into: &packet)
        default:
            break
        }
    }

    /// Payload bytes left once the BTH, extension headers, pad and ICRC are removed
    /// from `transportLength` (the bytes from the BTH to the end of the ICRC).
    static func payloadLength(transportLength: Int, bth: BaseTransportHeader, extensionSize: Int) -> Int {
        max(0, transportLength - (BaseTransportHeader.size + extensionSize + Int(bth.padCount) + 4))
    }

    /// What the network layer below the BTH said about a packet.
    struct Network {
        var encapsulation: Encapsulation
        var source: NodeAddress
        var destination: NodeAddress
        var trafficClass: UInt8? = nil
        var udpSourcePort: UInt16? = nil
        var flowLabel: UInt32? = nil
        /// The outermost 802.1Q tag control information: PCP (3 bits), DEI, VLAN ID (12).
        var vlanTag: UInt16? = nil
        var ipIdentification: UInt16? = nil
    }

    /// Decodes the BTH and extension headers at `offset` into `packet.roce`.
    func transport(
        _ bytes: ByteView, at offset: Int, transportLength: Int, network: Network, into packet: inout DecodedPacket
    ) {
        guard bytes.has(BaseTransportHeader.size, at: offset) else {
            packet.kind = .truncatedRoce
            return
        }
        // Field by field into the reused packet: building a RocePacket and assigning
        // it would copy ~150 bytes through a temporary on every packet.
        packet.roce.encapsulation = network.encapsulation
        packet.roce.source = network.source
        packet.roce.destination = network.destination
        if let trafficClass = network.trafficClass {
            packet.roce.ecn = trafficClass & 0x3
            packet.roce.dscp = trafficClass >> 2
        } else {
            packet.roce.ecn = nil
            packet.roce.dscp = nil
        }
        packet.roce.udpSourcePort = network.udpSourcePort
        if let label = network.flowLabel { packet.roce.flowLabel = label }
        packet.roce.vlanTag = network.vlanTag
        packet.roce.ipIdentification = network.ipIdentification
        transportHeaders(bytes, at: offset, transportLength: transportLength, into: &packet)
    }

    /// The BTH (whose 12 bytes the caller has checked are captured), the extension
    /// headers and the payload length; the part of a RoCE packet every path shares.
    @inline(__always)
    func transportHeaders(_ bytes: ByteView, at offset: Int, transportLength: Int, into packet: inout DecodedPacket) {
        let bth = BaseTransportHeader(unchecked: bytes, at: offset)
        packet.kind = .roce
        packet.roce.bth = bth
        let extensionSize = Int(extensionSizes[Int(bth.opcode.rawValue)])
        packet.roce.extensions = ExtensionHeaders(
            bytes, at: offset + BaseTransportHeader.size, opcode: bth.opcode, size: extensionSize)
        packet.roce.payloadLength = PacketDecoder.payloadLength(
            transportLength: transportLength, bth: bth, extensionSize: extensionSize)
        // CM MADs: UD SEND_ONLY to QP 1, MAD after the 8-byte DETH. Cleared only when
        // the slot's last record left one: storing nil on every packet cost 16
        // instructions a record.
        if bth.destQP == 1 && bth.opcode.rawValue == 0x64 {
            packet.roce.connectionMessage = ConnectionMessage(bytes, at: offset + BaseTransportHeader.size + 8)
        } else if packet.roce.connectionMessage != nil {
            packet.roce.connectionMessage = nil
        }
    }
}
