import FabricStats
import FabricCompare

/// A night's health: every check with its status, and the worst status overall.
/// Encoded as the `health -T json` contract (docs/schema/health-v1.schema.json).
public struct HealthReport: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public enum Status: String, Sendable, Codable, Comparable {
        case ok, warn, fail

        /// 0 ok, 1 warn, 2 fail: the order of severity, and the number exports carry.
        public var rank: Int { self == .ok ? 0 : self == .warn ? 1 : 2 }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    public struct Check: Sendable, Codable, Equatable {
        /// `threshold/METRIC` (held against a limit) or `baseline/METRIC` (against
        /// earlier runs), or `pfc_storms`, or `capture_integrity`.
        public var name: String
        public var scope: String
        public var src: String?
        public var dst: String?
        public var status: Status
        public var value: Double
        /// The limit crossed or nearest (threshold checks), or the baseline's value.
        public var reference: Double?
        public var message: String
        /// Scope `period`: the bytes each rank sent in the busy period (nccl-tests' size).
        public var bytesPerRank: Int? = nil

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(scope, forKey: .scope)
            try container.encode(src, forKey: .src)
            try container.encode(dst, forKey: .dst)
            try container.encode(status, forKey: .status)
            try container.encode(value, forKey: .value)
            try container.encode(reference, forKey: .reference)
            try container.encode(message, forKey: .message)
            try container.encodeIfPresent(bytesPerRank, forKey: .bytesPerRank)
        }

        enum CodingKeys: String, CodingKey {
            case name, scope, src, dst, status, value, reference, message, bytesPerRank = "bytes_per_rank"
        }

        /// "10.0.0.1→10.0.0.2", "period of 1835008 B a rank" or "fabric".
        public var scopeName: String {
            if let bytesPerRank { return Scope.period(bytesPerRank: bytesPerRank).name }
            if scope == "switch", let src { return "switch " + src }
            return src.map { "\($0)→\(dst ?? "")" } ?? "fabric"
        }
    }

    public var schemaVersion = HealthReport.schemaVersion
    public var label: String
    public var status: Status
    /// Labels of the runs the baseline checks were held against (oldest first).
    public var baseline: [String]
    /// Worst first: fail, then warn, then ok; within each, links before the fabric
    /// in name order.
    public var checks: [Check]
    /// Checks that passed without being listed in `checks` (`listPassing: false`:
    /// a report of 10⁵ links has a quarter of a million passing checks).
    public var passedUnlisted = 0
    public var notes: [String]
    /// Whether a latency percentile was judged anywhere (said in the headline when not).
    public var latencyJudged = true
    /// The notes about the topology (hosts it does not place, what one would add), also
    /// in `notes`: `analyze` repeats these under its table, not the baseline's.
    public var topologyNotes: [String] = []

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", label, status, baseline, checks, notes
    }

    /// The headline: "fabric FAIL: 2 links" / "fabric WARN: 1 link" / "fabric OK".
    public var headline: String {
        let failing = Set(checks.filter { $0.status == status && status != .ok }.map(\.scopeName))
        let latency = latencyJudged ? "" : " (no latency check: too few request→ACK samples)"
        switch status {
        case .ok: return "fabric OK: \(checks.count + passedUnlisted) checks passed" + latency
        case .warn, .fail:
            let switches = failing.filter { $0.hasPrefix("switch ") }.sorted()
            let links = failing.filter { $0 != "fabric" && !$0.hasPrefix("switch ") }.count
            let fabricWide = checks.filter { $0.status == status && $0.scopeName == "fabric" }.count
            var what = links > 0 ? "\(links) link\(links == 1 ? "" : "s")"
                : switches.isEmpty ? "\(fabricWide) fabric-wide check\(fabricWide == 1 ? "" : "s")" : ""
            if !switches.isEmpty {
                let named = switches.count <= 3 ? switches.joined(separator: ", ") : "\(switches.count) switches"
                what += (what.isEmpty ? "" : ", ") + named
            }
            let extra = failing.contains("fabric") && (links > 0 || !switches.isEmpty) ? " and the fabric" : ""
            return "fabric \(status.rawValue.uppercased()): \(what)\(extra)" + latency
        }
    }
}
