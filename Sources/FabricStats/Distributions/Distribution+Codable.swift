import Histogram

extension Distribution: Codable {
    enum CodingKeys: String, CodingKey {
        case count, min, max, sum, sumOfSquares = "sum_of_squares", histogram
    }

    /// Exact count, min, max and sums, and the histogram in HdrHistogram's compressed
    /// V2 encoding, readable by any HdrHistogram library.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(count > 0 ? minimum : 0, forKey: .min)
        try container.encode(count > 0 ? maximum : 0, forKey: .max)
        try container.encode(sum, forKey: .sum)
        try container.encode(sumOfSquares, forKey: .sumOfSquares)
        try container.encode(HdrHistogramEncoding.encode(histogram), forKey: .histogram)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let count = try container.decode(Int.self, forKey: .count)
        let text = try container.decode(String.self, forKey: .histogram)
        let histogram: Histogram<UInt64>
        do { histogram = try HdrHistogramEncoding.decode(text) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .histogram, in: container, debugDescription: "histogram: \(error.description)")
        }
        guard histogram.totalCount == UInt64(count) else {
            throw DecodingError.dataCorruptedError(
                forKey: .count, in: container, debugDescription: "count \(count) disagrees with the histogram's")
        }
        self.init(
            histogram: histogram, count: count,
            minimum: count > 0 ? try container.decode(Int64.self, forKey: .min) : .max,
            maximum: count > 0 ? try container.decode(Int64.self, forKey: .max) : .min,
            sum: try container.decode(Double.self, forKey: .sum),
            sumOfSquares: try container.decode(Double.self, forKey: .sumOfSquares))
    }
}
