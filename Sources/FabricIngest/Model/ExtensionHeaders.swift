/// The extension transport headers that follow a BTH, decoded by opcode
/// (IBTA vol. 1 §9.3, Table 38 and §9.7; RoCEv2 CNP per Annex A17).
///
/// Which headers follow is fixed by the opcode, so the layout is computed from it;
/// a field is nil when its header is absent *or* when the capture was cut before it
/// (`truncated` tells the two apart).
public struct ExtensionHeaders: Hashable, Sendable {
    /// RDMA Extended Transport Header (WRITE first/only, READ request).
    public struct RETH: Hashable, Sendable {
        public var virtualAddress: UInt64
        public var remoteKey: UInt32
        public var dmaLength: UInt32
    }

    /// Datagram Extended Transport Header (UD and RD).
    public struct DETH: Hashable, Sendable {
        public var queueKey: UInt32
        public var sourceQP: UInt32
    }

    /// ACK Extended Transport Header.
    public struct AETH: Hashable, Sendable {
        public var syndrome: AckSyndrome
        public var messageSequenceNumber: UInt32

        public init(syndrome: AckSyndrome, messageSequenceNumber: UInt32) {
            self.syndrome = syndrome
            self.messageSequenceNumber = messageSequenceNumber
        }
    }

    /// Atomic Extended Transport Header (COMPARE_SWAP, FETCH_ADD).
    public struct AtomicETH: Hashable, Sendable {
        public var virtualAddress: UInt64
        public var remoteKey: UInt32
        public var swapOrAdd: UInt64
        public var compare: UInt64
    }

    public var rdEEContext: UInt32?
    public var deth: DETH?
    public var xrcSRQ: UInt32?
    public var reth: RETH?
    public var atomic: AtomicETH?
    public var aeth: AETH?
    public var atomicAckOriginal: UInt64?
    public var immediate: UInt32?
    public var invalidateKey: UInt32?
    /// The capture ended before all of the opcode's headers.
    public var truncated = false

    public init() {}
}

extension ExtensionHeaders {
    /// The headers an opcode carries, in wire order, with their sizes.
    enum Layout {
        case rdeth, deth, xrceth, reth, atomicETH, aeth, atomicAckETH, immDt, ieth, cnpReserved

        /// Bytes on the wire.
        var size: Int {
            switch self {
            case .rdeth, .xrceth, .aeth, .immDt, .ieth: return 4
            case .deth, .atomicAckETH: return 8
            case .reth, .cnpReserved: return 16
            case .atomicETH: return 28
            }
        }
    }

    static func layout(of opcode: Opcode) -> [Layout] {
        switch opcode.transport {
        case .cnp: return opcode.isCNP ? [.cnpReserved] : []
        case .ud:
            switch opcode.operation {
            case 0x04: return [.deth]
            case 0x05: return [.deth, .immDt]
            default: return []
            }
        case .reserved6, .reserved7: return []
        case .rc, .uc, .rd, .xrc:
            var headers: [Layout] = []
            if opcode.transport == .rd {
                headers.append(.rdeth)
                if opcode.isRequest { headers.append(.deth) }
            }
            if opcode.transport == .xrc, opcode.isRequest { headers.append(.xrceth) }
            return headers + operationHeaders(opcode.operation)
        }
    }

    private static let operationLayouts: [[Layout]] = [
        [], [], [], [.immDt], [], [.immDt],          // SEND first, middle, last, last+imm, only, only+imm
        [.reth], [], [], [.immDt], [.reth], [.reth, .immDt], // WRITE first … only+imm
        [.reth],                                     // READ request
        [.aeth], [], [.aeth], [.aeth],               // READ response first, middle, last, only
        [.aeth], [.aeth, .atomicAckETH],             // ACK, atomic ACK
        [.atomicETH], [.atomicETH],                  // COMPARE_SWAP, FETCH_ADD
        [], [.ieth], [.ieth],                        // RESYNC, SEND last/only with invalidate
    ]

    private static func operationHeaders(_ operation: UInt8) -> [Layout] {
        Int(operation) < operationLayouts.count ? operationLayouts[Int(operation)] : []
    }

    /// Total size of the extension headers an opcode carries.
    public static func size(of opcode: Opcode) -> Int {
        sizes[Int(opcode.rawValue)]
    }

    private static let sizes: [Int] = (0...255).map { raw in
        layout(of: Opcode(rawValue: UInt8(raw))).reduce(0) { $0 + $1.size }
    }

    /// Decodes the extension headers that `opcode` carries, starting at `offset`.
    public init(_ bytes: ByteView, at offset: Int, opcode: Opcode) {
        self.init()
        var cursor = offset
        for header in ExtensionHeaders.layout(of: opcode) {
            guard bytes.has(header.size, at: cursor) else {
                truncated = true
                return
            }
            let c = cursor
            switch header {
            case .rdeth: rdEEContext = bytes.u24(c + 1)
            case .deth: deth = DETH(queueKey: bytes.u32(c)!, sourceQP: bytes.u24(c + 5)!)
            case .xrceth: xrcSRQ = bytes.u24(c + 1)
            case .reth:
                reth = RETH(virtualAddress: bytes.u64(c)!, remoteKey: bytes.u32(c + 8)!,
                            dmaLength: bytes.u32(c + 12)!)
            case .atomicETH:
                atomic = AtomicETH(virtualAddress: bytes.u64(c)!, remoteKey: bytes.u32(c + 8)!,
                                   swapOrAdd: bytes.u64(c + 12)!, compare: bytes.u64(c + 20)!)
            case .aeth:
                aeth = AETH(syndrome: AckSyndrome(rawValue: bytes.u8(c)!),
                            messageSequenceNumber: bytes.u24(c + 1)!)
            case .atomicAckETH: atomicAckOriginal = bytes.u64(c)
            case .immDt: immediate = bytes.u32(c)
            case .ieth: invalidateKey = bytes.u32(c)
            case .cnpReserved: break
            }
            cursor += header.size
        }
    }
}
