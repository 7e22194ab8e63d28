/// Whole-capture counts, for the `capture` section of the results.
public struct CaptureTotals: Sendable, Equatable, Codable {
    public var packets = 0
    public var rocePackets = 0
    public var otherPackets = 0
    public var pfcFrames = 0
    /// Records sent to a RoCE port (or an IB link) too short to hold a BTH.
    public var truncatedRocePackets = 0
    public var wireBytes = 0
    public var startNs: Int64 = .max
    public var endNs: Int64 = .min
    /// Drops the capture hardware reported (ERF loss counter).
    public var reportedDrops = 0
    /// UDP packets to ports not taken as RoCE whose payload starts like a BTH, by
    /// port (stored optional: summaries written before it decode).
    public var roceLikePorts: [String: Int]?
    /// PFC frames (per enabled priority) from sources beyond the tracked maximum.
    public var untrackedPauseFrames: Int?
    /// The switch mirrors and tunnels the records arrived in, in order of first
    /// appearance (nil for a capture taken on the link itself, and in older summaries).
    public var mirrors: [MirrorPoint]?
    /// RoCE copies of a packet already counted, delivered by another mirror point (not
    /// counted again; nil when there were none).
    public var mirrorDuplicateCopies: Int?
    /// Records from mirror points beyond `MirrorTracker.maximumPoints`.
    public var untrackedMirrorRecords: Int?
    /// Records counted as other because a tunnel around them could not be read, by
    /// `UndecodedReason.name`.
    public var undecoded: [String: Int]?

    /// Copies the mirrors' sequence numbers say the capture never received.
    public var mirrorLostCopies: Int { mirrors?.reduce(0) { $0 + $1.lostCopies } ?? 0 }

    public init() {}
}
