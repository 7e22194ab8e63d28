/// Where a value is shown, which decides how many digits it gets.
public enum MetricFormatStyle: Sendable {
    /// A cell of `analyze`'s table: whole counts, scaled bytes and rates, one decimal
    /// for shares (12.3%) and per-second rates.
    case cell
    /// A cell of `compare`'s tables: 3.38 µs, 392 Gb/s, 1.20 %, 3.1 k/s (shares get
    /// more decimals the smaller they are, so a change stays visible).
    case compact
    /// Inside a sentence (health messages): three significant digits.
    case prose
}

extension MetricUnit {
    /// The one formatter per unit; the style only chooses the precision.
    public func format(_ value: Double, _ style: MetricFormatStyle) -> String {
        switch style {
        case .cell: cell(value)
        case .compact: compact(value)
        case .prose: prose(value)
        }
    }

    private func cell(_ value: Double) -> String {
        guard let whole = Units.whole(value) else { return String(value) }
        switch self {
        case .count: return String(whole)
        case .bytes: return Units.bytes(Int(whole))
        case .bitsPerSecond: return Units.bitRate(value)
        case .nanoseconds: return Units.duration(whole)
        case .fraction: return Units.fixed(value * 100, digits: 1) + "%"
        case .perSecond: return Units.fixed(value, digits: 1) + "/s"
        }
    }

    private func compact(_ value: Double) -> String {
        switch self {
        case .count: return Units.whole(value).map { String($0) } ?? String(value)
        case .bytes: return Units.whole(value).map { Units.bytes(Int($0)) } ?? String(value)
        case .nanoseconds: return Units.duration(value)
        case .bitsPerSecond: return Units.bitRate(value)
        case .fraction:
            let percent = value * 100
            return Units.fixed(percent, digits: percent == 0 || percent >= 10 ? 1 : percent >= 1 ? 2 : 3) + " %"
        case .perSecond: return Units.scaled(value, unit: "/s")
        }
    }

    private func prose(_ value: Double) -> String {
        switch self {
        case .count: return Printf.format("%.3g", value)
        case .bytes: return Units.whole(value).map { Units.bytes(Int($0)) } ?? String(value)
        case .nanoseconds: return value >= 1e6 ? Printf.format("%.2f ms", value / 1e6)
            : value >= 1e3 ? Printf.format("%.2f µs", value / 1e3) : Printf.format("%.0f ns", value)
        case .bitsPerSecond: return Printf.format("%.1f Gb/s", value / 1e9)
        case .fraction: return Printf.format("%.3g %%", value * 100)
        // As compare's cells: "8.95 k/s", not "8.95e+03/s" beside it.
        case .perSecond: return Units.scaled(value, unit: "/s")
        }
    }

    /// The unit a chart's axis uses and the factor from the base unit to it.
    public var chartAxis: (unit: String, scale: Double) {
        switch self {
        case .count: ("count", 1)
        case .bytes: ("MB", 1e-6)
        case .nanoseconds: ("µs", 1e-3)
        case .bitsPerSecond: ("Gb/s", 1e-9)
        case .fraction: ("%", 100)
        case .perSecond: ("per second", 1)
        }
    }
}
