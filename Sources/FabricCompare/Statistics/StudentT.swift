import Foundation

/// Student's t distribution with real degrees of freedom (Welch's test gives
/// fractional ones): the two-sided p-value and quantiles a comparison needs.
///
/// Computed from the regularized incomplete beta function (a continued fraction,
/// Numerical Recipes §6.4); `Tests/UnitTests/Vectors/student-t.json` holds scipy's
/// answers for the same inputs.
public enum StudentT {
    /// P(|T| ≥ |t|) for T ~ t(df).
    public static func twoSidedP(t: Double, df: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        guard df > 0 else { return .nan }
        return regularizedBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// P(T ≤ t).
    public static func cdf(t: Double, df: Double) -> Double {
        let tail = twoSidedP(t: t, df: df) / 2
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, by bisection on the CDF (monotone; 200 halvings
    /// reach double precision from any bracket).
    public static func quantile(_ p: Double, df: Double) -> Double {
        guard p > 0, p < 1, df > 0 else { return p <= 0 ? -.infinity : p >= 1 ? .infinity : .nan }
        if p == 0.5 { return 0 }
        var low = -1.0, high = 1.0
        while cdf(t: low, df: df) > p { low *= 2 }
        while cdf(t: high, df: df) < p { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(t: mid, df: df) < p { low = mid } else { high = mid }
            if high - low <= 1e-12 * max(1, abs(mid)) { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b).
    static func regularizedBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// Lentz's method for the incomplete beta's continued fraction.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...400 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }
}
