import FabricJSON

/// CNPs arriving in one flow (they travel from the congested receiver back to the
/// sender's QP): how often, how close together, and how long after the CE mark
/// they answer.
public struct NotificationCounters: Sendable, Equatable, Codable {
    public internal(set) var count = 0
    public internal(set) var firstNs: Int64 = .max
    public internal(set) var lastNs: Int64 = .min
    /// Smallest gap between consecutive CNPs (compare with the NIC's
    /// `min_time_between_cnps`).
    public internal(set) var minimumGapNs: Int64?
    /// From the first CE-marked request since the previous CNP to this CNP.
    public internal(set) var markToNotification = Distribution()

    public init() {}

    public mutating func add(atNs time: Int64, firstMarkNs: Int64?) {
        if count > 0 { minimumGapNs = min(minimumGapNs ?? .max, time - lastNs) }
        count += 1
        firstNs = min(firstNs, time)
        lastNs = max(lastNs, time)
        if let firstMarkNs { markToNotification.record(time - firstMarkNs) }
    }

    /// CNPs per second over the span from the first to the last; nil for fewer than two.
    public var ratePerSecond: Double? {
        guard count > 1, lastNs > firstNs else { return nil }
        return Double(count - 1) * 1e9 / Double(lastNs - firstNs)
    }
}

extension NotificationCounters: KeyOrderedEncodable {
    /// The synthesized members, written in key order (`SortedJSONObject`): one per
    /// flow of a summary.
    public func encodeMembers(into object: inout SortedJSONObject) throws {
        try object.encode(count, forKey: CodingKeys.count)
        try object.encode(firstNs, forKey: CodingKeys.firstNs)
        try object.encode(lastNs, forKey: CodingKeys.lastNs)
        try object.encode(markToNotification, forKey: CodingKeys.markToNotification)
        try object.encodeIfPresent(minimumGapNs, forKey: CodingKeys.minimumGapNs)
    }
}
