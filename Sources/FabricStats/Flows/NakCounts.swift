import FabricWire
import FabricJSON
import FabricIngest

/// NAKs by kind, as plain counters (a dictionary here would make every flow's
/// counters a reference-counted value, paid for on every packet).
public struct NakCounts: Sendable, Equatable, Codable {
    public var psnSequenceError = 0
    public var invalidRequest = 0
    public var remoteAccessError = 0
    public var remoteOperationalError = 0
    public var invalidRDRequest = 0
    public var receiverNotReady = 0
    public var reserved = 0

    public init() {}

    public mutating func add(_ kind: AckSyndrome.Kind) {
        switch kind {
        case .ack: break
        case .rnrNak: receiverNotReady += 1
        case .reserved: reserved += 1
        case .nak(let code):
            switch code {
            case .psnSequenceError: psnSequenceError += 1
            case .invalidRequest: invalidRequest += 1
            case .remoteAccessError: remoteAccessError += 1
            case .remoteOperationalError: remoteOperationalError += 1
            case .invalidRDRequest: invalidRDRequest += 1
            }
        }
    }

    public var total: Int {
        psnSequenceError + invalidRequest + remoteAccessError + remoteOperationalError + invalidRDRequest
            + receiverNotReady + reserved
    }

    /// Non-zero counts keyed by `AckSyndrome.Kind.nakName`.
    public var named: [String: Int] {
        let all: [(String, Int)] = [
            ("psn_sequence_error", psnSequenceError), ("invalid_request", invalidRequest),
            ("remote_access_error", remoteAccessError), ("remote_operational_error", remoteOperationalError),
            ("invalid_rd_request", invalidRDRequest), ("rnr", receiverNotReady), ("reserved", reserved),
        ]
        return Dictionary(uniqueKeysWithValues: all.filter { $0.1 > 0 })
    }
}

extension NakCounts: KeyOrderedEncodable {
    /// The synthesized members, written in key order (`SortedJSONObject`): one per
    /// flow of a summary.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(invalidRDRequest, forKey: CodingKeys.invalidRDRequest)
        try object.encode(invalidRequest, forKey: CodingKeys.invalidRequest)
        try object.encode(psnSequenceError, forKey: CodingKeys.psnSequenceError)
        try object.encode(receiverNotReady, forKey: CodingKeys.receiverNotReady)
        try object.encode(remoteAccessError, forKey: CodingKeys.remoteAccessError)
        try object.encode(remoteOperationalError, forKey: CodingKeys.remoteOperationalError)
        try object.encode(reserved, forKey: CodingKeys.reserved)
    }
}
