/// 24-bit packet sequence number arithmetic (IBTA vol. 1 §9.7.1): PSNs wrap modulo
/// 2^24 and compare over a half-space window, as Linux rxe's `psn_compare` does.
public enum PSN {
    public static let modulus: Int64 = 1 << 24
    static let half: Int64 = 1 << 23

    /// Signed distance from `a` to `b` in (−2^23, 2^23]: positive when `b` is after `a`.
    @inline(__always)
    public static func distance(from a: UInt32, to b: UInt32) -> Int64 {
        var d = (Int64(b) - Int64(a)) & (modulus - 1)
        if d > half { d -= modulus }
        return d
    }

    /// `a` is after `b` iff (a − b) mod 2^24 is in (0, 2^23).
    @inline(__always)
    public static func isAfter(_ a: UInt32, _ b: UInt32) -> Bool {
        let d = (Int64(a) - Int64(b)) & (modulus - 1)
        return d > 0 && d < half
    }

    /// The 24-bit PSN of an unwrapped one.
    @inline(__always)
    public static func wrap(_ unwrapped: Int64) -> UInt32 { UInt32(unwrapped & (modulus - 1)) }
}

/// Turns a stream's 24-bit PSNs into a 64-bit sequence that keeps counting across
/// wraps, each PSN placed nearest to the previous one.
public struct PSNUnwrapper: Sendable, Equatable {
    private var last: Int64?

    public init() {}

    /// The unwrapped PSN nearest to the last one; the first PSN is taken as is.
    @inline(__always)
    public mutating func unwrap(_ psn: UInt32) -> Int64 {
        guard let last else {
            self.last = Int64(psn)
            return Int64(psn)
        }
        let value = last + PSN.distance(from: PSN.wrap(last), to: psn)
        self.last = value
        return value
    }

    /// Places `psn` near the last PSN without moving the reference (for responses,
    /// which are compared against the request stream's PSN space).
    @inline(__always)
    public func place(_ psn: UInt32) -> Int64? {
        guard let last else { return nil }
        return last + PSN.distance(from: PSN.wrap(last), to: psn)
    }
}
