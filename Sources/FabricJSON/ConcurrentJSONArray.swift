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
