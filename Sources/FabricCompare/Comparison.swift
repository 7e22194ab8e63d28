import FabricWire
import FabricStats
import FabricModels
import FabricMetrics
/// The result of `fabricscope compare`: what changed from the baseline to the
/// candidate, per link and over the fabric, with the confidence of each change.
/// Encoded as the `compare -T json` contract (docs/schema/compare-v1.schema.json).
public struct Comparison: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public enum Verdict: String, Sendable, Codable {
        case regression, improvement, mixed
        case noChange = "no_change"
        /// No link carries requests on both sides: nothing is like for like, and the
        /// fabric-wide figures of two different workloads say nothing about the
        /// configurations. A gate must not pass it (`--fail-on-regression` exits 1).
        case notComparable = "not_comparable"
    }

    public struct Side: Sendable, Codable, Equatable {
        public var files: [String]
        /// Units of replication: time blocks of one run, or runs.
        public var units: SideUnits.Kind
        public var unitCount: Int
        public var blockNs: Int64?
        /// Coarsest timestamp resolution of the side's captures.
        public var resolutionNs: Double

        enum CodingKeys: String, CodingKey {
            case files, units, unitCount = "unit_count", blockNs = "block_ns", resolutionNs = "resolution_ns"
        }
    }

    public struct Workload: Sendable, Codable, Equatable {
        public var comparable: Bool
        /// Links that carry requests on both sides (0: `not_comparable`).
        public var sharedLinks = 0
        public var notes: [String]

        public init(comparable: Bool, notes: [String]) {
            self.comparable = comparable
            self.notes = notes
        }

        enum CodingKeys: String, CodingKey { case comparable, sharedLinks = "shared_links", notes }
    }

    public struct Change: Sendable, Codable, Equatable {
        public enum Assessment: String, Sendable, Codable {
            case worse, better, unchanged
        }

        public var scope: String
        public var src: String?
        public var dst: String?
        public var metric: CompareMetric
        public var better: MetricDirection
        public var baseline: Double
        public var candidate: Double
        /// candidate ÷ baseline − 1; nil when the baseline is 0.
        public var relativeChange: Double?
        /// Confidence interval of the relative change at `interval_level`.
        public var ciLow: Double?
        public var ciHigh: Double?
        /// Welch's t-test p-value; nil when the metric was not tested (one unit a side).
        public var pValue: Double?
        /// Benjamini–Hochberg adjusted over every test of the comparison.
        public var pAdjusted: Double?
        public var significant: Bool
        public var assessment: Assessment
        /// The smallest relative change the data could detect (80 % power), when
        /// larger than the margin, with the units it would take.
        public var detectable: Double?
        public var note: String?
        /// Scope `period`: the bytes each rank sent in the busy period (nccl-tests' size).
        public var bytesPerRank: Int? = nil

        /// "10.0.0.1→10.0.0.2", "period of 1835008 B a rank" or "fabric".
        public var scopeName: String {
            if let bytesPerRank { return Scope.period(bytesPerRank: bytesPerRank).name }
            return src.map { "\($0)→\(dst ?? "")" } ?? "fabric"
        }

        enum CodingKeys: String, CodingKey {
            case scope, src, dst, metric, better, baseline, candidate
            case relativeChange = "relative_change", ciLow = "ci_low", ciHigh = "ci_high"
            case pValue = "p_value", pAdjusted = "p_adjusted", significant, assessment, detectable, note
            case bytesPerRank = "bytes_per_rank"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(scope, forKey: .scope)
            try container.encode(src, forKey: .src)
            try container.encode(dst, forKey: .dst)
            try container.encode(metric, forKey: .metric)
            try container.encode(better, forKey: .better)
            try container.encode(baseline, forKey: .baseline)
            try container.encode(candidate, forKey: .candidate)
            try container.encode(relativeChange, forKey: .relativeChange)
            try container.encode(ciLow, forKey: .ciLow)
            try container.encode(ciHigh, forKey: .ciHigh)
            try container.encode(pValue, forKey: .pValue)
            try container.encode(pAdjusted, forKey: .pAdjusted)
            try container.encode(significant, forKey: .significant)
            try container.encode(assessment, forKey: .assessment)
            try container.encodeIfPresent(detectable, forKey: .detectable)
            try container.encodeIfPresent(note, forKey: .note)
            try container.encodeIfPresent(bytesPerRank, forKey: .bytesPerRank)
        }
    }

    public var schemaVersion = Comparison.schemaVersion
    public var verdict: Verdict
    public var alpha: Double
    public var minEffect: Double
    /// Confidence level of every interval: false-coverage-rate adjusted, so that it
    /// agrees with the Benjamini–Hochberg decisions (docs/compare.md).
    public var intervalLevel: Double
    public var baseline: Side
    public var candidate: Side
    public var workload: Workload
    /// Worst first: significant changes for the worse, then for the better, then
    /// the rest by size of change.
    public var changes: [Change]
    /// What could not be compared, and why.
    public var notes: [String]
    /// The rings' busy periods (nccl-tests' sizes) with their busbw, side by side
    /// (absent when a side has no ring with periods, or several runs).
    public var periods: [PeriodChange]?
    /// With periods: each side's ring straggler over the whole run (lowest rate within
    /// messages, standing apart; nil when the links are even). Within one period a
    /// ring's links share its pace, so this is what names the link behind a fall.
    public var ringStraggler: [String?]?
    /// With `--topology`: the switch or port the links that got worse share.
    public var sharedHop: SharedHopEntry?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", verdict, alpha, minEffect = "min_effect", intervalLevel = "interval_level"
        case periods, ringStraggler = "ring_straggler", sharedHop = "shared_hop"
        case baseline, candidate
        case workload, changes, notes
    }
}
