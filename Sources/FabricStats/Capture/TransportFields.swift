import FabricWire
import FabricIngest

/// The fields of one RoCE packet that the per-packet statistics read, read in place
/// from the capture reader's batch.
///
/// Why a view and not a copy: the statistics read a dozen fields of a 177-byte
/// `RocePacket`. Passing the packet copied it through a temporary at every call
/// that was not inlined; copying the dozen fields into a record of their own (the
/// previous form) still cost about 40 stores and loads a packet, most of them for
/// fields a request never reads (the AETH syndrome, the VLAN tag). As a view, a call
/// passes one pointer and each field is loaded where it is used.
struct TransportFields {
    let view: PacketView

    @inline(__always)
    init(_ view: PacketView) { self.view = view }

    var opcode: Opcode { @inline(__always) get { view.roce.bth.opcode } }
    var psn: UInt32 { @inline(__always) get { view.roce.bth.psn } }
    var ackRequest: Bool { @inline(__always) get { view.roce.bth.ackRequest } }
    var fecn: Bool { @inline(__always) get { view.roce.bth.fecn } }
    var becn: Bool { @inline(__always) get { view.roce.bth.becn } }
    /// The capture ended inside the extension headers.
    var headersTruncated: Bool { @inline(__always) get { view.roce.extensions.truncated } }
    var ecn: UInt8? { @inline(__always) get { view.roce.ecn } }
    var dscp: UInt8? { @inline(__always) get { view.roce.dscp } }
    /// The outermost VLAN tag (PCP, DEI, VLAN ID), as `RocePacket.vlanTag`.
    var vlanTag: UInt16? { @inline(__always) get { view.roce.vlanTag } }
    var ipIdentification: UInt16? { @inline(__always) get { view.roce.ipIdentification } }
    var udpSourcePort: UInt16? { @inline(__always) get { view.roce.udpSourcePort } }
    /// The AETH syndrome of an ACKNOWLEDGE packet that carries a captured AETH (the
    /// only packets whose syndrome anything reads).
    var syndrome: AckSyndrome? {
        @inline(__always) get { opcode.isAcknowledge ? view.roce.extensions.ackSyndrome : nil }
    }
    var payloadLength: Int { @inline(__always) get { view.roce.payloadLength } }
}

extension RocePacket {
    /// Runs `body` with the transport fields of this packet held as a value (tests
    /// and synthetic traffic; the capture path reads them in place).
    func withTransportFields<R>(_ body: (TransportFields) throws -> R) rethrows -> R {
        try DecodedPacket(timestampNs: 0, wireLength: 0, content: .roce(self)).withView { try body(TransportFields($0)) }
    }
}
