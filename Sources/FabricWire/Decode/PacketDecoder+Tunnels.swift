/// Decapsulation of switch mirrors and overlay tunnels: GRE (RFC 2784/2890), ERSPAN
/// types I, II and III (draft-foschiano-erspan-03, as scapy's `contrib/erspan` and
/// Wireshark read it), GRE transparent Ethernet bridging, VXLAN (RFC 7348) and Geneve
/// (RFC 8926).
///
/// The inner packet is decoded as if captured on its own link: its flow, its VLAN,
/// its ECN bits. Its wire length is the inner frame's own (the outer IP packet's
/// length less everything up to the inner frame), so a mirror reads like a tap on
/// the mirrored link. The outermost tunnel's switch address, session and sequence
/// number go into `DecodedPacket.mirror`; what cannot be read is counted as other
/// traffic with an `UndecodedReason`, never guessed.
extension PacketDecoder {
    /// Tunnels nested deeper than this are not opened (GRE in GRE in …): real mirrors
    /// nest one or two, and a bound keeps crafted input from recursing without end.
    public static let maximumTunnelLayers: UInt8 = 4

    public static let ipProtocolGRE: UInt8 = 47
    public static let greProtocolERSPAN: UInt16 = 0x88be
    public static let greProtocolERSPANIII: UInt16 = 0x22eb
    public static let etherTypeTransparentBridging: UInt16 = 0x6558
    /// The IANA ports of VXLAN and Geneve.
    public static let vxlanPort: UInt16 = 4789
    public static let genevePort: UInt16 = 6081

    public static let greChecksumPresent: UInt16 = 0x8000
    public static let greRoutingPresent: UInt16 = 0x4000
    public static let greKeyPresent: UInt16 = 0x2000
    public static let greSequencePresent: UInt16 = 0x1000
    static let greVersionMask: UInt16 = 0x0007

    static let erspanIIHeaderSize = 8
    static let erspanIIIHeaderSize = 12
    static let erspanIIIPlatformHeaderSize = 8
    static let erspanFrameTypeEthernet: UInt32 = 0
    static let erspanFrameTypeIP: UInt32 = 2
    static let overlayHeaderSize = 8
    public static let vxlanValidVNI: UInt8 = 0x08

    /// Where the outer tunnel came from: its sender (the switch) and the end of the
    /// outer IP packet in the record, from the IP length field.
    struct Outer {
        var source: NodeAddress
        var end: Int
    }

    static let commonMirrorHeadersSize = 14 + 20 + 4

    /// The shape of nearly every record a mirror collector captures: Ethernet, at most
    /// one 802.1Q tag, IPv4 without options, GRE. Straight to the GRE decoder, without
    /// the layer-by-layer walk (which cost about 100 instructions a record); false,
    /// having changed nothing, for any other shape.
    @inline(__always)
    func decodeCommonMirror(_ bytes: ByteView, into packet: inout DecodedPacket) -> Bool {
        guard bytes.has(PacketDecoder.commonMirrorHeadersSize, at: 0) else { return false }
        var ip = 14
        if bytes.u16(unchecked: 12) == 0x8100 {
            guard bytes.has(PacketDecoder.commonMirrorHeadersSize + PacketDecoder.vlanTagSize, at: 0) else { return false }
            ip += PacketDecoder.vlanTagSize
        }
        guard bytes.u16(unchecked: ip - 2) == PacketDecoder.etherTypeIPv4, bytes.u8(unchecked: ip) == 0x45,
              bytes.u8(unchecked: ip + 9) == PacketDecoder.ipProtocolGRE, bytes.u16(unchecked: ip + 6) & 0x1fff == 0
        else { return false }
        let outer = Outer(source: .ipv4(bytes.u32(unchecked: ip + 12)), end: ip + max(Int(bytes.u16(unchecked: ip + 2)), 20))
        decodeGRE(bytes, at: ip + 20, outer: outer, into: &packet)
        return true
    }

    /// GRE after an outer IP header. `outer.end` is where the outer IP packet ends.
    func decodeGRE(_ bytes: ByteView, at offset: Int, outer: Outer, into packet: inout DecodedPacket) {
        guard enterTunnel(&packet) else { return }
        guard let flags = bytes.u16(offset), let proto = bytes.u16(offset + 2) else {
            return refuse(.tunnelHeaderTruncated, &packet)
        }
        guard flags & (PacketDecoder.greRoutingPresent | PacketDecoder.greVersionMask) == 0 else {
            return refuse(.unsupportedGRE, &packet)
        }
        var cursor = offset + 4
        if flags & PacketDecoder.greChecksumPresent != 0 { cursor += 4 }
        var key: UInt32?
        if flags & PacketDecoder.greKeyPresent != 0 {
            guard let value = bytes.u32(cursor) else { return refuse(.tunnelHeaderTruncated, &packet) }
            key = value
            cursor += 4
        }
        var sequence: UInt32?
        if flags & PacketDecoder.greSequencePresent != 0 {
            guard let value = bytes.u32(cursor) else { return refuse(.tunnelHeaderTruncated, &packet) }
            sequence = value
            cursor += 4
        }
        switch proto {
        case PacketDecoder.greProtocolERSPAN where sequence == nil:
            // Type I: the mirrored frame follows GRE directly.
            tag(&packet, .erspanI, outer: outer, session: 0, sequence: nil)
            decodeInnerEthernet(bytes, at: cursor, outer: outer, into: &packet)
        case PacketDecoder.greProtocolERSPAN:
            guard bytes.has(PacketDecoder.erspanIIHeaderSize, at: cursor) else {
                return refuse(.tunnelHeaderTruncated, &packet)
            }
            let word = bytes.u32(unchecked: cursor)
            guard word >> 28 == 1 else { return refuse(.unknownERSPANVersion, &packet) }
            tag(&packet, .erspanII, outer: outer, session: word & 0x3ff, sequence: sequence)
            if packet.mirror.layers == 1 { packet.mirror.truncatedBySwitch = word >> 10 & 1 == 1 }
            decodeInnerEthernet(bytes, at: cursor + PacketDecoder.erspanIIHeaderSize, outer: outer, into: &packet)
        case PacketDecoder.greProtocolERSPANIII:
            decodeERSPANIII(bytes, at: cursor, outer: outer, sequence: sequence, into: &packet)
        case PacketDecoder.etherTypeTransparentBridging:
            tag(&packet, .gre, outer: outer, session: key ?? 0, sequence: sequence)
            decodeInnerEthernet(bytes, at: cursor, outer: outer, into: &packet)
        case PacketDecoder.etherTypeIPv4, PacketDecoder.etherTypeIPv6, PacketDecoder.etherTypeRoCEv1:
            tag(&packet, .gre, outer: outer, session: key ?? 0, sequence: sequence)
            setInnerWireLength(from: cursor, outer: outer, into: &packet)
            decodeEthertype(proto, bytes, at: cursor, vlanTag: nil, into: &packet)
        default:
            // GRE carrying something else (MPLS, …): not a mirror of RoCE traffic.
            packet.mirror.layers -= 1
        }
    }

    /// ERSPAN type III: 12 bytes (version 2, session, T bit, the switch's 32-bit
    /// timestamp, frame type, granularity, the O bit for an 8-byte platform sub-header).
    private func decodeERSPANIII(
        _ bytes: ByteView, at offset: Int, outer: Outer, sequence: UInt32?, into packet: inout DecodedPacket
    ) {
        guard bytes.has(PacketDecoder.erspanIIIHeaderSize, at: offset) else {
            return refuse(.tunnelHeaderTruncated, &packet)
        }
        let word0 = bytes.u32(unchecked: offset), stamp = bytes.u32(unchecked: offset + 4)
        let word2 = bytes.u32(unchecked: offset + 8)
        guard word0 >> 28 == 2 else { return refuse(.unknownERSPANVersion, &packet) }
        let frameType = word2 >> 10 & 0x1f
        var inner = offset + PacketDecoder.erspanIIIHeaderSize
        if word2 & 1 == 1 {
            guard bytes.has(PacketDecoder.erspanIIIPlatformHeaderSize, at: inner) else {
                return refuse(.tunnelHeaderTruncated, &packet)
            }
            inner += PacketDecoder.erspanIIIPlatformHeaderSize
        }
        tag(&packet, .erspanIII, outer: outer, session: word0 & 0x3ff, sequence: sequence)
        if packet.mirror.layers == 1 {
            packet.mirror.truncatedBySwitch = word0 >> 10 & 1 == 1
            packet.mirror.hardwareTimestamp = stamp
            packet.mirror.granularity = MirrorTag.Granularity(rawValue: UInt8(word2 >> 1 & 3))
        }
        switch frameType {
        case PacketDecoder.erspanFrameTypeEthernet:
            decodeInnerEthernet(bytes, at: inner, outer: outer, into: &packet)
        case PacketDecoder.erspanFrameTypeIP:
            setInnerWireLength(from: inner, outer: outer, into: &packet)
            decodeIP(bytes, at: inner, vlanTag: nil, into: &packet)
        default:
            refuse(.unknownERSPANFrameType, &packet)
        }
    }

    /// VXLAN or Geneve inside UDP at `offset` (the overlay header).
    func decodeOverlay(
        _ bytes: ByteView, at offset: Int, port: UInt16, outer: Outer, into packet: inout DecodedPacket
    ) {
        guard enterTunnel(&packet) else { return }
        guard bytes.has(PacketDecoder.overlayHeaderSize, at: offset) else {
            return refuse(.tunnelHeaderTruncated, &packet)
        }
        let network = bytes.u32(unchecked: offset + 4) >> 8
        if port == PacketDecoder.genevePort {
            let first = bytes.u8(unchecked: offset), proto = bytes.u16(unchecked: offset + 2)
            let inner = offset + PacketDecoder.overlayHeaderSize + Int(first & 0x3f) * 4
            guard first >> 6 == 0, bytes.has(0, at: inner) else { return refuse(.tunnelHeaderTruncated, &packet) }
            tag(&packet, .geneve, outer: outer, session: network, sequence: nil)
            switch proto {
            case PacketDecoder.etherTypeTransparentBridging:
                decodeInnerEthernet(bytes, at: inner, outer: outer, into: &packet)
            case PacketDecoder.etherTypeIPv4, PacketDecoder.etherTypeIPv6:
                setInnerWireLength(from: inner, outer: outer, into: &packet)
                decodeEthertype(proto, bytes, at: inner, vlanTag: nil, into: &packet)
            default:
                refuse(.tunnelPayloadNotEthernet, &packet)
            }
        } else {
            guard bytes.u8(unchecked: offset) & PacketDecoder.vxlanValidVNI != 0 else {
                return refuse(.tunnelPayloadNotEthernet, &packet)
            }
            tag(&packet, .vxlan, outer: outer, session: network, sequence: nil)
            decodeInnerEthernet(bytes, at: offset + PacketDecoder.overlayHeaderSize, outer: outer, into: &packet)
        }
    }

    /// Counts one more tunnel layer; false (with the reason set) past the bound.
    private func enterTunnel(_ packet: inout DecodedPacket) -> Bool {
        guard packet.mirror.layers < PacketDecoder.maximumTunnelLayers else {
            refuse(.tunnelTooDeep, &packet)
            return false
        }
        packet.mirror.layers += 1
        return true
    }

    /// Records the outermost tunnel's identity, every field of it: batches reuse their
    /// slots, so what only ERSPAN sets (truncation, the switch's timestamp) is cleared
    /// here for the others. Inner layers leave it as it is.
    private func tag(
        _ packet: inout DecodedPacket, _ kind: MirrorTag.Kind, outer: Outer, session: UInt32, sequence: UInt32?
    ) {
        guard packet.mirror.layers == 1 else { return }
        packet.mirror.kind = kind
        packet.mirror.switchAddress = outer.source
        packet.mirror.session = session
        packet.mirror.sequence = sequence ?? 0
        packet.mirror.hasSequence = sequence != nil
        packet.mirror.truncatedBySwitch = false
        packet.mirror.hardwareTimestamp = 0
        packet.mirror.granularity = nil
    }

    private func refuse(_ reason: UndecodedReason, _ packet: inout DecodedPacket) {
        packet.kind = .other
        packet.undecodedReason = reason
    }

    /// An Ethernet frame inside a tunnel: its wire length is the frame's own. When the
    /// switch truncated it (ERSPAN's T bit), the inner IP length says how long it was.
    private func decodeInnerEthernet(_ bytes: ByteView, at offset: Int, outer: Outer, into packet: inout DecodedPacket) {
        guard bytes.has(PacketDecoder.ethernetHeader, at: offset) else { return refuse(.tunnelHeaderTruncated, &packet) }
        setInnerWireLength(from: offset, outer: outer, into: &packet)
        if packet.mirror.truncatedBySwitch, let length = PacketDecoder.ipFrameLength(bytes, ethernetAt: offset) {
            packet.wireLength = max(packet.wireLength, length)
        }
        // The inner frame usually has the common shape: the same shortcut as on a link,
        // over a view that starts at the inner frame (offsets in it are its own).
        if decodeCommonRoCEv2(bytes.suffix(from: offset), into: &packet) { return }
        decodeEthernet(bytes, at: offset, into: &packet)
    }

    /// The inner frame starting at `start` ends where the outer IP packet ends.
    private func setInnerWireLength(from start: Int, outer: Outer, into packet: inout DecodedPacket) {
        if outer.end >= start { packet.wireLength = outer.end - start }
    }

    /// An Ethernet frame's length from its IP header (VLAN tags included): what a
    /// truncated copy was on its link. Nil when it does not carry IP.
    static func ipFrameLength(_ bytes: ByteView, ethernetAt offset: Int) -> Int? {
        var cursor = offset + 12
        while let type = bytes.u16(cursor) {
            switch type {
            case 0x8100, 0x88a8, 0x9100:
                cursor += 4
            case etherTypeIPv4:
                return bytes.u16(cursor + 4).map { cursor + 2 - offset + Int($0) }
            case etherTypeIPv6:
                return bytes.u16(cursor + 6).map { cursor + 2 - offset + 40 + Int($0) }
            default:
                return nil
            }
        }
        return nil
    }
}
