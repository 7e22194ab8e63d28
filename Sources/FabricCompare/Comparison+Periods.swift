import FabricModels

extension Comparison {
    /// One busy period (nccl-tests' size) of the ring on each side: its busbw, which
    /// needs no iteration count. One value a side, so untested: the change is shown,
    /// never counted in the verdict.
    public struct PeriodChange: Sendable, Codable, Equatable {
        /// From 1, in time order on each side.
        public var period: Int
        /// Baseline and candidate: the bytes each rank sent in the period (equal when the
        /// same nccl-tests command ran on both sides).
        public var bytesPerRank: [Int]
        public var busbwBps: [Double]
        /// candidate ÷ baseline − 1.
        public var relativeChange: Double?
        /// The slowest link of each side in the period.
        public var slowestLink: [String]

        enum CodingKeys: String, CodingKey {
            case period, bytesPerRank = "bytes_per_rank", busbwBps = "busbw_bps", relativeChange = "relative_change"
            case slowestLink = "slowest_link"
        }

        /// `relative_change` is written as null when there is none (the contract lists it).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(period, forKey: .period)
            try container.encode(bytesPerRank, forKey: .bytesPerRank)
            try container.encode(busbwBps, forKey: .busbwBps)
            try container.encode(relativeChange, forKey: .relativeChange)
            try container.encode(slowestLink, forKey: .slowestLink)
        }
    }

    /// The rings' busy periods side by side when each side is one run whose ring has
    /// them; a note says why not otherwise.
    static func periods(_ rings: [[RingFinding?]]) -> (periods: [PeriodChange]?, note: String?) {
        guard rings.allSatisfy({ $0.count == 1 }), let baseline = rings[0][0]?.phases, let candidate = rings[1][0]?.phases,
              baseline.count > 1 || candidate.count > 1 || rings.contains(where: { $0[0]?.iterationsCertain == false }) else {
            return (nil, nil)
        }
        guard baseline.count == candidate.count else {
            return (nil, "busy periods not compared: \(baseline.count) in the baseline, \(candidate.count) in the candidate")
        }
        let changes = zip(baseline, candidate).enumerated().map { index, pair in
            PeriodChange(
                period: index + 1, bytesPerRank: [pair.0.bytesPerRank, pair.1.bytesPerRank],
                busbwBps: [pair.0.busBitsPerSecond, pair.1.busBitsPerSecond],
                relativeChange: pair.0.busBitsPerSecond > 0 ? pair.1.busBitsPerSecond / pair.0.busBitsPerSecond - 1 : nil,
                slowestLink: [pair.0, pair.1].map { $0.slowestStandsApart ? "\($0.slowest.source)→\($0.slowest.destination)" : "even" })
        }
        let differ = changes.filter { $0.bytesPerRank[0] != $0.bytesPerRank[1] }.map(\.period)
        return (changes, differ.isEmpty ? nil
            : "busy period(s) \(differ.map(String.init).joined(separator: ", ")) carried different bytes per rank on the "
                + "two sides: not the same sizes or iteration counts, so their busbw is not like for like")
    }
}
