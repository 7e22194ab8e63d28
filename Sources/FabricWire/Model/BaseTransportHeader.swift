/// The 12-byte InfiniBand Base Transport Header (IBTA vol. 1 §9.2), present in
/// every RoCEv1, RoCEv2 and native InfiniBand transport packet.
public struct BaseTransportHeader: Hashable, Sendable {
    public static let size = 12

    public var opcode: Opcode
    public var solicitedEvent: Bool
    public var migrationRequest: Bool
    /// Pad bytes (0–3) between the payload and the ICRC.
    public var padCount: UInt8
    public var transportVersion: UInt8
    public var partitionKey: UInt16
    /// Forward congestion notification: set by a congested switch on native IB.
    public var fecn: Bool
    /// Backward congestion notification: set on CNPs and on IB responses.
    public var becn: Bool
    /// Destination queue pair (24 bits). The BTH carries no source QP.
    public var destQP: UInt32
    /// The requester asks the responder to acknowledge this packet.
    public var ackRequest: Bool
    /// Packet sequence number (24 bits, wraps modulo 2^24).
    public var psn: UInt32

    public init(
        opcode: Opcode, solicitedEvent: Bool = false, migrationRequest: Bool = true,
        padCount: UInt8 = 0, transportVersion: UInt8 = 0, partitionKey: UInt16 = 0xffff,
        fecn: Bool = false, becn: Bool = false, destQP: UInt32, ackRequest: Bool = false,
        psn: UInt32
    ) {
        self.opcode = opcode
        self.solicitedEvent = solicitedEvent
        self.migrationRequest = migrationRequest
        self.padCount = padCount
        self.transportVersion = transportVersion
        self.partitionKey = partitionKey
        self.fecn = fecn
        self.becn = becn
        self.destQP = destQP
        self.ackRequest = ackRequest
        self.psn = psn
    }

    /// Decodes a BTH at `offset`; nil when fewer than 12 bytes were captured.
    public init?(_ bytes: ByteView, at offset: Int) {
        guard bytes.has(BaseTransportHeader.size, at: offset) else { return nil }
        self.init(unchecked: bytes, at: offset)
    }

    /// Decodes a BTH whose 12 bytes the caller has checked are captured.
    @inline(__always)
    init(unchecked bytes: ByteView, at offset: Int) {
        let b0 = bytes.u8(unchecked: offset), b1 = bytes.u8(unchecked: offset + 1)
        let pkey = bytes.u16(unchecked: offset + 2), b4 = bytes.u8(unchecked: offset + 4)
        let qp = bytes.u32(unchecked: offset + 4) & 0xff_ffff, b8 = bytes.u8(unchecked: offset + 8)
        let psn = bytes.u32(unchecked: offset + 8) & 0xff_ffff
        self.init(
            opcode: Opcode(rawValue: b0), solicitedEvent: b1 & 0x80 != 0,
            migrationRequest: b1 & 0x40 != 0, padCount: (b1 >> 4) & 0x3,
            transportVersion: b1 & 0x0f, partitionKey: pkey, fecn: b4 & 0x80 != 0,
            becn: b4 & 0x40 != 0, destQP: qp, ackRequest: b8 & 0x80 != 0, psn: psn)
    }

    /// The 12 wire bytes of this header.
    public var bytes: [UInt8] {
        [
            opcode.rawValue,
            (solicitedEvent ? 0x80 : 0) | (migrationRequest ? 0x40 : 0) | (padCount & 3) << 4
                | (transportVersion & 0x0f),
            UInt8(partitionKey >> 8), UInt8(partitionKey & 0xff),
            (fecn ? 0x80 : 0) | (becn ? 0x40 : 0),
            UInt8(destQP >> 16 & 0xff), UInt8(destQP >> 8 & 0xff), UInt8(destQP & 0xff),
            ackRequest ? 0x80 : 0,
            UInt8(psn >> 16 & 0xff), UInt8(psn >> 8 & 0xff), UInt8(psn & 0xff),
        ]
    }
}
