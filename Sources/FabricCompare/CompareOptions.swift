/// How `compare` decides: its significance level, noise margin and units.
public struct CompareOptions: Sendable {
    /// Significance level, after Benjamini–Hochberg over every test.
    public var alpha = 0.01
    /// A significant change smaller than this (relative) counts as unchanged.
    public var minEffect = 0.05
    /// Time blocks a single run is cut into.
    public var blocks = 24
    /// Bootstrap resamples for each side's variance.
    public var resamples = 200
    public var seed: UInt64 = 0x5eed
    /// Bytes per link (per iteration, when a ring is found) may differ this much
    /// (relative) before the workloads are called different.
    public var workloadTolerance = 0.10

    public init() {}
}
