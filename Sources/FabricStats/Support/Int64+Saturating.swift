extension Int64 {
    /// `end − start` for a time span: 0 when `end` is not after `start` (an empty
    /// capture keeps start = .max, end = .min), `.max` where the difference would not
    /// fit (timestamps near both ends of what is represented). Never traps.
    public static func span(from start: Int64, to end: Int64) -> Int64 {
        guard end > start else { return 0 }
        let (difference, overflow) = end.subtractingReportingOverflow(start)
        return overflow ? .max : difference
    }

    /// `self + other`, held at the bounds instead of trapping.
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
