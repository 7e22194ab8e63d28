import FabricWire
import FabricIngest

/// What an analysis of captures is asked to do: which packets, and the windows and
/// thresholds its statistics use. Every command that reads captures (`analyze`,
/// `report`, `model --from`, and the comparisons and health checks built on them)
/// takes these, so one capture gives the same numbers whichever command read it.
public struct AnalysisOptions: Sendable, Equatable {
    /// A tcpdump/BPF expression applied by libpcap (not on ERF/InfiniBand captures).
    public var filter: String?
    /// Keep only RoCE/IB packets from or to one of these hosts (all when empty):
    /// the way to select traffic where libpcap cannot filter (ERF, InfiniBand).
    public var hosts: [NodeAddress] = []
    /// UDP destination ports that carry RoCEv2.
    public var rocePorts: [UInt16] = [PacketDecoder.roceV2Port]
    /// UDP destination ports read as VXLAN (switch mirrors and overlays).
    public var vxlanPorts: [UInt16] = [PacketDecoder.vxlanPort]
    /// Throughput window for peak rates and time series.
    public var windowNs: Int64 = 100_000
    /// Link speed, to turn PFC quanta into time.
    public var linkBitsPerSecond: Double = 400e9
    /// Continuous PFC pause that counts as a storm.
    public var stormThresholdNs: Int64 = 100_000_000
    /// A pause in a flow's requests at least this long separates busy periods
    /// (iterations); nil: found from the distribution of pauses after reading.
    public var idleGapNs: Int64?
    /// Keep per-window traffic of every flow (needed by summaries, plots, time series).
    public var timeSeries = false
    /// Threads that fold packets into statistics, each taking the traffic of its
    /// share of host pairs (`ShardedAccumulation`); the results are the same for
    /// any count. By default one per usable CPU but the one the reading thread
    /// needs, up to `maximumStatisticsThreads`: on two CPUs a second folding thread
    /// only takes turns with the reader (measured in docs/performance.md).
    public var statisticsThreads = min(max(1, CaptureReader.usableCPUs - 1), AnalysisOptions.maximumStatisticsThreads)
    /// Beyond this, more threads only add passes over every batch (each thread reads
    /// every record to pick out its own).
    public static let maximumStatisticsThreads = 8

    public init() {}
}
