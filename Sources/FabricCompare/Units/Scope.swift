import FabricMetrics
import FabricWire
import FabricStats

/// What a comparison row is about: the whole fabric, or one link — a (source host,
/// destination host) pair with all queue pairs between them, because QP numbers
/// are assigned anew in every run and cannot be matched across runs.
public enum Scope: Hashable, Sendable, Comparable {
    case fabric
    case link(source: String, destination: String)
    /// A busy period of the ring (an nccl-tests size), known by the bytes each rank sent
    /// in it: the same command on another night sends the same bytes, so its busbw can
    /// be set against that night's whatever the period's place in the capture.
    case period(bytesPerRank: Int)

    public var source: String? { if case .link(let source, _) = self { source } else { nil } }
    public var destination: String? { if case .link(_, let destination) = self { destination } else { nil } }

    /// A period's bytes per rank as text (history stores it in the `src` column).
    public var periodKey: String? { if case .period(let bytes) = self { String(bytes) } else { nil } }

    /// "fabric", "link" or "period": the scope column of tables, JSON and history.
    public var kind: String {
        switch self {
        case .fabric: "fabric"
        case .link: "link"
        case .period: "period"
        }
    }

    /// The scope's name in tables: "fabric", "10.0.0.1→10.0.0.2" or "period of 8.65 MB a rank".
    public var name: String {
        switch self {
        case .fabric: "fabric"
        case .link(let source, let destination): "\(source)→\(destination)"
        case .period(let bytes): "period of \(Units.bytes(bytes)) a rank"
        }
    }

    private var order: Int {
        switch self {
        case .fabric: 0
        case .link: 1
        case .period: 2
        }
    }

    public static func < (a: Scope, b: Scope) -> Bool {
        switch (a, b) {
        case (.link(let s1, let d1), .link(let s2, let d2)): (s1, d1) < (s2, d2)
        case (.period(let b1), .period(let b2)): b1 < b2
        default: a.order < b.order
        }
    }

    /// The link a flow's packets travel on.
    static func link(of key: FlowKey) -> Scope {
        .link(source: key.source.description, destination: key.destination.description)
    }
}
