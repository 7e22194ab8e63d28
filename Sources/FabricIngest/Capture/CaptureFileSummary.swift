/// What was read from one input file.
public struct CaptureFileSummary: Sendable, Equatable {
    public var path: String
    public var container: CaptureFormat.Container
    public var linkType: LinkType
    /// Coarsest timestamp resolution among the file's interfaces, in nanoseconds.
    public var resolutionNs: Double
    public var records: Int
    /// Records whose timestamp was earlier than the record before them.
    public var timestampRegressions: Int
    /// Records stamped outside the years 1823–2116, clamped to that range.
    public var clampedTimestamps = 0
    /// Why reading stopped early, when it did (the records before it stand).
    public var damage: String?
}
