import FabricStats
import FabricCompare
import FabricHealth
import Foundation

/// One stored run, without its summary.
public struct RunRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var label: String
    /// When it was added (ISO 8601, UTC).
    public var addedAt: String
    /// The traffic's span.
    public var startNs: Int64
    public var endNs: Int64
    public var packets: Int
    public var flows: Int
    public var files: [String]
    public var tags: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, label, addedAt = "added_at", startNs = "start_ns", endNs = "end_ns", packets, flows, files, tags
    }
}
