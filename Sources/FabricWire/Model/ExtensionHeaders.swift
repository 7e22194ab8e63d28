/// The extension transport headers that follow a BTH (IBTA vol. 1 §9.3, Table 38
/// and §9.7; RoCEv2 CNP per Annex A17), kept as the raw bytes and decoded on access.
///
/// Which headers follow is fixed by the opcode. Keeping up to 32 raw bytes inline
/// (instead of a decoded field per header) keeps every decoded packet a small
/// plain value, which matters at millions of packets per second; the few fields a
/// consumer asks for are decoded when asked. A field is nil when its header is
/// absent *or* when the capture was cut before it (`truncated` tells them apart).
/// The one layout longer than 32 bytes, an RD atomic (RDETH + DETH + AtomicETH), is
/// kept up to its 32nd byte: RD is specified but no RDMA NIC implements it.
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

    public let opcode: Opcode
    /// The extension-header bytes, big-endian, eight per word (bytes past what was
    /// captured are zero).
    private var word0: UInt64 = 0, word1: UInt64 = 0, word2: UInt64 = 0, word3: UInt64 = 0
    static let capacity = 32
    /// How many of the opcode's extension-header bytes were captured.
    private var captured: UInt8 = 0
    /// The capture ended before all of the opcode's headers.
    public private(set) var truncated = false

    /// No extension headers (or none decoded).
    public init(opcode: Opcode = Opcode(.rc, .sendOnly)) {
        self.opcode = opcode
    }

    /// Copies the extension headers that `opcode` carries, starting at `offset`.
    public init(_ bytes: ByteView, at offset: Int, opcode: Opcode) {
        self.init(bytes, at: offset, opcode: opcode, size: ExtensionHeaders.size(of: opcode))
    }

    /// As above, with the opcode's extension-header size already known.
    @inline(__always)
    init(_ bytes: ByteView, at offset: Int, opcode: Opcode, size: Int) {
        self.opcode = opcode
        guard size > 0 else { return }
        let present = min(size, max(0, bytes.count - offset))
        truncated = present < size
        let available = min(present, ExtensionHeaders.capacity)
        captured = UInt8(available)
        if bytes.has(ExtensionHeaders.capacity, at: offset) {
            // The common case: four loads, then clear what lies past the headers.
            word0 = bytes.u64(unchecked: offset) & ExtensionHeaders.mask(available, word: 0)
            word1 = bytes.u64(unchecked: offset + 8) & ExtensionHeaders.mask(available, word: 1)
            word2 = bytes.u64(unchecked: offset + 16) & ExtensionHeaders.mask(available, word: 2)
            word3 = bytes.u64(unchecked: offset + 24) & ExtensionHeaders.mask(available, word: 3)
        } else {
            for index in 0..<available {
                let value = UInt64(bytes.base[offset + index]) << (56 - 8 * UInt64(index & 7))
                switch index >> 3 {
                case 0: word0 |= value
                case 1: word1 |= value
                case 2: word2 |= value
                default: word3 |= value
                }
            }
        }
    }

    /// Keeps the first `available − 8·word` bytes of a big-endian word.
    @inline(__always)
    static func mask(_ available: Int, word: Int) -> UInt64 {
        let bytes = available - 8 * word
        if bytes >= 8 { return .max }
        if bytes <= 0 { return 0 }
        return ~(UInt64.max >> UInt64(8 * bytes))
    }

    /// Builds the headers from their wire bytes (tests, synthetic traffic).
    public init(opcode: Opcode, wireBytes: [UInt8]) {
        self = ByteView.with(wireBytes) { ExtensionHeaders($0, at: 0, opcode: opcode) }
    }

    private func byte(_ index: Int) -> UInt64 {
        let word: UInt64
        switch index >> 3 {
        case 0: word = word0
        case 1: word = word1
        case 2: word = word2
        default: word = word3
        }
        return word >> (56 - 8 * UInt64(index & 7)) & 0xff
    }

    private func read(_ offset: Int, _ length: Int) -> UInt64 {
        (offset..<offset + length).reduce(0) { $0 << 8 | byte($1) }
    }

    /// Offset of `header` among the captured bytes, or nil if absent or cut off.
    func offset(of header: Layout) -> Int? {
        var cursor = 0
        for candidate in ExtensionHeaders.layout(of: opcode) {
            if candidate == header { return cursor + header.size <= Int(captured) ? cursor : nil }
            cursor += candidate.size
        }
        return nil
    }

    public var reth: RETH? {
        offset(of: .reth).map {
            RETH(virtualAddress: read($0, 8), remoteKey: UInt32(read($0 + 8, 4)), dmaLength: UInt32(read($0 + 12, 4)))
        }
    }

    public var aeth: AETH? {
        aethOffset.map {
            AETH(syndrome: AckSyndrome(rawValue: UInt8(read($0, 1))), messageSequenceNumber: UInt32(read($0 + 1, 3)))
        }
    }

    /// Where the AETH starts, or nil if absent or cut off. The same answer as
    /// `offset(of: .aeth)` without building the opcode's layout list: every ACK
    /// packet asks. The AETH comes first in a response, after the RDETH on RD.
    var aethOffset: Int? {
        guard opcode.isConnected else { return nil }
        switch opcode.operation {
        case 0x0d, 0x0f, 0x10, 0x11, 0x12: break
        default: return nil
        }
        let start = opcode.transport == .rd ? 4 : 0
        return start + 4 <= Int(captured) ? start : nil
    }

    /// The AETH syndrome byte, when the packet carries a captured AETH.
    public var ackSyndrome: AckSyndrome? {
        aethOffset.map { AckSyndrome(rawValue: UInt8(truncatingIfNeeded: byte($0))) }
    }

    public var deth: DETH? {
        offset(of: .deth).map { DETH(queueKey: UInt32(read($0, 4)), sourceQP: UInt32(read($0 + 5, 3))) }
    }

    public var atomic: AtomicETH? {
        offset(of: .atomicETH).map {
            AtomicETH(virtualAddress: read($0, 8), remoteKey: UInt32(read($0 + 8, 4)), swapOrAdd: read($0 + 12, 8),
                      compare: read($0 + 20, 8))
        }
    }

    public var atomicAckOriginal: UInt64? { offset(of: .atomicAckETH).map { read($0, 8) } }
    public var immediate: UInt32? { offset(of: .immDt).map { UInt32(read($0, 4)) } }
    public var invalidateKey: UInt32? { offset(of: .ieth).map { UInt32(read($0, 4)) } }
    public var rdEEContext: UInt32? { offset(of: .rdeth).map { UInt32(read($0 + 1, 3)) } }
    public var xrcSRQ: UInt32? { offset(of: .xrceth).map { UInt32(read($0 + 1, 3)) } }
}

extension ExtensionHeaders {
    /// The headers an opcode carries, in wire order.
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

    /// `size(of:)` for every opcode, by raw value: the per-packet lookup (one load,
    /// where the switch below costs about thirty instructions and a call).
    static let sizes: [UInt8] = (0...255).map { UInt8(size(of: Opcode(rawValue: UInt8($0)))) }

    /// Total size of the extension headers an opcode carries, by the rules of
    /// IBTA Table 38 (tests pin it to `layout(of:)`); `sizes` tabulates it.
    public static func size(of opcode: Opcode) -> Int {
        let operation = opcode.operation
        switch opcode.transport {
        case .cnp: return opcode.isCNP ? 16 : 0
        case .ud: return operation == 0x04 ? 8 : operation == 0x05 ? 12 : 0
        case .reserved6, .reserved7: return 0
        case .rc, .uc, .rd, .xrc:
            var size = 0
            switch operation {
            case 0x03, 0x05, 0x09, 0x16, 0x17: size = 4  // ImmDt or IETH
            case 0x06, 0x0a, 0x0c: size = 16  // RETH
            case 0x0b: size = 20  // RETH + ImmDt
            case 0x0d, 0x0f, 0x10, 0x11: size = 4  // AETH
            case 0x12: size = 12  // AETH + AtomicAckETH
            case 0x13, 0x14: size = 28  // AtomicETH
            default: size = 0
            }
            if opcode.transport == .rd { size += opcode.isRequest ? 12 : 4 }  // RDETH (+ DETH)
            if opcode.transport == .xrc, opcode.isRequest { size += 4 }  // XRCETH
            return size
        }
    }
}
