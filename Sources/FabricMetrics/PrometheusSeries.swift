/// How a metric reaches Prometheus: the family name after the scope's prefix
/// (`fabricscope_link_`, `fabricscope_fabric_`), its type, and the factor from the
/// metric's unit to Prometheus's base units (seconds, bytes, ratios).
public struct PrometheusSeries: Sendable, Equatable {
    public enum Kind: String, Sendable { case gauge, counter }

    public let name: String
    public let kind: Kind
    public let scale: Double
    public let help: String

    public static func gauge(_ name: String, scale: Double = 1, _ help: String) -> PrometheusSeries {
        PrometheusSeries(name: name, kind: .gauge, scale: scale, help: help)
    }

    public static func counter(_ name: String, _ help: String) -> PrometheusSeries {
        PrometheusSeries(name: name, kind: .counter, scale: 1, help: help)
    }

    /// The prefix of the families per switch and port (`--topology`), labelled
    /// `switch` and `port` (empty for the switch as a whole).
    public static let switchPrefix = "fabricscope_switch_"

    /// The prefix each scope's families carry; flows are not exported.
    public static func prefix(_ scope: MetricScope) -> String? {
        switch scope {
        case .flow: nil
        case .link: "fabricscope_link_"
        case .fabric: "fabricscope_fabric_"
        }
    }
}
