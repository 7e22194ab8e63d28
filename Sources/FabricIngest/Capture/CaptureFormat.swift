import FabricWire

/// The container format of a capture file and the timestamp resolution of each of
/// its interfaces, read from the file header.
///
/// libpcap converts all timestamps to nanoseconds for us but does not say what the
/// file really resolved; latency and jitter figures below that resolution are noise,
/// so the resolution is recovered here and reported with every result.
public struct CaptureFormat: Sendable, Equatable {
    public enum Container: String, Sendable { case pcap, pcapng }

    public var container: Container
    /// Resolution of each interface in nanoseconds (one entry for classic pcap).
    /// pcapng interfaces described after the first megabyte are not seen.
    public var interfaceResolutionsNs: [Double]

    /// The coarsest resolution among the interfaces.
    public var resolutionNs: Double { interfaceResolutionsNs.max() ?? 1000 }

    static let pcapMicro: UInt32 = 0xa1b2_c3d4
    static let pcapNano: UInt32 = 0xa1b2_3c4d
    static let pcapngSection: UInt32 = 0x0a0d_0d0a
    static let pcapngByteOrder: UInt32 = 0x1a2b_3c4d
    static let pcapngInterface: UInt32 = 1
    static let optionTimestampResolution: UInt16 = 9

    /// Recognises the header in `bytes`; nil when it is neither pcap nor pcapng.
    public init?(sniffing bytes: ByteView) {
        guard let magic = bytes.u32(0) else { return nil }
        switch magic {
        case CaptureFormat.pcapMicro, CaptureFormat.pcapMicro.byteSwapped:
            self.init(container: .pcap, interfaceResolutionsNs: [1000])
        case CaptureFormat.pcapNano, CaptureFormat.pcapNano.byteSwapped:
            self.init(container: .pcap, interfaceResolutionsNs: [1])
        case CaptureFormat.pcapngSection:
            guard let order = bytes.u32(8) else { return nil }
            let bigEndian = order == CaptureFormat.pcapngByteOrder
            guard bigEndian || order == CaptureFormat.pcapngByteOrder.byteSwapped else { return nil }
            self.init(container: .pcapng,
                      interfaceResolutionsNs: CaptureFormat.interfaceResolutions(bytes, bigEndian: bigEndian))
        default:
            return nil
        }
    }

    init(container: Container, interfaceResolutionsNs: [Double]) {
        self.container = container
        self.interfaceResolutionsNs = interfaceResolutionsNs
    }

    /// Walks the pcapng blocks visible in `bytes` and reads `if_tsresol` from each
    /// Interface Description Block (default 10^-6 s when the option is absent).
    static func interfaceResolutions(_ bytes: ByteView, bigEndian: Bool) -> [Double] {
        func u32(_ at: Int) -> UInt32? { bigEndian ? bytes.u32(at) : bytes.u32(at)?.byteSwapped }
        func u16(_ at: Int) -> UInt16? { bigEndian ? bytes.u16(at) : bytes.u16le(at) }
        var resolutions: [Double] = []
        var block = 0
        while let type = u32(block), let length = u32(block + 4), length >= 12, length % 4 == 0 {
            if type == pcapngInterface {
                var resolution = 1000.0
                var option = block + 16
                let end = block + Int(length) - 4
                while option + 4 <= end, let code = u16(option), let size = u16(option + 2), code != 0 {
                    if code == optionTimestampResolution, let value = bytes.u8(option + 4) {
                        resolution = CaptureFormat.resolutionNs(tsresol: value)
                    }
                    option += 4 + (Int(size) + 3) / 4 * 4
                }
                resolutions.append(resolution)
            }
            block += Int(length)
        }
        return resolutions.isEmpty ? [1000] : resolutions
    }

    /// `if_tsresol`: high bit clear → 10^-v seconds; set → 2^-v seconds.
    static func resolutionNs(tsresol: UInt8) -> Double {
        let exponent = Int(tsresol & 0x7f)
        if tsresol & 0x80 != 0 { return 1e9 / Double(sign: .plus, exponent: exponent, significand: 1) }
        var scale = 1.0  // exact powers of ten up to 10^22
        for _ in 0..<abs(9 - exponent) { scale *= 10 }
        return exponent <= 9 ? scale : 1 / scale
    }
}
