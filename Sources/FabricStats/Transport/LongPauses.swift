import FabricJSON

/// The longest pauses of a request stream, with when they fell and how much payload
/// came before each: after reading, the pauses the ring's traffic says separate busy
/// periods (nccl-tests' sizes, compute phases) cut the stream into periods whose bytes
/// and spans give each period's bus bandwidth — with no need to know how many
/// iterations ran back to back inside it. At most `capacity` are kept (the longest):
/// memory grows with flows, not with messages; a stream with more long pauses than
/// that knows the longest it dropped (`droppedLongest`), and periods are then cut
/// only at idles longer than that.
public struct LongPauses: Sendable, Equatable, Codable {
    public struct Pause: Sendable, Equatable, Codable, KeyOrderedEncodable {
        /// The last request before the pause, and the first of the next message.
        public var startNs: Int64
        public var endNs: Int64
        /// Payload of first transmissions before the pause.
        public var bytesBefore: Int
        /// Messages started before the pause (nil in summaries written before it was
        /// kept): with it, a busy period's messages give its steps, and the steps the
        /// collective (2(n−1) per ring all-reduce, n−1 per all-gather).
        public var messagesBefore: Int?
        public var durationNs: Int64 { endNs - startNs }

        /// Members in key order (`SortedJSONObject`): a summary holds up to 64 pauses
        /// a request stream, and through a keyed container each cost a boxed container
        /// and its members moved into key order after writing, with `LongPauses`
        /// itself a fifth of writing a 10⁵-flow summary.
        public func encodeMembers(into object: inout SortedJSONObject) throws {
            try object.encode(bytesBefore, forKey: CodingKeys.bytesBefore)
            try object.encode(endNs, forKey: CodingKeys.endNs)
            try object.encodeIfPresent(messagesBefore, forKey: CodingKeys.messagesBefore)
            try object.encode(startNs, forKey: CodingKeys.startNs)
        }

        public init(startNs: Int64, endNs: Int64, bytesBefore: Int, messagesBefore: Int?) {
            self.startNs = startNs
            self.endNs = endNs
            self.bytesBefore = bytesBefore
            self.messagesBefore = messagesBefore
        }
    }

    public static let capacity = 64
    /// Pauses shorter than this are not kept: no ring-wide idle is that short
    /// (`DetectedRing.minimumRingIdleNs`), and most streams' pauses between messages
    /// are, so most flows keep none and summaries barely grow.
    public static let floorNs: Int64 = 10_000

    /// The longest pauses, in time order.
    public private(set) var pauses: [Pause] = [] {
        didSet { pausesChanged() }
    }
    /// When the last kept pause began, held here so that an offer need not read the
    /// list to know it comes after it. Why: at 10⁴ flows round robin every message is
    /// a long pause, and reading the list's last element (a line not touched since
    /// the stream's last message) stalled each offer, a tenth of folding. Derived
    /// from `pauses`, so not encoded.
    private var latestStartNs: Int64 = .min
    /// Pauses offered and not kept (shorter than every kept one once full).
    public private(set) var dropped = 0

    /// Once full: the first kept pause of the smallest duration, and that duration.
    /// Why: on a stream whose messages are all far apart (thousands of flows round robin),
    /// every message offers a pause, and scanning the 64 kept ones for the shortest cost
    /// about 560 instructions an offer — a tenth of analyzing 10⁴ flows. Held here, an
    /// offer no longer than it is dropped after one comparison; the scan runs only when
    /// a pause is replaced. Derived from `pauses` alone, so not encoded.
    private var shortestIndex = 0
    private var shortestNs: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case pauses, dropped, droppedLongest
    }

    public init() {}

    /// Members in key order (see `Pause.encodeMembers(into:)`); with `StreamingJSONEncoder`,
    /// straight into its buffer (`write(to:depth:)`).
    public func encode(to encoder: any Encoder) throws {
        if let streaming = encoder as? JSONValueEncoder {
            try write(to: streaming.writer, depth: streaming.depth)
            return
        }
        var object = SortedJSONObject(encoder)
        try object.encode(dropped, forKey: CodingKeys.dropped)
        try object.encode(droppedLongest, forKey: CodingKeys.droppedLongest)
        try object.encode(pauses, forKey: CodingKeys.pauses)
    }

    /// The pauses written straight into `StreamingJSONEncoder`'s buffer, members in
    /// key order, as `encode(to:)` writes them for any other encoder. Why: a summary
    /// holds up to 64 pauses a request stream, and through `SortedJSONObject` each
    /// cost about 4,000 instructions (a type check and a container for the pause, some
    /// 700 instructions a member), 16 % of `analyze --summary-out` at 10⁴ flows
    /// (callgrind).
    private func write(to writer: JSONByteWriter, depth: Int) throws {
        writer.openKeyOrderedObject(depth: depth)
        writer.writeKeyOrderedMember("dropped", dropped, depth: depth)
        try writer.writeKeyOrderedMember("droppedLongest", droppedLongest, depth: depth)
        writer.writeColumn("pauses", count: pauses.count, depth: depth) { index, depth in
            let pause = pauses[index]
            writer.openKeyOrderedObject(depth: depth)
            writer.writeKeyOrderedMember("bytesBefore", pause.bytesBefore, depth: depth)
            writer.writeKeyOrderedMember("endNs", pause.endNs, depth: depth)
            if let messages = pause.messagesBefore { writer.writeKeyOrderedMember("messagesBefore", messages, depth: depth) }
            writer.writeKeyOrderedMember("startNs", pause.startNs, depth: depth)
        }
    }

    /// Whether every pause at least `ns` long is kept (only shorter ones were dropped).
    public func isComplete(above ns: Double) -> Bool { droppedLongest < ns }

    /// The longest pause dropped so far (0: none).
    public private(set) var droppedLongest: Double = 0

    /// Offers one pause; kept while there is room, or when longer than the shortest
    /// kept. Called once per message: a pause under `floorNs` (nearly every one on a
    /// busy stream) costs one comparison, and once full a pause no longer than the
    /// shortest kept costs one more; only one that replaces it looks through the kept.
    public mutating func offer(_ pause: Pause) {
        guard pause.durationNs >= LongPauses.floorNs else { return }
        guard pauses.count == LongPauses.capacity else {
            insert(pause)
            return
        }
        guard pause.durationNs > shortestNs else {
            drop(pause)
            return
        }
        replaceShortest(with: pause)
    }

    @inline(never)
    private mutating func replaceShortest(with pause: Pause) {
        drop(pauses[shortestIndex])
        pauses.remove(at: shortestIndex)
        insert(pause)
    }

    /// What is derived from the kept pauses, found again when they change.
    private mutating func pausesChanged() {
        latestStartNs = pauses.last?.startNs ?? .min
        findShortest()
    }

    /// The first of the shortest kept pauses, when full (the one an offer replaces).
    private mutating func findShortest() {
        guard pauses.count == LongPauses.capacity else { return }
        var index = 0
        for candidate in pauses.indices.dropFirst() where pauses[candidate].durationNs < pauses[index].durationNs {
            index = candidate
        }
        shortestIndex = index
        shortestNs = pauses[index].durationNs
    }

    public mutating func merge(_ other: LongPauses) {
        dropped += other.dropped
        droppedLongest = max(droppedLongest, other.droppedLongest)
        for pause in other.pauses { offer(pause) }
    }

    private mutating func insert(_ pause: Pause) {
        // A stream offers its pauses in time order: nearly always an append.
        if latestStartNs > pause.startNs {
            pauses.insert(pause, at: pauses.firstIndex { $0.startNs > pause.startNs }!)
        } else {
            pauses.append(pause)
        }
    }

    private mutating func drop(_ pause: Pause) {
        dropped += 1
        droppedLongest = max(droppedLongest, Double(pause.durationNs))
    }
}

extension LongPauses {
    /// The same pauses with `bytes` more payload and `messages` more messages before
    /// each (a stream's later part; nil messages: the earlier part cannot say).
    func shifted(by bytes: Int, messages: Int?) -> LongPauses {
        var copy = self
        copy.pauses = pauses.map { pause in
            LongPauses.Pause(startNs: pause.startNs, endNs: pause.endNs, bytesBefore: pause.bytesBefore + bytes,
                             messagesBefore: messages.flatMap { m in pause.messagesBefore.map { $0 + m } })
        }
        return copy
    }
}

extension LongPauses {
    /// Reads `pauses` straight from `TapeJSONDecoder`'s tape when decoding through it.
    ///
    /// Why: a flow keeps up to 64 pauses, and through keyed containers each cost a
    /// decoder, a coding path and a search of its members per field; that was 12 % of
    /// reading a 10⁴-flow summary. Here each pause's members are walked once, as the
    /// time series' windows are (`FlowTimeSeries+TapeDecoding.swift`). Any other
    /// decoder gets the synthesized behaviour.
    public init(from decoder: any Decoder) throws {
        if let tape = decoder as? TapeDecoder {
            self = try LongPauses(tape: tape.tape, node: tape.node, path: tape.codingPath)
            return
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            pauses = try container.decode([Pause].self, forKey: .pauses)
            dropped = try container.decode(Int.self, forKey: .dropped)
            droppedLongest = try container.decode(Double.self, forKey: .droppedLongest)
        }
        pausesChanged()  // an initializer's assignments do not run `didSet`
    }
}

extension LongPauses {
    /// The pauses at `node` of a tape (`path` is its coding path, for errors).
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        var object = try TapeObject(box, node: node)
        dropped = try object.int("dropped")
        droppedLongest = try object.double("droppedLongest")
        let array = try object.required("pauses")
        pauses = try Pause.pauses(tape: box, node: array, path: path() + [CodingKeys.pauses])
        pausesChanged()  // an initializer's assignments do not run `didSet`
    }
}

extension LongPauses.Pause {
    /// The pauses of the array at `node`.
    static func pauses(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws -> [Self] {
        try box.elements(ofArray: node, path: path()) { try Self(tape: box, node: $0, path: path() + [TapeIndexKey($1)]) }
    }

    /// Keys in the order the writer puts them (sorted), where the walk looks first.
    private static let keys: [CodingKeys] = [.bytesBefore, .endNs, .messagesBefore, .startNs]
    private static let keyNames: [StaticString] = ["bytesBefore", "endNs", "messagesBefore", "startNs"]
    private static let namesMatchKeys = zip(keys, keyNames).allSatisfy { $0.stringValue == "\($1)" }
    /// Every member but `messagesBefore` (absent or null in older summaries).
    private static let requiredMask = 0b1011

    /// The pause at `node`: its members walked once (`TapeBox.members`).
    init(tape box: TapeBox, node: Int, path: @autoclosure () -> [CodingKey]) throws {
        assert(Self.namesMatchKeys, "Pause.keyNames differ from its coding keys")
        self.init(startNs: 0, endNs: 0, bytesBefore: 0, messagesBefore: nil)
        try box.members(ofObject: node, keys: Self.keys, names: Self.keyNames, required: Self.requiredMask, path: path()) {
            key, value in
            func integer() throws -> Int { try box.int(at: value, path: path() + [key]) }
            func integer64() throws -> Int64 { try box.int64(at: value, path: path() + [key]) }
            switch key {
            case .startNs: startNs = try integer64()
            case .endNs: endNs = try integer64()
            case .bytesBefore: bytesBefore = try integer()
            case .messagesBefore: messagesBefore = try integer()
            }
        }
    }
}
