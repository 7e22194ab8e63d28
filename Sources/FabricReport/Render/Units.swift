/// Human-readable numbers for the table view (machines get raw values).
enum Units {
    /// 1.23 GB, decimal prefixes as network engineers count bytes on links.
    static func bytes(_ value: Int) -> String { scaled(Double(value), unit: "B") }

    /// 12.3 Gb/s.
    static func bitRate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return scaled(value, unit: "b/s")
    }

    static func scaled(_ value: Double, unit: String) -> String {
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

    static func fixed(_ value: Double, digits: Int) -> String {
        var factor = 1.0
        for _ in 0..<digits { factor *= 10 }
        let rounded = (value * factor).rounded() / factor
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if digits == 0 { text = String(text[..<dot]) } else if decimals < digits {
                text += String(repeating: "0", count: digits - decimals)
            }
        }
        return text
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "-" : fixed(Double(part) * 100 / Double(whole), digits: 1) + "%"
    }
}
