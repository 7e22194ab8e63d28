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

    @inlinable public var isAcknowledge: Bool { isConnected && operation == Operation.acknowledge.rawValue }
    @inlinable public var isAtomicAcknowledge: Bool { isConnected && operation == Operation.atomicAcknowledge.rawValue }
    @inlinable public var isReadRequest: Bool { isConnected && operation == Operation.rdmaReadRequest.rawValue }
    @inlinable public var isReadResponse: Bool {
        isConnected && operation >= Operation.rdmaReadResponseFirst.rawValue
            && operation <= Operation.rdmaReadResponseOnly.rawValue
    }
    /// COMPARE_SWAP or FETCH_ADD.
    @inlinable public var isAtomic: Bool {
        isConnected && (operation == Operation.compareSwap.rawValue || operation == Operation.fetchAdd.rawValue)
    }

    /// Packets that consume the requester's PSN space: SEND*, WRITE*, READ request,
    /// atomics (reference §7.1); UD sends count too (they carry PSNs).
    @inlinable public var isRequest: Bool {
        guard rawValue >> 5 != Transport.cnp.rawValue else { return false }
        let op = operation
        return op <= Operation.rdmaReadRequest.rawValue || op == Operation.compareSwap.rawValue
            || op == Operation.fetchAdd.rawValue || op == Operation.sendLastInvalidate.rawValue
            || op == Operation.sendOnlyInvalidate.rawValue
    }

    /// ACK, READ response or atomic ACK: they travel in the responder's direction.
    @inlinable public var isResponse: Bool {
        isConnected && operation >= Operation.rdmaReadResponseFirst.rawValue
            && operation <= Operation.atomicAcknowledge.rawValue
    }
}

extension Opcode {
    /// The operations (bits 4–0), numbered alike for RC, UC, RD and XRC (IBTA vol. 1
    /// §9.2, table 35). The one table of opcodes: classifiers, statistics, the generator
    /// and the names in the output all read it.
    public enum Operation: UInt8, CaseIterable, Sendable {
        case sendFirst = 0x00, sendMiddle, sendLast, sendLastImmediate, sendOnly, sendOnlyImmediate
        case rdmaWriteFirst, rdmaWriteMiddle, rdmaWriteLast, rdmaWriteLastImmediate, rdmaWriteOnly
        case rdmaWriteOnlyImmediate, rdmaReadRequest, rdmaReadResponseFirst, rdmaReadResponseMiddle
        case rdmaReadResponseLast, rdmaReadResponseOnly, acknowledge, atomicAcknowledge, compareSwap, fetchAdd
        case resync, sendLastInvalidate, sendOnlyInvalidate

        /// Wireshark's InfiniBand dissector's name, so counts compare with tshark's.
        public var name: String {
            switch self {
            case .sendFirst: "SEND_FIRST"
            case .sendMiddle: "SEND_MIDDLE"
            case .sendLast: "SEND_LAST"
            case .sendLastImmediate: "SEND_LAST_IMM"
            case .sendOnly: "SEND_ONLY"
            case .sendOnlyImmediate: "SEND_ONLY_IMM"
            case .rdmaWriteFirst: "RDMA_WRITE_FIRST"
            case .rdmaWriteMiddle: "RDMA_WRITE_MIDDLE"
            case .rdmaWriteLast: "RDMA_WRITE_LAST"
            case .rdmaWriteLastImmediate: "RDMA_WRITE_LAST_IMM"
            case .rdmaWriteOnly: "RDMA_WRITE_ONLY"
            case .rdmaWriteOnlyImmediate: "RDMA_WRITE_ONLY_IMM"
            case .rdmaReadRequest: "RDMA_READ_REQUEST"
            case .rdmaReadResponseFirst: "RDMA_READ_RESPONSE_FIRST"
            case .rdmaReadResponseMiddle: "RDMA_READ_RESPONSE_MIDDLE"
            case .rdmaReadResponseLast: "RDMA_READ_RESPONSE_LAST"
            case .rdmaReadResponseOnly: "RDMA_READ_RESPONSE_ONLY"
            case .acknowledge: "ACKNOWLEDGE"
            case .atomicAcknowledge: "ATOMIC_ACKNOWLEDGE"
            case .compareSwap: "COMPARE_SWAP"
            case .fetchAdd: "FETCH_ADD"
            case .resync: "RESYNC"
            case .sendLastInvalidate: "SEND_LAST_INVAL"
            case .sendOnlyInvalidate: "SEND_ONLY_INVAL"
            }
        }
    }

    /// The opcode of `operation` on `transport`.
    public init(_ transport: Transport, _ operation: Operation) {
        self.init(rawValue: transport.rawValue << 5 | operation.rawValue)
    }

    /// RoCEv2's Congestion Notification Packet (Annex A17), and native IB's.
    public static let cnp = Opcode(rawValue: 0x81)
    public static let cnpInfiniBand = Opcode(rawValue: 0x80)

    /// `RC_SEND_FIRST`, `UD_SEND_ONLY`, `CNP`, or `UNKNOWN_0xNN`. From a table built
    /// once: a summary names every flow's opcodes, and composing the longer names
    /// allocated each time (10⁵ flows).
    public var name: String { Opcode.names[Int(rawValue)] }

    private static let names: [String] = (0...255).map { Opcode(rawValue: UInt8($0)).composedName }

    private var composedName: String {
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
        guard let op = Operation(rawValue: operation) else { return Opcode.unknownName(rawValue) }
        return prefix + "_" + op.name
    }

    /// Packets with a request opcode in counts kept by name (a flow's opcodes). A
    /// flow can carry more than its requests: on an RC connection with requests both
    /// ways, the ACKs and READ responses for the other side's requests too.
    public static func requestPackets(in counts: [String: Int]) -> Int {
        var requests = 0
        for (name, packets) in counts where Opcode(name: name)?.isRequest == true { requests += packets }
        return requests
    }

    /// The opcode named `name` (as `name` writes it), for counts kept by name.
    public init?(name: String) {
        guard let raw = Opcode.byName[name] else { return nil }
        self.init(rawValue: raw)
    }

    private static let byName: [String: UInt8] = Dictionary(
        (0...255).map { (Opcode(rawValue: UInt8($0)).name, UInt8($0)) }, uniquingKeysWith: { first, _ in first })

    private static func unknownName(_ raw: UInt8) -> String {
        let hex = String(raw, radix: 16)
        return "UNKNOWN_0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
