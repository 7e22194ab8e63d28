import FabricRandom

extension JitterDistribution {
    /// Draws from the distribution by inverse transform, like `sample(_:)`, in a step or
    /// two instead of a binary search.
    ///
    /// Why: the ring's Monte Carlo draws ranks × steps × replications values (96,000
    /// for a 16-rank ring all-reduce, twice when a straggler is modelled too), and each
    /// binary search over a measured distribution's few hundred values mispredicts a
    /// branch per level. That was 6.5 ms, the largest single cost after the last
    /// packet of a 10⁶-packet capture.
    ///
    /// How (Chen and Asau's guide table): `start[k]` is the first value whose cumulative
    /// probability reaches k/m. A draw u starts there, k = ⌊u·m⌋, and steps to the first
    /// value whose cumulative probability reaches u. The answer is the binary search's,
    /// draw for draw, so the Monte Carlo's results do not change
    /// (`CollectiveModelTests.testGuidedDrawsAreTheBinarySearchs`).
    public struct Sampler: Sendable {
        private let values: [Double]
        private let cumulative: [Double]
        private let start: [Int]

        init(_ distribution: JitterDistribution) {
            values = distribution.values
            cumulative = distribution.cumulative
            let slots = cumulative.count
            var start = [Int](repeating: 0, count: slots + 1)
            var index = 0
            for slot in 0...slots {
                let threshold = Double(slot) / Double(slots)
                while index < slots - 1, cumulative[index] < threshold { index += 1 }
                start[slot] = index
            }
            self.start = start
        }

        /// One draw: the first value whose cumulative probability reaches a uniform u in
        /// [0, 1), or the last value if rounding left every cumulative probability below u.
        @inline(__always)
        public func sample(_ random: inout SplitMix64) -> Double {
            let u = random.unit()
            let last = cumulative.count - 1
            var index = start[min(last + 1, Int(u * Double(cumulative.count)))]
            // ⌊u·m⌋ rounded in floating point may start one slot late.
            while index > 0, cumulative[index - 1] >= u { index -= 1 }
            while index < last, cumulative[index] < u { index += 1 }
            return values[index]
        }
    }

    /// A sampler for many draws (see `Sampler`).
    public func sampler() -> Sampler { Sampler(self) }
}
