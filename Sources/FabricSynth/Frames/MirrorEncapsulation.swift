import FabricWire
import FabricRandom

/// Wraps generated frames as a switch mirror delivers them to a collector (ERSPAN
/// type I, II or III, GRE transparent bridging, VXLAN or Geneve), and drops copies as
/// an oversubscribed mirror port does — after numbering them, so the sequence numbers
/// show exactly what was lost, as on a real switch.
///
/// The copy keeps the whole frame (the outer IP length covers it) even when the
/// capture's snaplen cuts the stored bytes.
public struct MirrorEncapsulation: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case erspan1, erspan2, erspan3, gre, vxlan, geneve
    }

    public let kind: Kind?
    /// Probability that the mirror loses a copy before the capture records it.
    public let lossProbability: Double
    /// The ERSPAN session ID, GRE key or VNI.
    public let session: UInt32
    private var sequence: UInt32 = 0
    private var random: SplitMix64
    /// Copies the mirror lost.
    public private(set) var dropped = 0

    static let switchAddress: UInt32 = 0xc000_0201  // 192.0.2.1 (TEST-NET-1)
    static let collectorAddress: UInt32 = 0xc000_0264  // 192.0.2.100
    static let switchMAC: UInt64 = 0x02cc_0000_0001
    static let collectorMAC: UInt64 = 0x02cc_0000_0002

    /// `kind` nil: no encapsulation, only the loss (a tap such as ibdump that drops).
    public init(kind: Kind?, lossProbability: Double = 0, session: UInt32 = 42, seed: UInt64 = 1) {
        self.kind = kind
        self.lossProbability = lossProbability
        self.session = session
        random = SplitMix64(seed: seed ^ 0x6d69_7272_6f72)
    }

    /// Bytes the encapsulation adds in front of each frame.
    public var overhead: Int {
        guard let kind else { return 0 }
        return 14 + 20 + MirrorEncapsulation.tunnelHeader(kind, sequence: 0, session: 0, timestamp: 0, innerLength: 0).count
    }

    /// The copy the collector records, or nil when the mirror lost it.
    public mutating func wrap(_ frame: Frame, timeNs: Int64) -> Frame? {
        sequence &+= 1
        if random.chance(lossProbability) {
            dropped += 1
            return nil
        }
        guard let kind else { return frame }
        let tunnel = MirrorEncapsulation.tunnelHeader(
            kind, sequence: sequence, session: session, timestamp: UInt32(truncatingIfNeeded: timeNs / 100),
            innerLength: frame.originalLength)
        let ipLength = 20 + tunnel.count + frame.originalLength
        var head: [UInt8] = []
        head.append48(MirrorEncapsulation.collectorMAC)
        head.append48(MirrorEncapsulation.switchMAC)
        head.append16(PacketDecoder.etherTypeIPv4)
        head += FrameBuilder.ipv4Header(
            tos: 0, length: ipLength, identification: UInt16(truncatingIfNeeded: sequence),
            protocol: kind == .vxlan || kind == .geneve ? PacketDecoder.udpProtocol : PacketDecoder.ipProtocolGRE,
            source: MirrorEncapsulation.switchAddress, destination: MirrorEncapsulation.collectorAddress)
        head += tunnel
        return Frame(bytes: head + frame.bytes, originalLength: head.count + frame.originalLength, isRoCE: frame.isRoCE)
    }

    /// The GRE (with ERSPAN) or UDP (with VXLAN/Geneve) header before the inner frame.
    static func tunnelHeader(_ kind: Kind, sequence: UInt32, session: UInt32, timestamp: UInt32, innerLength: Int) -> [UInt8] {
        var header: [UInt8] = []
        switch kind {
        case .erspan1:
            header.append16(0)
            header.append16(PacketDecoder.greProtocolERSPAN)
        case .erspan2:
            header.append16(PacketDecoder.greSequencePresent)
            header.append16(PacketDecoder.greProtocolERSPAN)
            header.append32(sequence)
            header.append32(1 << 28 | session & 0x3ff)  // version 1, session
            header.append32(0)
        case .erspan3:
            header.append16(PacketDecoder.greSequencePresent)
            header.append16(PacketDecoder.greProtocolERSPANIII)
            header.append32(sequence)
            header.append32(2 << 28 | session & 0x3ff)  // version 2, session
            header.append32(timestamp)
            header.append32(UInt32(MirrorTag.Granularity.nanoseconds100.rawValue) << 1)  // frame type Ethernet
        case .gre:
            header.append16(PacketDecoder.greKeyPresent | PacketDecoder.greSequencePresent)
            header.append16(PacketDecoder.etherTypeTransparentBridging)
            header.append32(session)
            header.append32(sequence)
        case .vxlan, .geneve:
            header.append16(0xc000)
            header.append16(kind == .vxlan ? PacketDecoder.vxlanPort : PacketDecoder.genevePort)
            header.append16(UInt16(truncatingIfNeeded: 16 + innerLength))
            header.append16(0)
            if kind == .vxlan {
                header.append32(UInt32(PacketDecoder.vxlanValidVNI) << 24)
            } else {
                header.append16(0)
                header.append16(PacketDecoder.etherTypeTransparentBridging)
            }
            header.append32(session << 8)
        }
        return header
    }
}
