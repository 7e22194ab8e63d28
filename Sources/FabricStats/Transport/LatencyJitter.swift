import FabricJSON

/// Variation of a latency series: RFC 3550 §6.4.1's smoothed estimator applied to
/// successive latencies (J += (|Lᵢ − Lᵢ₋₁| − J) / 16), and the distribution of
/// |Lᵢ − Lᵢ₋₁| itself. With one capture point there are no sender timestamps, so
/// this is the variation of request→ACK latency at the tap, not RFC 3550's
/// interarrival jitter between two hosts.
public struct LatencyJitter: Sendable, Equatable, Codable {
    public internal(set) var smoothed = 0.0
    private var previous: Int64?
    public internal(set) var deltas = Distribution()

    public init() {}

    public mutating func add(latencyNs: Int64) {
        if let previous {
            let delta = abs(latencyNs - previous)
            smoothed += (Double(delta) - smoothed) / 16
            deltas.record(delta)
        }
        previous = latencyNs
    }
}

extension LatencyJitter: KeyOrderedEncodable {
    /// The synthesized members, written in key order (`SortedJSONObject`): one per
    /// request flow of a summary, each through boxed containers before.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(deltas, forKey: CodingKeys.deltas)
        try object.encodeIfPresent(previous, forKey: CodingKeys.previous)
        try object.encode(smoothed, forKey: CodingKeys.smoothed)
    }
}

extension LatencyJitter {
    /// Read off a summary's tape (`AnalysisSummary+TapeDecoding.swift`); here for
    /// the private member.
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        deltas = try Distribution(tape: box, node: object.required("deltas"))
        previous = try object.int64IfPresent("previous")
        smoothed = try object.double("smoothed")
    }
}
