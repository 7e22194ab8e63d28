import FabricWire
import FabricIngest

/// One mirror point: a switch's mirror session (or a tunnel's source and VNI) that
/// delivered copies to the capture, with what its own sequence numbers say about the
/// copies that never arrived.
///
/// GRE sequence numbers (ERSPAN II and III always carry them) count every copy the
/// switch sent on the session, so a jump is the exact number the path to the
/// collector lost: capture loss, which says nothing about the fabric.
public struct MirrorPoint: Sendable, Equatable, Codable {
    /// The switch: the outer source address of the tunnel.
    public var switchAddress: NodeAddress
    /// `MirrorTag.Kind.name`: erspan1, erspan2, erspan3, gre, vxlan, geneve.
    public var kind: String
    /// ERSPAN session ID, VXLAN/Geneve VNI or GRE key (0 when the tunnel has none).
    public var session: UInt32
    public var records: Int = 0
    /// Records that carried a GRE sequence number.
    public var sequencedRecords: Int = 0
    /// Copies the sequence numbers say were sent but never captured.
    public var lostCopies: Int = 0
    /// Sequence numbers that stepped back or repeated (a reset switch, reordering on
    /// the way to the collector, or two sessions sharing an ID): not counted as loss.
    public var sequenceRegressions: Int = 0
    /// Copies the switch truncated (ERSPAN's T bit).
    public var truncatedBySwitch: Int = 0
    /// ERSPAN III timestamp granularity, when the session gave one.
    public var hardwareTimestampGranularity: String?
    public var startNs: Int64 = .max
    public var endNs: Int64 = .min

    public init(switchAddress: NodeAddress, kind: String, session: UInt32) {
        self.switchAddress = switchAddress
        self.kind = kind
        self.session = session
    }

    /// What identifies the point across summaries.
    public var key: String { "\(kind) \(switchAddress) \(session)" }

    /// Adds another summary's counts for the same point.
    mutating func merge(_ other: MirrorPoint) {
        records += other.records
        sequencedRecords += other.sequencedRecords
        lostCopies += other.lostCopies
        sequenceRegressions += other.sequenceRegressions
        truncatedBySwitch += other.truncatedBySwitch
        hardwareTimestampGranularity = hardwareTimestampGranularity ?? other.hardwareTimestampGranularity
        startNs = min(startNs, other.startNs)
        endNs = max(endNs, other.endNs)
    }
}

extension MirrorTag.Granularity {
    /// The name used in output.
    public var name: String {
        switch self {
        case .microseconds100: "100us"
        case .nanoseconds100: "100ns"
        case .ieee1588: "ieee1588"
        case .reserved: "reserved"
        }
    }
}

/// Follows every mirror point's sequence numbers as records arrive, in capture order.
///
/// The point of the record before is kept in plain fields (`current`): a capture
/// holds one or a few sessions, so nearly every record is counted there without a
/// hash of its key or a write into the array of points.
struct MirrorTracker: Sendable {
    /// Mirror points tracked one by one; further ones (crafted input) are only counted.
    static let maximumPoints = 4096

    private var index: [MirrorPointKey: Int] = [:]
    private var stored: [MirrorPoint] = []
    private var storedSequences: [UInt32?] = []
    private var currentKey: MirrorPointKey?
    private var currentSlot = -1
    private var current = MirrorPoint(switchAddress: .ipv4(0), kind: "", session: 0)
    private var currentSequence: UInt32?
    private(set) var untrackedRecords = 0

    var isEmpty: Bool { stored.isEmpty && untrackedRecords == 0 }

    /// Every point, in order of first appearance.
    var points: [MirrorPoint] {
        var all = stored
        if currentSlot >= 0 { all[currentSlot] = current }
        return all
    }

    @inline(__always)
    mutating func add(_ tag: MirrorTag, timeNs: Int64) {
        let key = MirrorPointKey(tag)
        if key != currentKey, !switchTo(key, tag) {
            untrackedRecords += 1
            return
        }
        current.records += 1
        current.startNs = min(current.startNs, timeNs)
        current.endNs = max(current.endNs, timeNs)
        if tag.truncatedBySwitch { current.truncatedBySwitch += 1 }
        if current.hardwareTimestampGranularity == nil, let granularity = tag.granularity {
            current.hardwareTimestampGranularity = granularity.name
        }
        guard tag.hasSequence else { return }
        current.sequencedRecords += 1
        if let last = currentSequence {
            // Serial-number arithmetic (RFC 1982): less than half the space ahead is forward.
            let step = tag.sequence &- last
            if step != 0, step < 1 << 31 {
                current.lostCopies += Int(step - 1)
            } else {
                current.sequenceRegressions += 1
            }
        }
        currentSequence = tag.sequence
    }

    /// Files the current point away and makes `key`'s current (new if unseen); false
    /// past `maximumPoints`.
    private mutating func switchTo(_ key: MirrorPointKey, _ tag: MirrorTag) -> Bool {
        var slot = index[key] ?? -1
        if slot < 0 {
            guard stored.count < MirrorTracker.maximumPoints else { return false }
            slot = stored.count
            index[key] = slot
            stored.append(MirrorPoint(switchAddress: tag.switchAddress, kind: tag.kind.name, session: tag.session))
            storedSequences.append(nil)
        }
        if currentSlot >= 0 {
            stored[currentSlot] = current
            storedSequences[currentSlot] = currentSequence
        }
        (currentKey, currentSlot) = (key, slot)
        (current, currentSequence) = (stored[slot], storedSequences[slot])
        return true
    }
}
