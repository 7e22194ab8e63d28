extension PacketDecoder {
    public static let udpProtocol: UInt8 = 17

    /// IPv4 or IPv6 by version nibble, then UDP to a RoCE port.
    func decodeIP(_ bytes: ByteView, at offset: Int, vlanTag: UInt16?, into packet: inout DecodedPacket) {
        guard let first = bytes.u8(offset) else { return }
        switch first >> 4 {
        case 4: decodeIPv4(bytes, at: offset, vlanTag: vlanTag, into: &packet)
        case 6: decodeIPv6(bytes, at: offset, vlanTag: vlanTag, into: &packet)
        default: break
        }
    }

    func decodeIPv4(_ bytes: ByteView, at offset: Int, vlanTag: UInt16?, into packet: inout DecodedPacket) {
        guard bytes.has(20, at: offset) else { return }
        let versionIHL = bytes.u8(unchecked: offset), tos = bytes.u8(unchecked: offset + 1)
        let totalLength = bytes.u16(unchecked: offset + 2), fragment = bytes.u16(unchecked: offset + 6)
        let proto = bytes.u8(unchecked: offset + 9), identification = bytes.u16(unchecked: offset + 4)
        let src = bytes.u32(unchecked: offset + 12), dst = bytes.u32(unchecked: offset + 16)
        let headerLength = Int(versionIHL & 0x0f) * 4
        // Only a first (or unfragmented) fragment carries the UDP (or GRE) header.
        guard fragment & 0x1fff == 0, headerLength >= 20 else { return }
        if proto == PacketDecoder.ipProtocolGRE {
            let outer = Outer(source: .ipv4(src), end: offset + max(Int(totalLength), headerLength))
            return decodeGRE(bytes, at: offset + headerLength, outer: outer, into: &packet)
        }
        guard proto == PacketDecoder.udpProtocol else { return }
        decodeUDP(
            bytes, at: offset + headerLength, ipPayloadLength: Int(totalLength) - headerLength,
            source: .ipv4(src), destination: .ipv4(dst), trafficClass: tos, vlanTag: vlanTag,
            ipIdentification: identification, into: &packet)
    }

    func decodeIPv6(_ bytes: ByteView, at offset: Int, vlanTag: UInt16?, into packet: inout DecodedPacket) {
        guard let word0 = bytes.u32(offset), let payloadLength = bytes.u16(offset + 4),
              var next = bytes.u8(offset + 6),
              let src = NodeAddress.read128(bytes, at: offset + 8, kind: .ipv6),
              let dst = NodeAddress.read128(bytes, at: offset + 24, kind: .ipv6)
        else { return }
        var cursor = offset + 40
        var remaining = Int(payloadLength)
        // Walk hop-by-hop, routing, fragment and destination-options headers.
        while next != PacketDecoder.udpProtocol {
            switch next {
            case PacketDecoder.ipProtocolGRE:
                let outer = Outer(source: src, end: cursor + remaining)
                return decodeGRE(bytes, at: cursor, outer: outer, into: &packet)
            case 0, 43, 60:
                guard let following = bytes.u8(cursor), let units = bytes.u8(cursor + 1) else { return }
                let length = (Int(units) + 1) * 8
                next = following
                cursor += length
                remaining -= length
            case 44:
                guard let following = bytes.u8(cursor), let offsetFlags = bytes.u16(cursor + 2),
                      offsetFlags & 0xfff8 == 0 else { return }
                next = following
                cursor += 8
                remaining -= 8
            default:
                return
            }
        }
        decodeUDP(
            bytes, at: cursor, ipPayloadLength: remaining, source: src, destination: dst,
            trafficClass: UInt8(truncatingIfNeeded: word0 >> 20), vlanTag: vlanTag, flowLabel: word0 & 0xf_ffff, into: &packet)
    }

    func decodeUDP(
        _ bytes: ByteView, at offset: Int, ipPayloadLength: Int, source: NodeAddress,
        destination: NodeAddress, trafficClass: UInt8, vlanTag: UInt16?, ipIdentification: UInt16? = nil,
        flowLabel: UInt32? = nil, into packet: inout DecodedPacket
    ) {
        guard bytes.has(8, at: offset) else { return }
        let destinationPort = bytes.u16(unchecked: offset + 2)
        guard isRocePort(destinationPort) else {
            if destinationPort == PacketDecoder.genevePort || vxlanPorts.contains(destinationPort) {
                let outer = Outer(source: source, end: offset + ipPayloadLength)
                return decodeOverlay(bytes, at: offset + 8, port: destinationPort, outer: outer, into: &packet)
            }
            if PacketDecoder.looksLikeBTH(bytes, at: offset + 8) { packet.roceLikePort = destinationPort }
            return
        }
        let sourcePort = bytes.u16(unchecked: offset)
        // Prefer the UDP length; fall back to the IP length when it is odd.
        var udpLength = Int(bytes.u16(unchecked: offset + 4))
        if udpLength < 8 || udpLength > ipPayloadLength { udpLength = ipPayloadLength }
        transport(
            bytes, at: offset + 8, transportLength: udpLength - 8,
            network: Network(encapsulation: .rocev2, source: source, destination: destination,
                             trafficClass: trafficClass, udpSourcePort: sourcePort, flowLabel: flowLabel, vlanTag: vlanTag,
                             ipIdentification: ipIdentification),
            into: &packet)
    }

    /// A BTH's fixed bits: transport header version 0, the seven reserved bits after
    /// AckReq zero, and a P_Key with the low 15 bits set (the default partition): about
    /// one random datagram in 2³¹ passes. The byte after the P_Key is not looked at: the
    /// real capture in Fixtures/real sets 0x10 in it on every data packet, and requiring
    /// it zero counted 37 of its 105 RoCE packets.
    static func looksLikeBTH(_ bytes: ByteView, at offset: Int) -> Bool {
        guard bytes.has(12, at: offset) else { return false }
        return bytes.u8(unchecked: offset + 1) & 0x0f == 0 && bytes.u8(unchecked: offset + 8) & 0x7f == 0
            && bytes.u16(unchecked: offset + 2) & 0x7fff == 0x7fff
    }
}
