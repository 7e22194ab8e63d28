import Foundation

/// The units of the quantities engineers type: durations (`1ms`, `250us`, `2s`), bit
/// rates (`400Gbps`, `100G`) and byte sizes (`256MiB`, `4KB`), always with a unit
/// (`QuantityArgument` turns them into checked option values).
enum Quantity {
    struct Unit {
        let suffix: String
        let scale: Double
    }

    static let durationUnits = [
        Unit(suffix: "ns", scale: 1), Unit(suffix: "us", scale: 1e3), Unit(suffix: "µs", scale: 1e3),
        Unit(suffix: "ms", scale: 1e6), Unit(suffix: "s", scale: 1e9),
    ]

    static let rateUnits = [
        Unit(suffix: "Tbps", scale: 1e12), Unit(suffix: "Gbps", scale: 1e9), Unit(suffix: "Mbps", scale: 1e6),
        Unit(suffix: "Kbps", scale: 1e3), Unit(suffix: "kbps", scale: 1e3), Unit(suffix: "bps", scale: 1),
        Unit(suffix: "Tb/s", scale: 1e12), Unit(suffix: "Gb/s", scale: 1e9), Unit(suffix: "Mb/s", scale: 1e6),
        Unit(suffix: "T", scale: 1e12), Unit(suffix: "G", scale: 1e9), Unit(suffix: "M", scale: 1e6),
        // Bytes per second, as nccl-tests, NVLink specifications and `model`'s own table
        // write rates (10⁹ bytes, like nccl-tests' GB/s), given in bits per second.
        Unit(suffix: "TB/s", scale: 8e12), Unit(suffix: "GB/s", scale: 8e9), Unit(suffix: "MB/s", scale: 8e6),
        Unit(suffix: "GBps", scale: 8e9),
    ]

    static let sizeUnits = [
        Unit(suffix: "KiB", scale: 1024), Unit(suffix: "MiB", scale: 1_048_576), Unit(suffix: "GiB", scale: 1_073_741_824),
        Unit(suffix: "TiB", scale: 1_099_511_627_776), Unit(suffix: "KB", scale: 1e3), Unit(suffix: "kB", scale: 1e3),
        Unit(suffix: "MB", scale: 1e6), Unit(suffix: "GB", scale: 1e9), Unit(suffix: "TB", scale: 1e12),
        Unit(suffix: "B", scale: 1),
    ]

    /// The value of `text` with one of `units`; nil without a unit or for a negative number.
    static func parse(_ text: String, units: [Unit]) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            guard let number = Double(trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)),
                  number >= 0 else { return nil }
            return number * unit.scale
        }
        return nil
    }
}
