/// One measured quantity, defined once: what it is, in what unit, which way is
/// better, how it combines, and what it is called in every output. The table, the
/// CSV, the docs check (and the comparisons and health exports to come) read
/// `MetricCatalog` instead of naming fields themselves, so a new metric is added in
/// one place and cannot be forgotten by one output.
public struct Metric: Sendable {
    public enum Unit: String, Sendable {
        case count, bytes, nanoseconds, bitsPerSecond = "bits_per_second", fraction, perSecond = "per_second"
    }

    /// Which way a change is good news (for comparisons and health checks).
    public enum Direction: String, Sendable {
        case lowerIsBetter = "lower", higherIsBetter = "higher", neutral
    }

    /// How values combine across the flows of one link, or across runs.
    public enum Aggregation: String, Sendable {
        /// Counters: add.
        case sum
        /// Start times: the earliest; end times: the latest.
        case minimum, maximum
        /// A share: sum the numerators and the denominators, then divide.
        case ratioOfSums = "ratio_of_sums"
        /// A rate: total bytes over the combined span.
        case rateOverSpan = "rate_over_span"
        /// A percentile: merge the histograms bucket by bucket, then read it.
        case mergedHistogram = "merged_histogram"
        /// A peak: the busiest window of the windows added together.
        case peakOfSummedWindows = "peak_of_summed_windows"
    }

    /// Stable identifier; also the CSV column and the name in docs/metrics.md.
    public let name: String
    /// One line for people (docs, help, HTML tooltips).
    public let summary: String
    public let unit: Unit
    public let direction: Direction
    public let linkAggregation: Aggregation
    public let runAggregation: Aggregation
    /// Where it sits in each flow object of `analyze -T json` (dots for nesting).
    public let jsonPath: String
    /// Column heading in the table, if the table shows it.
    public let tableColumn: String?
    /// Prometheus/OpenMetrics name of the per-link series (`src`/`dst` labels).
    public let prometheusName: String
    /// The stored field of the summary it is computed from (`FlowCounters`,
    /// `RequesterStatistics`, `NotificationCounters`), so a counter that is saved but
    /// never shown fails the catalog test.
    public let summaryField: String
    /// Only flows that carry requests have it.
    public let requestFlowsOnly: Bool
    /// The value for one flow of a document; nil when the flow has none.
    public let value: @Sendable (AnalysisDocument.FlowEntry) -> Double?
    /// For `ratioOfSums`: the metrics whose sums are divided.
    public var ratio: (numerator: String, denominator: String)?

    /// The value over several flows (a link's, or all of them), where `linkAggregation`
    /// allows it from the flows alone: sums and ratios of sums. Nil otherwise (a
    /// percentile needs the merged histograms, a rate the combined span).
    public func combined(_ flows: [AnalysisDocument.FlowEntry]) -> Double? {
        switch linkAggregation {
        case .sum:
            return flows.compactMap(value).reduce(0, +)
        case .ratioOfSums:
            guard let ratio, let top = MetricCatalog.named(ratio.numerator)?.combined(flows),
                  let bottom = MetricCatalog.named(ratio.denominator)?.combined(flows), bottom > 0 else { return nil }
            return top / bottom
        case .minimum:
            return flows.compactMap(value).min()
        case .maximum:
            return flows.compactMap(value).max()
        case .rateOverSpan, .mergedHistogram, .peakOfSummedWindows:
            return nil
        }
    }
}

extension Metric {
    /// A value as a whole number for text outputs, when it is one that fits; nil for
    /// values too large or not finite (from a damaged summary), which are then printed
    /// as decimals instead of trapping in a conversion.
    static func whole(_ value: Double) -> Int64? {
        guard value.isFinite, abs(value) < 9.0e18 else { return nil }
        return Int64(value.rounded())
    }
}
