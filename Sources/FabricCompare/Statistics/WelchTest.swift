/// Baseline against candidate for one metric: Welch's t-test on the difference of
/// the two estimates (variances from their units), and the interval of the relative
/// change by the delta method.
struct WelchTest {
    var pValue: Double?
    var relativeChange: Double?
    var ciLow: Double?
    var ciHigh: Double?
    /// The smallest relative change detectable with 80 % power at this α.
    var detectable: Double?

    /// `resolution`: each side's value is only known to within this relative error
    /// whatever the data (sketch buckets, timestamp ticks); the interval is widened
    /// by it, so that a deterministic change is not claimed more precisely than it
    /// can be read.
    init(baseline b: SideEstimate, candidate c: SideEstimate, alpha: Double, resolution: (Double, Double) = (0, 0)) {
        let difference = c.value - b.value
        relativeChange = b.value != 0 ? c.value / b.value - 1 : nil
        guard let vb = b.variance, let vc = c.variance, b.units >= 2, c.units >= 2 else { return }
        let pooled = vb + vc
        let ratio = b.value != 0 ? c.value / b.value : 0
        let readError = ratio * (resolution.0 + resolution.1)
        guard pooled > 0 else {
            pValue = difference == 0 ? 1 : 0
            if let relativeChange { ciLow = relativeChange - readError; ciHigh = relativeChange + readError }
            return
        }
        let denominator = vb * vb / Double(b.units - 1) + vc * vc / Double(c.units - 1)
        let df = denominator > 0 ? min(1e6, pooled * pooled / denominator) : 1e6
        let se = pooled.squareRoot()
        pValue = StudentT.twoSidedP(t: difference / se, df: df)
        let critical = StudentT.quantile(1 - alpha / 2, df: df)
        guard b.value != 0 else { return }
        let half = critical * (vc + ratio * ratio * vb).squareRoot() / abs(b.value) + readError
        ciLow = ratio - 1 - half
        ciHigh = ratio - 1 + half
        detectable = (critical + StudentT.quantile(0.8, df: df)) * se / abs(b.value)
    }
}
