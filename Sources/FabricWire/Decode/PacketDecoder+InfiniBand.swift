extension PacketDecoder {
    static let lrhSize = 8
    static let grhSize = 40

    /// RoCEv1: a GRH (IPv6-shaped, next header 0x1B) directly after Ethernet.
    func decodeRoCEv1(_ bytes: ByteView, at offset: Int, vlanTag: UInt16?, into packet: inout DecodedPacket) {
        guard let payloadLength = bytes.u16(offset + 4),
              let src = NodeAddress.read128(bytes, at: offset + 8, kind: .gid),
              let dst = NodeAddress.read128(bytes, at: offset + 24, kind: .gid)
        else {
            packet.kind = .truncatedRoce
            return
        }
        transport(
            bytes, at: offset + PacketDecoder.grhSize, transportLength: Int(payloadLength),
            network: Network(encapsulation: .rocev1, source: src, destination: dst, vlanTag: vlanTag), into: &packet)
    }

    /// Native InfiniBand: LRH, then a GRH when LNH = 3, then the BTH when LNH ≥ 2.
    /// Endpoints are GIDs when a GRH is present, LIDs otherwise.
    func decodeLRH(_ bytes: ByteView, at offset: Int, into packet: inout DecodedPacket) {
        guard let flags = bytes.u8(offset + 1), let dlid = bytes.u16(offset + 2),
              let lengthWord = bytes.u16(offset + 4), let slid = bytes.u16(offset + 6)
        else {
            packet.kind = .truncatedRoce
            return
        }
        // PktLen counts 4-byte words from the LRH through the ICRC (VCRC excluded).
        let packetBytes = Int(lengthWord & 0x07ff) * 4
        switch flags & 0x3 {
        case 2:
            transport(
                bytes, at: offset + PacketDecoder.lrhSize, transportLength: packetBytes - PacketDecoder.lrhSize,
                network: Network(encapsulation: .infiniband, source: .lid(slid), destination: .lid(dlid)),
                into: &packet)
        case 3:
            let grh = offset + PacketDecoder.lrhSize
            guard let src = NodeAddress.read128(bytes, at: grh + 8, kind: .gid),
                  let dst = NodeAddress.read128(bytes, at: grh + 24, kind: .gid)
            else {
                packet.kind = .truncatedRoce
                return
            }
            transport(
                bytes, at: grh + PacketDecoder.grhSize,
                transportLength: packetBytes - PacketDecoder.lrhSize - PacketDecoder.grhSize,
                network: Network(encapsulation: .infiniband, source: src, destination: dst), into: &packet)
        default:
            break  // raw or IP-over-IB (non-IBA transport)
        }
    }
}
