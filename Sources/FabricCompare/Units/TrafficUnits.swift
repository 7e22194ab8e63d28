import FabricStats

/// A run's traffic as one unit per scope (the fabric, then each link by name), from
/// the flows' own totals: what `RunMetrics(traffic:units:)` measures.
///
/// Made apart from the measuring so that a report can cut its run into units beside
/// its other passes (the ring search, the classes), then measure the links on all
/// cores: at 10⁵ flows, cutting and measuring on one core was the report's longest
/// chain, while the other core waited.
public struct TrafficUnits: Sendable {
    let units: [(scope: Scope, totals: UnitTotals)]

    /// `graph`: the summary's hosts and links, when another pass numbered them already.
    public init(_ summary: AnalysisSummary, graph: HostGraph? = nil) {
        units = SideUnits.wholeRun(summary, graph: graph)
    }
}
