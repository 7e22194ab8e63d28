import FabricWire
import FabricJSON
import FabricMetrics
import FabricStats
import FabricCompare

/// Prometheus text exposition (format 0.0.4), built family by family in linear time.
///
/// Why not swift-prometheus's registry: it copies a family's whole label-set table
/// for every label set added, so a fabric's per-link gauges cost O(links²). At
/// 5,000 links one night's export took about 136 of the nightly run's 215 s. Its output
/// order also follows hash order, which changes from run to run. Here families come
/// out sorted by name and samples in the order they were set, so two nights' files
/// diff line by line. `promtool check metrics` validates the text in the tests.
struct PrometheusText {
    enum Kind: String { case gauge, counter }

    private struct Family {
        var kind: Kind
        var help: String
        /// Rendered `{label="value",…}` (or empty) and the sample's value.
        var samples: [(labels: String, value: String)] = []
        /// Where each label set's sample is: setting it again replaces the value.
        var index: [String: Int] = [:]

        mutating func set(_ labels: String, _ value: String, as kind: Kind, name: String) {
            precondition(kind == self.kind, "\(name) is registered as a \(self.kind.rawValue)")
            if let at = index[labels] {
                samples[at].value = value
            } else {
                index[labels] = samples.count
                samples.append((labels, value))
            }
        }
    }

    private var families: [String: Family] = [:]

    /// Sets a gauge sample; the same name and labels again replace it.
    mutating func gauge(_ name: String, _ labels: [(String, String)] = [], help: String, _ value: Double) {
        set(name, .gauge, labels, help: help, value: PrometheusText.format(value))
    }

    /// Sets a counter sample (a `_total` name); the same name and labels again replace it.
    mutating func counter(_ name: String, _ labels: [(String, String)] = [], help: String, _ value: Int) {
        set(name, .counter, labels, help: help, value: String(value))
    }

    private mutating func set(_ name: String, _ kind: Kind, _ labels: [(String, String)], help: String, value: String) {
        // Mutated in place through the dictionary's default subscript: no copy of the family.
        families[name, default: Family(kind: kind, help: help)].set(PrometheusText.render(labels), value, as: kind, name: name)
    }

    /// The exposition: each family's HELP and TYPE once, then its samples.
    var text: String {
        var out = ""
        for name in families.keys.sorted() {
            let family = families[name]!
            out += "# HELP \(name) \(PrometheusText.escapeHelp(family.help))\n# TYPE \(name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                out += name
                out += sample.labels
                out += " "
                out += sample.value
                out += "\n"
            }
        }
        return out
    }

    /// Prometheus spells the special values `+Inf`, `-Inf` and `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return "\(value)"
    }

    static func render(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        var text = "{"
        for (index, (name, value)) in labels.enumerated() {
            if index > 0 { text += "," }
            text += name
            text += "=\""
            text += escapeLabelValue(value)
            text += "\""
        }
        return text + "}"
    }

    /// Label values escape backslash, double quote and line feed (checked byte by
    /// byte first: a nightly export renders 10⁵ label sets, nearly all plain).
    static func escapeLabelValue(_ value: String) -> String { escape(value, quote: true) }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ help: String) -> String { escape(help, quote: false) }

    /// By scalar, not by character: a CR LF pair is one character, and its line feed
    /// must still be escaped.
    private static func escape(_ text: String, quote: Bool) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || (quote && $0 == 0x22) }) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            case "\"" where quote: escaped.append(contentsOf: "\\\"".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
