import FabricWire

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
    /// Timestamps are kept within ±(2^62 − 1) ns of the epoch (the years 1823–2116), so
    /// that the difference of any two fits in 64 bits: a record stamped outside (a
    /// pcapng `if_tsoffset` or `if_tsresol` taken to extremes, a corrupt header) is
    /// clamped to the edge and counted, never a trap. Summaries are held to the same.
    public static let timestampLimitNs: Int64 = (1 << 62) - 1

    /// Records stamped outside the years 1823–2116, clamped to that range.
    public var clampedTimestamps = 0
    /// Why reading stopped early, when it did (the records before it stand).
    public var damage: String?
    /// Records timed by an ERSPAN III switch's 100 ns clock rather than the capture's
    /// coarser one (see `SwitchClock`).
    public var switchClockRecords = 0
    /// Packets the interface and the OS dropped before the capture, as the pcapng
    /// file's own statistics say (`isb_ifdrop` + `isb_osdrop`); nil when it says nothing.
    public var interfaceDrops: Int?
}
