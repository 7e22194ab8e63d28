import FabricStats
import FabricMetrics
import FabricCompare
import Foundation

/// Thresholds and baseline policy for `health` and `nightly`: a documented default
/// is built in (docs/nightly.md); `--config FILE` (JSON) replaces any part of it,
/// and `links` overrides thresholds for named links.
public struct HealthConfig: Sendable, Codable, Equatable {
    /// A metric's limits. For metrics where lower is better, a value above `warn`
    /// warns and above `fail` fails; where higher is better, below.
    public struct Limit: Sendable, Codable, Equatable {
        public var warn: Double?
        public var fail: Double?

        public init(warn: Double?, fail: Double?) {
            self.warn = warn
            self.fail = fail
        }
    }

    /// How many earlier runs form the baseline (or the runs with `baselineTag`).
    public var baselineRuns = 7
    /// A significant change beyond this (relative, in the bad direction) warns…
    public var warnMargin = 0.05
    /// …and beyond this fails.
    public var failMargin = 0.20
    /// Significance level after Benjamini–Hochberg over a run's baseline checks.
    public var alpha = 0.01
    /// Absolute limits by check name: `compare`'s metric names, plus
    /// `message_rate_fraction` (the rate within messages ÷ the link speed) and
    /// `pfc_storms` (count) and `capture_integrity` (the share of packets the capture
    /// itself lost).
    public var thresholds: [String: Limit] = HealthConfig.defaultThresholds
    /// Per-link overrides, keyed "SRC→DST" (or "SRC->DST").
    public var links: [String: [String: Limit]] = [:]
    /// The classes the fabric is configured for (`qos` in the file, `--qos` on the
    /// command line): RoCE found elsewhere fails `qos_classes`.
    public var qos: QosIntent?
    /// The fabric behind the links (`--topology`; not read from the config file):
    /// with it, the switch or port the degraded links share is named.
    public var topology: FabricTopology?

    public init() {}

    public static let defaultThresholds: [String: Limit] = [
        Metrics.retransmittedFraction.name: Limit(warn: 0.001, fail: 0.01),
        Metrics.nakRate.name: Limit(warn: 100, fail: 10_000),
        Metrics.ceFraction.name: Limit(warn: 0.05, fail: 0.20),
        Metrics.cnpRate.name: Limit(warn: 50_000, fail: 500_000),
        Metrics.pfcPausedFraction.name: Limit(warn: 0.01, fail: 0.10),
        Metrics.ackLatencyP99.name: Limit(warn: 20_000, fail: 100_000),
        Metrics.ackLatencyP999.name: Limit(warn: 50_000, fail: 500_000),
        Metrics.collectiveEfficiency.name: Limit(warn: 0.70, fail: 0.50),
        Metrics.messageRateShare.name: Limit(warn: 0.80, fail: 0.50),
        Metrics.pfcStorms.name: Limit(warn: nil, fail: 0.5),
        Metrics.captureIntegrity.name: Limit(warn: 0.001, fail: nil),
    ]

    enum CodingKeys: String, CodingKey {
        case baselineRuns = "baseline_runs", warnMargin = "warn_margin", failMargin = "fail_margin", alpha
        case thresholds, links, qos
    }

    /// Any key may be left out: the default stands for it. Unknown keys are refused,
    /// so that a typo does not silently keep a default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let known = Set(["baseline_runs", "warn_margin", "fail_margin", "alpha", "thresholds", "links", "qos"])
        let all = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = all.first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [AnyKey(unknown)],
                                                    debugDescription: "unknown setting '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))"))
        }
        baselineRuns = try container.decodeIfPresent(Int.self, forKey: .baselineRuns) ?? 7
        warnMargin = try container.decodeIfPresent(Double.self, forKey: .warnMargin) ?? 0.05
        failMargin = try container.decodeIfPresent(Double.self, forKey: .failMargin) ?? 0.20
        alpha = try container.decodeIfPresent(Double.self, forKey: .alpha) ?? 0.01
        let given = try container.decodeIfPresent([String: Limit].self, forKey: .thresholds) ?? [:]
        for name in given.keys where HealthConfig.defaultThresholds[name] == nil {
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.thresholds],
                                                    debugDescription: "unknown threshold '\(name)' (known: \(HealthConfig.defaultThresholds.keys.sorted().joined(separator: ", ")))"))
        }
        thresholds = HealthConfig.defaultThresholds.merging(given) { _, new in new }
        links = try container.decodeIfPresent([String: [String: Limit]].self, forKey: .links) ?? [:]
        qos = try container.decodeIfPresent(QosIntent.self, forKey: .qos)
        guard baselineRuns >= 2, (0...10).contains(warnMargin), failMargin >= warnMargin, alpha > 0, alpha < 0.5 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "need baseline_runs ≥ 2, 0 ≤ warn_margin ≤ fail_margin, 0 < alpha < 0.5"))
        }
    }

    /// Reads a config file, naming the file and the problem when it cannot.
    public static func read(path: String) throws(HealthError) -> HealthConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw HealthError("\(path): cannot read the config: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(HealthConfig.self, from: data) } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                let at = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw HealthError("\(path): \(at.isEmpty ? "" : at + ": ")\(context.debugDescription)")
            @unknown default:
                throw HealthError("\(path): \(error)")
            }
        } catch {
            throw HealthError("\(path): \(error)")
        }
    }

    /// The limit for a check on a link, after the link's overrides.
    func limit(_ name: String, source: String?, destination: String?) -> Limit? {
        // Most configs override no link: then no key is built (at 10⁵ links, building
        // two keys for every link and metric was 4 % of a report's time).
        if !links.isEmpty, let source, let destination {
            for key in ["\(source)→\(destination)", "\(source)->\(destination)"] {
                if let limit = links[key]?[name] { return limit }
            }
        }
        return thresholds[name]
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Input `health` cannot use, with what to do about it.
public struct HealthError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
