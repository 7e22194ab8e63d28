/// The AETH syndrome byte (IBTA vol. 1 §9.7.5.1): bits 6–5 say ACK, RNR NAK or
/// NAK; bits 4–0 carry a credit count, an RNR timer code or a NAK code.
///
/// Tools that test only bit 5 (0x20) confuse RNR NAKs with NAKs; this type keeps
/// the three apart.
public struct AckSyndrome: Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public enum Kind: Hashable, Sendable {
        case ack(creditCode: UInt8)
        case rnrNak(timerCode: UInt8)
        case nak(NakCode)
        case reserved
    }

    public enum NakCode: UInt8, Sendable, CaseIterable {
        case psnSequenceError = 0, invalidRequest = 1, remoteAccessError = 2,
             remoteOperationalError = 3, invalidRDRequest = 4
    }

    public var kind: Kind {
        let value = rawValue & 0x1f
        switch rawValue >> 5 & 0x3 {
        case 0: return .ack(creditCode: value)
        case 1: return .rnrNak(timerCode: value)
        case 3: return NakCode(rawValue: value).map(Kind.nak) ?? .reserved
        default: return .reserved
        }
    }

    public static let ack = AckSyndrome(rawValue: 0x1f)
    public static func nak(_ code: NakCode) -> AckSyndrome { AckSyndrome(rawValue: 0x60 | code.rawValue) }
    public static func rnrNak(timerCode: UInt8) -> AckSyndrome { AckSyndrome(rawValue: 0x20 | timerCode & 0x1f) }
}

extension AckSyndrome.Kind {
    /// The key used in `naks` counts; nil for a positive ACK.
    public var nakName: String? {
        switch self {
        case .ack: return nil
        case .rnrNak: return "rnr"
        case .reserved: return "reserved"
        case .nak(let code):
            switch code {
            case .psnSequenceError: return "psn_sequence_error"
            case .invalidRequest: return "invalid_request"
            case .remoteAccessError: return "remote_access_error"
            case .remoteOperationalError: return "remote_operational_error"
            case .invalidRDRequest: return "invalid_rd_request"
            }
        }
    }
}
