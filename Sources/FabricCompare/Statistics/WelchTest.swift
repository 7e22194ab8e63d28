import Foundation

/// Baseline against candidate for one metric: Welch's t-test with the two
/// estimates' variances (from their units), and the interval of the relative change.
///
/// When both values are positive the test is on the log of their ratio, so the
/// interval of the relative change is a ratio interval (never below −100 %) and
/// agrees with the p-value: it excludes 0 exactly when p is below its level. When a
/// side is 0 (no CE marks before, some after) the test is on the difference.
struct WelchTest {
    var pValue: Double?
    var relativeChange: Double?
    /// The estimate, its standard error and degrees of freedom on the test's scale.
    private var estimate = 0.0
    private var standardError = 0.0
    private var degreesOfFreedom = 0.0
    private let onLogScale: Bool
    /// Relative reading error of the two values together (see `init`).
    private let readError: Double
    private let baselineValue: Double

    /// `resolution`: each side's value is only known to within this relative error
    /// whatever the data (sketch buckets, timestamp ticks); intervals are widened by
    /// it, so that a deterministic change is not claimed more precisely than it can
    /// be read. `logScale: false` forces the difference test (Welch's classic form).
    init(baseline b: SideEstimate, candidate c: SideEstimate, resolution: (Double, Double) = (0, 0),
         logScale: Bool = true) {
        relativeChange = b.value != 0 ? c.value / b.value - 1 : nil
        onLogScale = logScale && b.value > 0 && c.value > 0
        readError = log1p(resolution.0) + log1p(resolution.1)
        baselineValue = b.value
        guard let vb = b.variance, let vc = c.variance, b.units >= 2, c.units >= 2 else { return }
        // On the log scale, Var(log x) ≈ Var(x)/x² (delta method).
        let (sb, sc) = onLogScale ? (vb / (b.value * b.value), vc / (c.value * c.value)) : (vb, vc)
        estimate = onLogScale ? log(c.value / b.value) : c.value - b.value
        let pooled = sb + sc
        standardError = pooled.squareRoot()
        let denominator = sb * sb / Double(b.units - 1) + sc * sc / Double(c.units - 1)
        degreesOfFreedom = denominator > 0 ? min(1e6, pooled * pooled / denominator) : 1e6
        pValue = pooled > 0 ? StudentT.twoSidedP(t: estimate / standardError, df: degreesOfFreedom)
            : estimate == 0 ? 1 : 0
    }

    /// The interval of the relative change at `level` (nil: untested, or a baseline of 0).
    func interval(level: Double) -> (low: Double, high: Double)? {
        guard pValue != nil, baselineValue != 0, let relativeChange else { return nil }
        let critical = standardError > 0 ? StudentT.quantile(1 - (1 - level) / 2, df: degreesOfFreedom) : 0
        if onLogScale {
            let half = critical * standardError + readError
            return (exp(estimate - half) - 1, exp(estimate + half) - 1)
        }
        let half = critical * standardError / abs(baselineValue) + (relativeChange + 1) * readError
        return (relativeChange - half, relativeChange + half)
    }

    /// The smallest relative change detectable with 80 % power at `level`.
    func detectable(level: Double) -> Double? {
        guard pValue != nil, baselineValue != 0, standardError > 0 else { return nil }
        let reach = (StudentT.quantile(1 - (1 - level) / 2, df: degreesOfFreedom)
            + StudentT.quantile(0.8, df: degreesOfFreedom)) * standardError
        return onLogScale ? exp(reach) - 1 : reach / abs(baselineValue)
    }
}
