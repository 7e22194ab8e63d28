import FabricJSON

extension Distribution: Codable {
    enum CodingKeys: String, CodingKey {
        case count, min, max, sum, sumOfSquares = "sum_of_squares", histogram
    }

    /// Exact count, min, max and sums, and the histogram in HdrHistogram's compressed
    /// V2 encoding, readable by any HdrHistogram library. The encoding's highest
    /// trackable value follows from the maximum alone, so the same samples give the
    /// same text however they were recorded or merged.
    ///
    /// Members go in key order (the JSON writer then has nothing to reorder), and an
    /// empty distribution's histogram text, the same every time, is made once. Writing
    /// a 10⁵-flow summary, compressing histograms was half the time spent on
    /// distributions, and most of a WRITE flow's seven are empty (READ, atomic,
    /// bursts).
    ///
    /// An empty distribution's text is always the same; in a compact streamed text
    /// (a summary) it is written whole, made once (`emptyCompactJSON`).
    public func encode(to encoder: Encoder) throws {
        if count == 0, let text = Distribution.emptyCompactJSON, SortedJSONObject.writeVerbatim(text, to: encoder) { return }
        try encodeMembers(to: encoder)
    }

    /// The compact JSON of an empty distribution, made by `encodeMembers`.
    static let emptyCompactJSON: [UInt8]? = {
        struct Members: Encodable {
            func encode(to encoder: any Encoder) throws { try Distribution().encodeMembers(to: encoder) }
        }
        return try? StreamingJSONEncoder().encode(Members())
    }()

    private func encodeMembers(to encoder: any Encoder) throws {
        var object = SortedJSONObject(encoder)
        try object.encode(count, forKey: CodingKeys.count)
        let histogram = count == 0 ? Distribution.emptyHistogramText
            : HdrHistogramEncoding.encode(buckets: buckets(), highestTrackableValue: HdrLayout.highestTrackable(
                forMaximum: UInt64(max(0, maximum))))
        try object.encode(histogram, forKey: CodingKeys.histogram)
        try object.encode(count > 0 ? maximum : 0, forKey: CodingKeys.max)
        try object.encode(count > 0 ? minimum : 0, forKey: CodingKeys.min)
        try object.encode(sum, forKey: CodingKeys.sum)
        try object.encode(sumOfSquares, forKey: CodingKeys.sumOfSquares)
    }

    /// The histogram text of a distribution without samples.
    static let emptyHistogramText = HdrHistogramEncoding.encode(
        buckets: [], highestTrackableValue: HdrLayout.highestTrackable(forMaximum: 0))
    static let emptyHistogramUTF8 = Array(emptyHistogramText.utf8)

    /// Decodes straight into the form that fits: the samples when there are few, or
    /// a histogram sized for the largest bucket (never resized while filling).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let count = try container.decode(Int.self, forKey: .count)
        let text = try container.decode(String.self, forKey: .histogram)
        let buckets: [HdrLayout.Bucket]
        do { buckets = try Distribution.buckets(text, count: count) } catch {
            throw DecodingError.dataCorruptedError(forKey: error.key, in: container, debugDescription: error.problem)
        }
        self.init(
            buckets: buckets, count: count,
            minimum: count > 0 ? try container.decode(Int64.self, forKey: .min) : .max,
            maximum: count > 0 ? try container.decode(Int64.self, forKey: .max) : .min,
            sum: try container.decode(Double.self, forKey: .sum),
            sumOfSquares: try container.decode(Double.self, forKey: .sumOfSquares))
    }

    /// The same off a summary's tape (`AnalysisSummary+TapeDecoding.swift`): a flow
    /// holds up to eight distributions. Members in the order written.
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let count = try object.int("count")
        let textNode = try object.required("histogram")
        let buckets: [HdrLayout.Bucket]
        if count == 0, box.tape.string(at: textNode, equals: Distribution.emptyHistogramUTF8) {
            // Compared in place: most of a flow's distributions are empty, and making
            // their text a `String` first cost more than the comparison.
            buckets = []
        } else {
            do { buckets = try Distribution.buckets(box.string(at: textNode), count: count) } catch let error as Refusal {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: box.codingPath(to: node) + [error.key], debugDescription: error.problem))
            }
        }
        let maximum = count > 0 ? try object.int64("max") : .min
        let minimum = count > 0 ? try object.int64("min") : .max
        self.init(buckets: buckets, count: count, minimum: minimum, maximum: maximum,
                  sum: try object.double("sum"), sumOfSquares: try object.double("sum_of_squares"))
    }

    /// What both decoders refuse, and the member it is about.
    struct Refusal: Error {
        let key: CodingKeys
        let problem: String
    }

    /// The histogram's buckets, checked against the stored count.
    private static func buckets(_ text: String, count: Int) throws(Refusal) -> [HdrLayout.Bucket] {
        let buckets: [HdrLayout.Bucket]
        if count == 0, text == Distribution.emptyHistogramText {
            // The text every empty distribution is written with (most of a WRITE
            // flow's): it decodes to no buckets, so there is nothing to inflate.
            buckets = []
        } else {
            do { buckets = try HdrHistogramEncoding.decodeBuckets(text) } catch {
                throw Refusal(key: .histogram, problem: "histogram: \(error.description)")
            }
        }
        var total: UInt64 = 0
        for bucket in buckets {
            let (sum, overflow) = total.addingReportingOverflow(bucket.count)
            guard !overflow else { throw Refusal(key: .histogram, problem: "histogram counts overflow") }
            total = sum
        }
        guard count >= 0, total == UInt64(count) else {
            throw Refusal(key: .count, problem: "count \(count) disagrees with the histogram's")
        }
        return buckets
    }
}
