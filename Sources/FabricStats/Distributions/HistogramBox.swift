import Histogram

/// A full histogram behind one reference, so that a `Distribution` costs a pointer
/// until it needs a histogram (hdrhistogram-swift's struct is over 100 bytes inline,
/// and a flow holds eight distributions). Copy-on-write through
/// `Distribution.uniqueHistogram()`.
final class HistogramBox: @unchecked Sendable {
    // Mutated once per recorded sample: no runtime exclusivity check (a tenth of a
    // flow's per-packet cost); the owning `Distribution` guarantees one writer.
    @exclusivity(unchecked) var histogram: Histogram<UInt64>

    init(_ histogram: Histogram<UInt64>) { self.histogram = histogram }

    /// An empty histogram that holds values up to at least `highest` without resizing.
    convenience init(holding highest: UInt64) {
        var histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: max(2048, highest), numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        self.init(histogram)
    }
}
