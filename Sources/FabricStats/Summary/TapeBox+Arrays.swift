import FabricJSON

extension TapeBox {
    /// The elements of the array at `node`, each made by `element` from its node and
    /// its index (for its coding path: the caller's path and `TapeIndexKey(index)`).
    ///
    /// Here, not in FabricJSON, so that each array is specialized for its element
    /// type: built there, generic, every array of a summary looked its type up at run
    /// time, in a table the two threads reading flows contend for (an eighth of their
    /// samples at 10⁵ flows).
    func elements<T>(
        ofArray node: Int, path: @autoclosure () -> [CodingKey],
        _ element: (_ node: Int, _ index: Int) throws -> T
    ) throws -> [T] {
        var elements: [T] = []
        try forEachElement(ofArray: node, path: path(), as: [T].self, reserving: { elements.reserveCapacity($0) }) {
            elements.append(try element($0, $1))
        }
        return elements
    }
}
