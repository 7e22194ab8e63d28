/// An array whose elements `StreamingJSONEncoder` encodes on all cores: a report's
/// flows are most of its text, each independent of the others. Any other encoder
/// sees a plain array, and the streaming encoder's text is the same either way.
public struct ConcurrentJSONArray<Element: Encodable & Sendable>: Encodable, Sendable {
    public var elements: [Element]
    /// Below this many elements the threads would cost more than they save.
    public var concurrentMinimum: Int

    public init(_ elements: [Element], concurrentMinimum: Int = 1024) {
        self.elements = elements
        self.concurrentMinimum = concurrentMinimum
    }

    public func encode(to encoder: any Encoder) throws {
        if let streaming = encoder as? JSONValueEncoder, elements.count >= concurrentMinimum {
            try streaming.writer.writeArrayConcurrently(elements, depth: streaming.depth)
            return
        }
        var container = encoder.unkeyedContainer()
        for element in elements { try container.encode(element) }
    }
}

/// An array of `count` elements made only as they are written, `element(index)` on
/// all cores with `StreamingJSONEncoder` (one by one with any other encoder): the
/// text of `ConcurrentJSONArray((0..<count).map(element))`, without the array.
///
/// Why: a report's flow entries exist only to be written. At 10⁵ flows they were
/// 100 MB, written once into fresh memory and read back for the text.
public struct LazyConcurrentJSONArray<Element: Encodable & Sendable>: Encodable, Sendable {
    public var count: Int
    public var element: @Sendable (Int) -> Element
    public var concurrentMinimum: Int

    public init(count: Int, concurrentMinimum: Int = 1024, element: @escaping @Sendable (Int) -> Element) {
        self.count = count
        self.element = element
        self.concurrentMinimum = concurrentMinimum
    }

    public func encode(to encoder: any Encoder) throws {
        if let streaming = encoder as? JSONValueEncoder, count >= concurrentMinimum {
            let element = element
            try streaming.writer.writeArrayConcurrently(count: count, depth: streaming.depth) { writer, index, depth in
                try writer.encodeValue(element(index), depth: depth)
            }
            return
        }
        var container = encoder.unkeyedContainer()
        for index in 0..<count { try container.encode(element(index)) }
    }
}
