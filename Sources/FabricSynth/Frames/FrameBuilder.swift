import FabricWire

/// Builds RoCEv2 (IPv4 or IPv6, optionally 802.1Q-tagged) and PFC frames as a
/// NIC would put them on the wire: real IPv4 checksums, UDP checksum 0 (as RoCE
/// NICs send it), pad bytes to a 4-byte boundary and a valid ICRC.
public struct FrameBuilder: Sendable {
    public var ipv6: Bool
    public var vlan: UInt16?
    /// Bytes the capture keeps of each frame (snaplen).
    public var captureLimit: Int
    private var ipIdentification: UInt16 = 0

    public static let pfcDestination: UInt64 = 0x0180_c200_0001
    static let minimumFrame = 60

    public init(ipv6: Bool = false, vlan: UInt16? = nil, captureLimit: Int = 262_144) {
        self.ipv6 = ipv6
        self.vlan = vlan
        self.captureLimit = captureLimit
    }

    /// A RoCEv2 packet: BTH (its pad count is set here), `extensions` (the opcode's
    /// extension header bytes), `payloadLength` bytes of payload.
    public mutating func roce(
        from source: Endpoint, to destination: Endpoint, sourcePort: UInt16, bth: BaseTransportHeader,
        extensions: [UInt8], payloadLength: Int, dscp: UInt8, ecn: UInt8, priority: UInt8 = 3,
        payload: [UInt8]? = nil, flowLabel: UInt32 = 0
    ) -> Frame {
        let payloadLength = payload?.count ?? payloadLength
        var bth = bth
        bth.padCount = UInt8((4 - payloadLength % 4) % 4)
        let transportLength = BaseTransportHeader.size + extensions.count + payloadLength + Int(bth.padCount) + 4
        let udpLength = 8 + transportLength
        let ipLength = (ipv6 ? 40 : 20) + udpLength
        var frame = ethernetHeader(source.mac, destination.mac, etherType: ipv6 ? 0x86dd : 0x0800, priority: priority)
        let ipStart = frame.count
        let originalLength = ipStart + ipLength
        let complete = originalLength <= captureLimit
        frame.reserveCapacity(complete ? originalLength : min(originalLength, captureLimit))
        let trafficClass = dscp << 2 | ecn & 3
        if ipv6 {
            frame.append32(6 << 28 | UInt32(trafficClass) << 20 | flowLabel & 0xf_ffff)
            frame.append16(UInt16(udpLength))
            frame.append(17)
            frame.append(64)
            frame.append64(source.ipv6High)
            frame.append64(source.ipv6Low)
            frame.append64(destination.ipv6High)
            frame.append64(destination.ipv6Low)
        } else {
            ipIdentification &+= 1
            frame += FrameBuilder.ipv4Header(
                tos: trafficClass, length: ipLength, identification: ipIdentification, protocol: 17,
                source: source.ipv4, destination: destination.ipv4)
        }
        frame.append16(sourcePort)
        frame.append16(4791)
        frame.append16(UInt16(udpLength))
        frame.append16(0)
        frame += bth.bytes
        frame += extensions
        let bodyLength = payloadLength + Int(bth.padCount)
        let stored = complete ? bodyLength : max(0, min(bodyLength, captureLimit - frame.count))
        if let payload {
            frame += (payload + [0, 0, 0]).prefix(stored)
        } else {
            frame += stored <= FrameBuilder.payloadPattern.count ? FrameBuilder.payloadPattern[..<stored]
                : ArraySlice((0..<stored).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        }
        if complete {
            let icrc = ICRC.compute(ipPacketWithoutICRC: Array(frame[ipStart...]), ipv6: ipv6)
            frame += [UInt8(icrc & 0xff), UInt8(icrc >> 8 & 0xff), UInt8(icrc >> 16 & 0xff), UInt8(icrc >> 24)]
            return Frame(bytes: FrameBuilder.padded(frame), originalLength: max(originalLength, FrameBuilder.minimumFrame),
                         isRoCE: true)
        }
        return Frame(bytes: Array(frame.prefix(captureLimit)), originalLength: originalLength, isRoCE: true)
    }

    /// The synthetic payload's bytes (index × 31 + 7), made once: building them per
    /// frame was most of a debug build's time writing test captures.
    static let payloadPattern: [UInt8] = (0..<9216).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    /// An 802.1Qbb PFC frame from `sourceMAC`: per-priority pause quanta, with the
    /// class-enable bit set for each priority listed in `quanta`.
    public func pfc(from sourceMAC: UInt64, quanta: [Int: UInt16]) -> Frame {
        var frame: [UInt8] = []
        frame.append48(FrameBuilder.pfcDestination)
        frame.append48(sourceMAC)
        frame.append16(0x8808)
        frame.append16(0x0101)
        frame.append16(quanta.keys.reduce(UInt16(0)) { $0 | 1 << UInt16($1) })
        for priority in 0..<8 { frame.append16(quanta[priority] ?? 0) }
        let padded = FrameBuilder.padded(frame)
        return Frame(bytes: Array(padded.prefix(captureLimit)), originalLength: padded.count)
    }

    private func ethernetHeader(_ source: UInt64, _ destination: UInt64, etherType: UInt16, priority: UInt8) -> [UInt8] {
        var header: [UInt8] = []
        header.append48(destination)
        header.append48(source)
        if let vlan {
            header.append16(0x8100)
            header.append16(UInt16(priority & 7) << 13 | vlan & 0x0fff)
        }
        header.append16(etherType)
        return header
    }

    static func padded(_ frame: [UInt8]) -> [UInt8] {
        frame.count >= minimumFrame ? frame : frame + [UInt8](repeating: 0, count: minimumFrame - frame.count)
    }

    /// A 20-byte IPv4 header (don't fragment, TTL 64) with its checksum.
    static func ipv4Header(
        tos: UInt8, length: Int, identification: UInt16, protocol proto: UInt8, source: UInt32, destination: UInt32
    ) -> [UInt8] {
        var header: [UInt8] = [0x45, tos]
        header.append16(UInt16(truncatingIfNeeded: length))
        header.append16(identification)
        header.append16(0x4000)  // don't fragment
        header.append(64)
        header.append(proto)
        header.append16(0)
        header.append32(source)
        header.append32(destination)
        let checksum = FrameBuilder.internetChecksum(header)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xff)
        return header
    }

    /// RFC 1071 one's-complement checksum.
    static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
