/// A value whose members one hand-written list, `encodeMembers(into:)`, gives in
/// key order, for every encoder: `encode(to:)` comes from here (it wins over the
/// compiler's synthesized one, which is never made for these types).
///
/// Why: nested in another key-ordered object and written by `StreamingJSONEncoder`,
/// such a value opens its object straight in the writer. Through `encode(to:)`, each
/// nested object cost an `Encoder` existential, a dynamic cast back to the streaming
/// encoder and copies of the object's state: about 700 instructions an object
/// (callgrind), and a report's flow holds five to seven of them.
public protocol KeyOrderedEncodable: Encodable {
    /// The value's members, through `object`, in the order of their keys.
    func encodeMembers(into object: inout SortedJSONObject) throws
}

extension KeyOrderedEncodable {
    public func encode(to encoder: any Encoder) throws {
        var object = SortedJSONObject(encoder)
        try encodeMembers(into: &object)
    }
}
