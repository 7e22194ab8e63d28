/// Encodes `Encodable` values to JSON bytes as it goes, with the output of
/// Foundation's `JSONEncoder` (sorted keys, optionally pretty-printed, slashes not
/// escaped), byte for byte — a test holds the two equal on real documents.
///
/// Why not `JSONEncoder`: it first builds a tree of boxed values with a dictionary
/// per object, then sorts and serializes it. For a report of 100 k flows that tree
/// took gigabytes and most of the run. Here each value is written when it is
/// encoded; an object's members are put in key order when it closes, which costs
/// nothing when the type declares its keys in order and one move of the object's
/// bytes otherwise.
public struct StreamingJSONEncoder {
    public var prettyPrinted: Bool

    public init(prettyPrinted: Bool = false) {
        self.prettyPrinted = prettyPrinted
    }

    /// The JSON text of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = JSONByteWriter(prettyPrinted: prettyPrinted)
        try writer.encodeValue(value, depth: 0)
        writer.close(above: -1)
        return writer.bytes
    }

    /// Writes the JSON text of `value` into `sink`, in pieces as they are finished:
    /// the text of a long array encoded on all cores (`ConcurrentJSONArray`) leaves a
    /// wave of elements at a time, so memory holds a wave, not the whole text. The
    /// pieces joined are `encode(value)`'s bytes. After an error, what reached `sink`
    /// is a part of the text: a caller writing a file must discard it.
    public func encode<T: Encodable>(_ value: T, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withoutActuallyEscaping(sink) { sink in
            let writer = JSONByteWriter(prettyPrinted: prettyPrinted)
            writer.sink = sink
            defer { writer.sink = nil }
            try writer.encodeValue(value, depth: 0)
            writer.close(above: -1)
            try writer.flushIfSettled()
        }
    }
}

/// A value JSON cannot carry (NaN or an infinity), named by where it sits.
public struct JSONEncodingFailure: Error, CustomStringConvertible {
    public let description: String
}
