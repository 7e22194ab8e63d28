import FabricWire

/// One thing the capture shows about how the fabric is configured (a class, a path),
/// with the sentence of advice that goes with it. Health makes each a check.
public struct FabricFinding: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable {
        /// The capture contradicts itself or common practice: worth a look.
        case warn
        /// The capture contradicts what the fabric was declared to be (`--qos`).
        case fail

        public static func < (a: Severity, b: Severity) -> Bool { a == .warn && b == .fail }
    }

    // In key order, as the JSON writes them.
    /// One sentence of what to do.
    public var advice: String
    /// The catalog check it belongs to (`qos_classes`, `ecmp_spread`).
    public var check: String
    /// How many hosts, links or QPs it concerns.
    public var count: Int
    /// The link (host pair) it concerns, or the host, or neither (the fabric).
    public var dst: String?
    public var host: String?
    /// What kind of finding, stable for scripts (`minority_class`, `shared_source_port`, …).
    public var kind: String
    public var message: String
    public var severity: Severity
    public var src: String?

    public init(check: String, kind: String, severity: Severity, src: String?, dst: String?, host: String?, count: Int,
                message: String, advice: String) {
        (self.check, self.kind, self.severity, self.src, self.dst, self.host) = (check, kind, severity, src, dst, host)
        (self.count, self.message, self.advice) = (count, message, advice)
    }

    enum CodingKeys: String, CodingKey { case check, kind, severity, src, dst, host, count, message, advice }
}
