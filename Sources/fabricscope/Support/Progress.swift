import Foundation

/// A progress line on standard error for work that lasts: shown only when standard
/// error is a terminal and the work has run `after` seconds (2 by default;
/// FABRICSCOPE_PROGRESS_AFTER_MS overrides it, for tests), rewritten in place at most
/// twice a second, and ended with a newline. Pipelines and logs never see it, and
/// `--quiet` turns it off.
struct Progress {
    let label: String
    let total: Double?
    let enabled: Bool
    private let start = Date()
    private let after: TimeInterval
    private var lastShown: Date?
    private var calls = 0

    init(_ label: String, total: Double?, quiet: Bool) {
        self.label = label
        self.total = total
        enabled = !quiet && isatty(FileHandle.standardError.fileDescriptor) == 1
        after = ProcessInfo.processInfo.environment["FABRICSCOPE_PROGRESS_AFTER_MS"].flatMap(Double.init).map { $0 / 1000 } ?? 2
    }

    /// `done` units of `total` so far; cheap enough to call per frame (it looks at
    /// the clock every 4,096 calls).
    mutating func update(_ done: Int) {
        guard enabled else { return }
        calls &+= 1
        guard calls & 4095 == 0 else { return }
        let now = Date()
        guard now.timeIntervalSince(start) >= after, lastShown.map({ now.timeIntervalSince($0) >= 0.5 }) ?? true else { return }
        lastShown = now
        var line = "\r\(label): \(done)"
        if let total, total > 0 { line += " of about \(Int(total)) (\(Int((Double(done) / total * 100).rounded())) %)" }
        line += ", \(Int(now.timeIntervalSince(start).rounded())) s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the line, if one was shown.
    func finish() {
        if lastShown != nil { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
