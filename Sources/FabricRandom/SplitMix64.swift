/// A small, fast, seedable generator (Steele et al., SplitMix64) so that the same
/// seed always yields byte-identical captures on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Moves on as `draws` calls of `next()` would, in one step (the state advances by
    /// a constant per draw): a slice of a long run of draws can start where it would
    /// have, on a thread of its own.
    public mutating func skip(_ draws: Int) {
        state &+= UInt64(truncatingIfNeeded: draws) &* 0x9e37_79b9_7f4a_7c15
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

    /// Bernoulli trial with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { p > 0 && unit() < p }

    /// Exponentially distributed with the given mean (inverse-CDF method).
    public mutating func exponential(mean: Double) -> Double {
        mean <= 0 ? 0 : -mean * log1p(-unit())
    }

    private func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
}

import Foundation
