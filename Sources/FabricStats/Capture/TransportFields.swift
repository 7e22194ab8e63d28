import FabricWire
import FabricIngest

/// The fields of one RoCE packet that the per-packet statistics read, loaded once.
///
/// Why not pass `RocePacket`: it is a 177-byte plain value, and Swift copies a value
/// that large through a temporary at every call that is not inlined; the flow
/// counters and the request stream each took one copy per packet. This is a third
/// of the size and holds only what they use.
struct TransportFields {
    var opcode: Opcode
    var psn: UInt32
    var ackRequest: Bool
    var fecn: Bool
    var becn: Bool
    /// The capture ended inside the extension headers.
    var headersTruncated: Bool
    var ecn: UInt8?
    var dscp: UInt8?
    /// The outermost VLAN tag (PCP, DEI, VLAN ID), as `RocePacket.vlanTag`.
    var vlanTag: UInt16?
    var ipIdentification: UInt16?
    var udpSourcePort: UInt16?
    /// The AETH syndrome, on ACKNOWLEDGE packets that carry a captured AETH (the
    /// only ones whose syndrome anything reads: read out of every packet, it cost
    /// 45 instructions a record where nearly all are requests).
    var syndrome: AckSyndrome?
    var payloadLength: Int

    @inline(__always)
    init(_ packet: borrowing RocePacket) {
        opcode = packet.bth.opcode
        psn = packet.bth.psn
        ackRequest = packet.bth.ackRequest
        fecn = packet.bth.fecn
        becn = packet.bth.becn
        headersTruncated = packet.extensions.truncated
        ecn = packet.ecn
        dscp = packet.dscp
        vlanTag = packet.vlanTag
        ipIdentification = packet.ipIdentification
        udpSourcePort = packet.udpSourcePort
        syndrome = packet.bth.opcode.isAcknowledge ? packet.extensions.ackSyndrome : nil
        payloadLength = packet.payloadLength
    }

    /// Reads the fields in place from a batch's packet.
    @inline(__always)
    init(_ view: PacketView) {
        self.init(view.roce)
    }
}
