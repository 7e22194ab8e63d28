import FabricWire
import FabricStats
import FabricCompare
import FabricSynth
import FabricMetrics
import ArgumentParser
import FabricReport
import Foundation

/// A duration, rate or size typed on the command line, always with its unit: a bare
/// `100` could be ns or µs, bits or bytes, so it is refused with the units accepted.
/// Values are checked against a range, so `inf`, `1e19` or `-1` never reach the
/// arithmetic. Used through `@Option(transform:)`, whose errors ArgumentParser
/// prints beside the option's name.
struct QuantityArgument: CustomStringConvertible, Sendable, Equatable {
    enum Kind: Sendable { case duration, bitRate, byteSize }

    /// In ns, bits per second or bytes.
    let value: Double
    let text: String
    var description: String { text }

    var ns: Int64 { Int64(value.rounded()) }
    var bytes: Int { Int(value.rounded()) }

    static func units(of kind: Kind) -> [Quantity.Unit] {
        switch kind {
        case .duration: Quantity.durationUnits
        case .bitRate: Quantity.rateUnits
        case .byteSize: Quantity.sizeUnits
        }
    }

    static func example(of kind: Kind) -> String {
        switch kind {
        case .duration: "100us, 1ms"
        case .bitRate: "400Gbps, 100G, 50GB/s"
        case .byteSize: "4KiB, 256MiB"
        }
    }

    /// Reads `text` as a `kind` within `range` (in base units).
    static func parse(_ text: String, _ kind: Kind, in range: ClosedRange<Double>) throws -> QuantityArgument {
        let suffixes = units(of: kind).map(\.suffix)
        guard let value = Quantity.parse(text, units: units(of: kind)) else {
            let digits = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: .letters.union(["µ", "/"]))
            if let negative = Double(digits), negative < 0 {
                throw ValidationError("'\(text)' is negative; give a positive value with a unit (e.g. \(example(of: kind)))")
            }
            if let bare = Double(text.trimmingCharacters(in: .whitespaces)), bare == 0, range.contains(0) {
                return QuantityArgument(value: 0, text: text)  // zero is zero in any unit
            }
            if let bare = Double(text.trimmingCharacters(in: .whitespaces)), bare.isFinite {
                throw ValidationError("'\(text)' has no unit; write it with one of \(suffixes.joined(separator: ", ")) "
                    + "(e.g. \(example(of: kind)))")
            }
            throw ValidationError("cannot read '\(text)'; write a number and one of \(suffixes.joined(separator: ", ")) "
                + "(e.g. \(example(of: kind)))")
        }
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("'\(text)' is out of range (\(describe(range.lowerBound, kind)) to "
                + "\(describe(range.upperBound, kind)))")
        }
        return QuantityArgument(value: value, text: text)
    }

    static func describe(_ value: Double, _ kind: Kind) -> String {
        switch kind {
        case .duration: Units.duration(Int64(value))
        case .bitRate: Units.bitRate(value)
        case .byteSize: Units.bytes(Int(value))
        }
    }

    // The ranges the options use.

    /// A positive duration up to a day (windows, thresholds, gaps).
    static func positiveDuration(_ text: String) throws -> QuantityArgument {
        try parse(text, .duration, in: 1...86_400e9)
    }

    /// A delay the generator adds: zero to one second.
    static func delay(_ text: String) throws -> QuantityArgument {
        try parse(text, .duration, in: 0...1e9)
    }

    /// An all-reduce the generator writes: 1 byte to 16 GiB.
    static func generatedSize(_ text: String) throws -> QuantityArgument {
        try parse(text, .byteSize, in: 1...17_179_869_184)
    }

    /// A model's message size: 1 byte to 1 PiB.
    static func messageSize(_ text: String) throws -> QuantityArgument {
        try parse(text, .byteSize, in: 1...1_125_899_906_842_624)
    }

    /// A link speed from 1 Mb/s to 100 Tb/s.
    static func linkSpeed(_ text: String) throws -> QuantityArgument {
        try parse(text, .bitRate, in: 1e6...1e14)
    }
}
