import FabricWire

/// One frame the scenario will emit, before its bytes are built. Events are
/// produced step by step, then sorted by time, so that frames are written in
/// capture order while only a step's worth is held in memory.
struct TrafficEvent {
    enum Kind {
        case data(connection: Int, opcode: UInt8, psn: UInt32, ackRequest: Bool, payload: Int,
                  dmaLength: UInt32?, ce: Bool, retransmission: Bool)
        case ack(connection: Int, psn: UInt32, syndrome: UInt8, msn: UInt32)
        case cnp(connection: Int)
        case pfc(switchPort: Int, quanta: UInt16)
        case connectionManagement(connection: Int, kind: ConnectionMessage.Kind, startingPSN: UInt32)
        /// NCCL's clear-to-send: the responder's RDMA WRITE back to the requester.
        case clearToSend(connection: Int, psn: UInt32)
        /// The requester's ACK of it.
        case clearToSendAck(connection: Int, psn: UInt32, msn: UInt32)
    }

    var timeNs: Int64
    var order: Int
    var kind: Kind
}
