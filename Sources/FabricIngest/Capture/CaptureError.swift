import FabricWire

/// Why a capture could not be read, naming the input and the problem in words a
/// user can act on. Reading stops with this error only when nothing useful can be
/// read; damage after the first records becomes a warning instead.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as the user gave it (`-` for standard input).
    public var file: String
    public var problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file == "-" ? "standard input" : file): \(problem)" }
}
