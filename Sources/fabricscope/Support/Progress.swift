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
        enabled = Progress.shown(quiet: quiet)
        after = Progress.delay
    }

    /// Whether progress goes to standard error at all: a terminal, and not `--quiet`.
    static func shown(quiet: Bool) -> Bool { !quiet && isatty(FileHandle.standardError.fileDescriptor) == 1 }

    /// Seconds of work before a line shows.
    static var delay: TimeInterval {
        ProcessInfo.processInfo.environment["FABRICSCOPE_PROGRESS_AFTER_MS"].flatMap(Double.init).map { $0 / 1000 } ?? 2
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

/// A sign of life for work whose progress is not counted where the command can see it
/// (reading captures happens on the reader's own threads): on a terminal, after the
/// same delay as `Progress`, a line saying what is being read and for how long,
/// rewritten twice a second until `stop()`.
final class Heartbeat: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let enabled: Bool
    private let lock = NSLock()
    private var stopped = false

    /// `fraction`, when given, says how much of the work is done (0–1), or nil when
    /// it cannot tell.
    init(_ what: String, quiet: Bool, fraction: (@Sendable () -> Double?)? = nil) {
        enabled = Progress.shown(quiet: quiet)
        guard enabled else { return }
        let after = Progress.delay
        let start = Date()
        Thread { [done, finished] in
            var shown = false
            repeat {
                let elapsed = Date().timeIntervalSince(start)
                if elapsed >= after {
                    let share = fraction?().map { " \(Int((min(1, max(0, $0)) * 100).rounded(.down))) %" } ?? ""
                    // Padded: a shorter line must cover the longer one it rewrites.
                    FileHandle.standardError.write(Data("\r\(what),\(share) \(Int(elapsed.rounded())) s   ".utf8))
                    shown = true
                }
            } while done.wait(timeout: .now() + 0.5) == .timedOut
            if shown { FileHandle.standardError.write(Data("\n".utf8)) }
            finished.signal()
        }.start()
    }

    /// Ends the line (if one was shown) before anything else is written; once.
    func stop() {
        guard enabled else { return }
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        done.signal()
        finished.wait()
    }
}
