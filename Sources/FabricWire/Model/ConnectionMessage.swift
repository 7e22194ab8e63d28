/// An InfiniBand Communication Manager message (IBTA vol. 1 §12.6): the MADs that
/// set up a reliable connection, sent as UD SEND_ONLY to QP 1. A REQ names the
/// active side's QPN, the REP the passive side's, so together they pair the two
/// directions of a connection without guessing. The starting PSN in each is the
/// one its sender will *receive* first: the REQ's is where the passive side's
/// requests start, the REP's where the active side's start (as Linux's CM and
/// real SoftRoCE/ConnectX captures have it).
public struct ConnectionMessage: Sendable, Hashable {
    public enum Kind: UInt16, Sendable {
        case request = 0x0010, messageReceiptAcknowledgement = 0x0011, reject = 0x0012, reply = 0x0013
        case readyToUse = 0x0014, disconnectRequest = 0x0015, disconnectReply = 0x0016
    }

    public var kind: Kind
    public var localCommunicationID: UInt32
    /// Zero in a REQ.
    public var remoteCommunicationID: UInt32
    /// REQ and REP: the sender's QPN.
    public var localQPN: UInt32?
    /// REQ and REP: the first PSN the sender expects to receive, i.e. where the
    /// *other* side's requests start.
    public var startingPSN: UInt32?

    static let managementClassCM: UInt8 = 0x07
    static let madHeaderSize = 24

    /// Decodes the MAD at `offset` (after the DETH); nil unless it is a CM message
    /// with enough bytes captured.
    init?(_ bytes: ByteView, at offset: Int) {
        guard bytes.u8(offset + 1) == ConnectionMessage.managementClassCM,
              let attribute = bytes.u16(offset + 16), let kind = Kind(rawValue: attribute)
        else { return nil }
        let data = offset + ConnectionMessage.madHeaderSize
        guard let local = bytes.u32(data) else { return nil }
        self.kind = kind
        localCommunicationID = local
        switch kind {
        case .request:
            remoteCommunicationID = 0
            guard let qpn = bytes.u24(data + 32), let psn = bytes.u24(data + 44) else { return nil }
            localQPN = qpn
            startingPSN = psn
        case .reply:
            guard let remote = bytes.u32(data + 4), let qpn = bytes.u24(data + 12), let psn = bytes.u24(data + 20)
            else { return nil }
            remoteCommunicationID = remote
            localQPN = qpn
            startingPSN = psn
        default:
            remoteCommunicationID = bytes.u32(data + 4) ?? 0
        }
    }

    public init(kind: Kind, localCommunicationID: UInt32, remoteCommunicationID: UInt32, localQPN: UInt32?,
                startingPSN: UInt32?) {
        self.kind = kind
        self.localCommunicationID = localCommunicationID
        self.remoteCommunicationID = remoteCommunicationID
        self.localQPN = localQPN
        self.startingPSN = startingPSN
    }
}
