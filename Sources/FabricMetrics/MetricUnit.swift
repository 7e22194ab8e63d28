/// What a metric's values count. Values are kept in these base units everywhere
/// (summaries, JSON, CSV, comparisons); only the human-facing formats scale them.
public enum MetricUnit: String, Sendable, CaseIterable {
    case count, bytes, nanoseconds, bitsPerSecond = "bits_per_second", fraction, perSecond = "per_second"
}

/// Which way a change is good news (comparisons and health checks).
public enum MetricDirection: String, Sendable, Codable {
    case lower, higher, neutral
}

/// How values combine across the flows of one link, or across runs.
public enum MetricAggregation: String, Sendable {
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

/// Where a metric is measured: per flow (`analyze`'s rows), or over a run's units per
/// link and for the whole fabric (`compare`, `health`, the exports).
public enum MetricScope: String, Sendable, CaseIterable {
    case flow, link, fabric
}
