/// Human-readable numbers (machines get raw values): the one place values are scaled
/// and rounded for people. `MetricUnit.format` picks among these per unit and style.
public enum Units {
    /// 1.23 GB, decimal prefixes as network engineers count bytes on links.
    public static func bytes(_ value: Int) -> String { scaled(Double(value), unit: "B") }

    /// 12.3 Gb/s.
    public static func bitRate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return scaled(value, unit: "b/s")
    }

    public static func scaled(_ value: Double, unit: String) -> String {
        guard value.isFinite else { return (value.isNaN ? "nan " : value < 0 ? "-inf " : "inf ") + unit }
        let prefixes = ["", "k", "M", "G", "T", "P"]
        var scaled = value
        var index = 0
        while abs(scaled) >= 1000, index < prefixes.count - 1 {
            scaled /= 1000
            index += 1
        }
        if index == 0 { return "\(Int(scaled.rounded())) \(unit)" }
        return fixed(scaled, digits: scaled < 10 ? 2 : scaled < 100 ? 1 : 0) + " " + prefixes[index] + unit
    }

    /// `value` with exactly `digits` decimals, never in exponent notation.
    public static func fixed(_ value: Double, digits: Int) -> String {
        // Beyond what an Int holds (or not a number), fall back to exponent notation
        // rather than trap.
        guard value.isFinite, abs(value) < 1e15 else { return value.isNaN ? "nan" : Printf.format("%.3g", value) }
        var factor = 1
        for _ in 0..<digits { factor *= 10 }
        let scaled = Int((abs(value) * Double(factor)).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(scaled) }
        let fraction = String(scaled % factor)
        return sign + String(scaled / factor) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// 850 ns, 17.9 µs, 1.20 ms, 2.50 s.
    /// A duration given as a floating-point count of nanoseconds (safe for any value).
    public static func duration(_ ns: Double) -> String {
        guard ns.isFinite, abs(ns) < 9e18 else { return Printf.format("%.3g ns", ns) }
        return duration(Int64(ns.rounded()))
    }

    public static func duration(_ ns: Int64) -> String {
        let value = Double(ns)
        if abs(value) < 1000 { return "\(ns) ns" }
        let (scaled, unit) = abs(value) < 1e6 ? (value / 1e3, "µs") : abs(value) < 1e9 ? (value / 1e6, "ms") : (value / 1e9, "s")
        return fixed(scaled, digits: abs(scaled) < 10 ? 2 : abs(scaled) < 100 ? 1 : 0) + " " + unit
    }

    /// A duration rounded to a hundredth of its unit, trailing zeros dropped: 32.47 µs,
    /// 1.5 ms (for sentences that quote two spans side by side).
    public static func roundedDuration(_ ns: Double) -> String {
        ns >= 1e9 ? "\((ns / 1e7).rounded() / 100) s" : ns >= 1e6 ? "\((ns / 1e4).rounded() / 100) ms"
            : "\((ns / 10).rounded() / 100) µs"
    }

    /// A timestamp resolution: "1 µs", "100 ns", "0.5 ns".
    public static func resolution(_ ns: Double) -> String {
        if ns >= 1000, ns.truncatingRemainder(dividingBy: 1000) == 0 { return "\(Int(ns / 1000)) µs" }
        if ns == ns.rounded() { return "\(Int(ns)) ns" }
        return "\(ns) ns"
    }

    /// A value as a whole number for text outputs, when it is one that fits; nil for
    /// values too large or not finite (from a damaged summary), which are then printed
    /// as decimals instead of trapping in a conversion.
    public static func whole(_ value: Double) -> Int64? {
        guard value.isFinite, abs(value) < 9.0e18 else { return nil }
        return Int64(value.rounded())
    }

    public static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "-" : fixed(Double(part) * 100 / Double(whole), digits: 1) + "%"
    }
}
