/// A BTH opcode: transport class in bits 7–5, operation in bits 4–0 (IBTA vol. 1
/// §9.2). Names follow Wireshark's InfiniBand dissector so that counts can be
/// compared with tshark without a translation table.
public struct Opcode: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public enum Transport: UInt8, Sendable {
        case rc = 0, uc = 1, rd = 2, ud = 3, cnp = 4, xrc = 5, reserved6 = 6, reserved7 = 7
    }

    // The classifiers below run several times per packet from other modules:
    // @inlinable lets them compile down to a few bit tests at the call site.

    @inlinable @inline(__always) public var transport: Transport {
        switch rawValue >> 5 {
        case 0: return .rc
        case 1: return .uc
        case 2: return .rd
        case 3: return .ud
        case 4: return .cnp
        case 5: return .xrc
        case 6: return .reserved6
        default: return .reserved7
        }
    }

    /// The operation bits (4–0).
    @inlinable public var operation: UInt8 { rawValue & 0x1f }

    /// Congestion Notification Packet: 0x81 on RoCEv2 (Annex A17), 0x80 on native IB.
    @inlinable public var isCNP: Bool { rawValue == 0x80 || rawValue == 0x81 }

    /// Transports whose operations follow the RC numbering (RC, UC, RD, XRC).
    @inlinable var isConnected: Bool {
        let t = rawValue >> 5
        return t == 0 || t == 1 || t == 2 || t == 5
    }

    @inlinable public var isAcknowledge: Bool { isConnected && operation == 0x11 }
    @inlinable public var isAtomicAcknowledge: Bool { isConnected && operation == 0x12 }
    @inlinable public var isReadRequest: Bool { isConnected && operation == 0x0c }
    @inlinable public var isReadResponse: Bool { isConnected && operation >= 0x0d && operation <= 0x10 }

    /// Packets that consume the requester's PSN space: SEND*, WRITE*, READ request,
    /// atomics (reference §7.1); UD sends count too (they carry PSNs).
    @inlinable public var isRequest: Bool {
        guard rawValue >> 5 != 4 else { return false }
        let op = operation
        return op <= 0x0c || op == 0x13 || op == 0x14 || op == 0x16 || op == 0x17
    }

    /// ACK, READ response or atomic ACK: they travel in the responder's direction.
    @inlinable public var isResponse: Bool {
        isConnected && operation >= 0x0d && operation <= 0x12
    }
}

extension Opcode {
    private static let operationNames: [UInt8: String] = [
        0x00: "SEND_FIRST", 0x01: "SEND_MIDDLE", 0x02: "SEND_LAST", 0x03: "SEND_LAST_IMM",
        0x04: "SEND_ONLY", 0x05: "SEND_ONLY_IMM", 0x06: "RDMA_WRITE_FIRST",
        0x07: "RDMA_WRITE_MIDDLE", 0x08: "RDMA_WRITE_LAST", 0x09: "RDMA_WRITE_LAST_IMM",
        0x0a: "RDMA_WRITE_ONLY", 0x0b: "RDMA_WRITE_ONLY_IMM", 0x0c: "RDMA_READ_REQUEST",
        0x0d: "RDMA_READ_RESPONSE_FIRST", 0x0e: "RDMA_READ_RESPONSE_MIDDLE",
        0x0f: "RDMA_READ_RESPONSE_LAST", 0x10: "RDMA_READ_RESPONSE_ONLY",
        0x11: "ACKNOWLEDGE", 0x12: "ATOMIC_ACKNOWLEDGE", 0x13: "COMPARE_SWAP",
        0x14: "FETCH_ADD", 0x15: "RESYNC", 0x16: "SEND_LAST_INVAL", 0x17: "SEND_ONLY_INVAL",
    ]

    /// `RC_SEND_FIRST`, `UD_SEND_ONLY`, `CNP`, or `UNKNOWN_0xNN`.
    public var name: String {
        if isCNP { return "CNP" }
        let prefix: String
        switch transport {
        case .rc: prefix = "RC"
        case .uc: prefix = "UC"
        case .rd: prefix = "RD"
        case .ud: prefix = "UD"
        case .xrc: prefix = "XRC"
        default: return Opcode.unknownName(rawValue)
        }
        guard let op = Opcode.operationNames[operation] else { return Opcode.unknownName(rawValue) }
        return prefix + "_" + op
    }

    private static func unknownName(_ raw: UInt8) -> String {
        let hex = String(raw, radix: 16)
        return "UNKNOWN_0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
