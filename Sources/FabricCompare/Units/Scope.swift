import FabricWire
import FabricStats

/// What a comparison row is about: the whole fabric, or one link — a (source host,
/// destination host) pair with all queue pairs between them, because QP numbers
/// are assigned anew in every run and cannot be matched across runs.
public enum Scope: Hashable, Sendable, Comparable {
    case fabric
    case link(source: String, destination: String)

    public var source: String? { if case .link(let source, _) = self { source } else { nil } }
    public var destination: String? { if case .link(_, let destination) = self { destination } else { nil } }

    /// The scope's name in tables: "fabric" or "10.0.0.1→10.0.0.2".
    public var name: String {
        switch self {
        case .fabric: "fabric"
        case .link(let source, let destination): "\(source)→\(destination)"
        }
    }

    public static func < (a: Scope, b: Scope) -> Bool {
        switch (a, b) {
        case (.fabric, .fabric): false
        case (.fabric, .link): true
        case (.link, .fabric): false
        case (.link(let s1, let d1), .link(let s2, let d2)): (s1, d1) < (s2, d2)
        }
    }

    /// The link a flow's packets travel on.
    static func link(of key: FlowKey) -> Scope {
        .link(source: key.source.description, destination: key.destination.description)
    }
}
