import Foundation

/// The classes a fabric is configured for, as its engineers declare them (`--qos`, or
/// the health config's `qos`), so that what the wire shows can be judged against it.
///
/// Written `data-dscp=26,data-pcp=3,cnp-dscp=48,cnp-pcp=6,lossless=3` (any subset):
/// NVIDIA's lossless RoCE default, given here as the example, not assumed.
public struct QosIntent: Sendable, Equatable, Codable {
    /// DSCP and 802.1p priority of RoCE data (requests, READ responses) and of ACKs.
    public var dataDSCP: Int?
    public var dataPriority: Int?
    /// DSCP and priority of CNPs.
    public var cnpDSCP: Int?
    public var cnpPriority: Int?
    /// The priority PFC keeps lossless: pauses belong there and nowhere else.
    public var losslessPriority: Int?

    public init(dataDSCP: Int? = nil, dataPriority: Int? = nil, cnpDSCP: Int? = nil, cnpPriority: Int? = nil,
                losslessPriority: Int? = nil) {
        self.dataDSCP = dataDSCP
        self.dataPriority = dataPriority
        self.cnpDSCP = cnpDSCP
        self.cnpPriority = cnpPriority
        self.losslessPriority = losslessPriority
    }

    /// Parses the `--qos` text; the error names the part that is wrong.
    public init(parsing text: String) throws(QosIntentError) {
        guard !text.isEmpty else { throw QosIntentError("--qos: empty; give e.g. data-dscp=26,data-pcp=3,cnp-dscp=48,lossless=3") }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let value = Int(pieces[1]) else {
                throw QosIntentError("--qos: '\(part)' is not KEY=NUMBER (keys: \(QosIntent.keys.joined(separator: ", ")))")
            }
            let isDSCP = pieces[0].hasSuffix("dscp")
            guard (0...(isDSCP ? 63 : 7)).contains(value) else {
                throw QosIntentError("--qos: \(pieces[0]) must be 0–\(isDSCP ? 63 : 7) (got \(value))")
            }
            switch pieces[0] {
            case "data-dscp": dataDSCP = value
            case "data-pcp": dataPriority = value
            case "cnp-dscp": cnpDSCP = value
            case "cnp-pcp": cnpPriority = value
            case "lossless": losslessPriority = value
            default: throw QosIntentError("--qos: unknown key '\(pieces[0])' (keys: \(QosIntent.keys.joined(separator: ", ")))")
            }
        }
    }

    static let keys = ["data-dscp", "data-pcp", "cnp-dscp", "cnp-pcp", "lossless"]

    /// In key order, only what was declared.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encodeIfPresent(cnpDSCP, forKey: .cnpDSCP)
        try object.encodeIfPresent(cnpPriority, forKey: .cnpPriority)
        try object.encodeIfPresent(dataDSCP, forKey: .dataDSCP)
        try object.encodeIfPresent(dataPriority, forKey: .dataPriority)
        try object.encodeIfPresent(losslessPriority, forKey: .losslessPriority)
    }

    enum CodingKeys: String, CodingKey {
        case dataDSCP = "data_dscp", dataPriority = "data_pcp", cnpDSCP = "cnp_dscp", cnpPriority = "cnp_pcp"
        case losslessPriority = "lossless_priority"
    }
}

/// A `--qos` text that cannot be read.
public struct QosIntentError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
