import FabricMetrics

/// A per-flow metric of `analyze`'s document: its definition (name, unit, column,
/// JSON path: `Metrics`) and how its value is read from a flow entry. The table and
/// the CSV read `MetricCatalog.flow` instead of naming fields themselves.
public struct Metric: Sendable {
    public let definition: MetricDefinition
    /// The value for one flow of a document; nil when the flow has none.
    public let value: @Sendable (AnalysisDocument.FlowEntry) -> Double?

    public var name: String { definition.name }
    public var unit: MetricUnit { definition.unit }
    public var linkAggregation: MetricAggregation { definition.linkAggregation }
    public var tableColumn: String? { definition.flow?.tableColumn }
    public var jsonPath: String { definition.flow?.jsonPath ?? "" }
    public var summaryField: String { definition.flow?.summaryField ?? "" }
    public var requestFlowsOnly: Bool { definition.flow?.requestFlowsOnly ?? false }

    /// The value over several flows (a link's, or all of them), where `linkAggregation`
    /// allows it from the flows alone: sums and ratios of sums. Nil otherwise (a
    /// percentile needs the merged histograms, a rate the combined span).
    public func combined(_ flows: [AnalysisDocument.FlowEntry]) -> Double? {
        switch linkAggregation {
        case .sum:
            return flows.compactMap(value).reduce(0, +)
        case .ratioOfSums:
            guard let ratio = definition.ratio, let top = MetricCatalog.named(ratio.numerator)?.combined(flows),
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
