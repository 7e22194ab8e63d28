/// NCCL's double binary tree over `ranks` nodes (NVIDIA/nccl `src/graph/trees.cc`,
/// `ncclGetBtree` and `ncclGetDtree`): tree 0 is built on the bits of the rank (root 0,
/// one child); tree 1 is its mirror (rank → n−1−rank) when n is even, or tree 0
/// shifted by one when n is odd, so that most ranks are a leaf in one tree and
/// interior in the other. Each tree carries half of the data, up (reduce) then down
/// (broadcast).
public struct DoubleBinaryTree: Sendable {
    public let ranks: Int
    /// parents[t][r]: rank r's parent in tree t (nil at the root).
    public let parents: [[Int?]]

    public init(ranks: Int) {
        self.ranks = ranks
        let first = (0..<ranks).map { DoubleBinaryTree.btreeParent(rank: $0, ranks: ranks) }
        let second = (0..<ranks).map { rank -> Int? in
            if ranks % 2 == 1 {
                let shifted = (rank - 1 + ranks) % ranks
                return DoubleBinaryTree.btreeParent(rank: shifted, ranks: ranks).map { ($0 + 1) % ranks }
            }
            return DoubleBinaryTree.btreeParent(rank: ranks - 1 - rank, ranks: ranks).map { ranks - 1 - $0 }
        }
        parents = [first, second]
    }

    /// `ncclGetBtree`'s parent: clear the lowest set bit and set the next one up, or
    /// only clear it when that is out of range.
    static func btreeParent(rank: Int, ranks: Int) -> Int? {
        guard rank != 0 else { return nil }
        var bit = 1
        while bit < ranks, bit & rank == 0 { bit <<= 1 }
        let up = (rank ^ bit) | (bit << 1)
        return up >= ranks ? rank ^ bit : up
    }

    /// Depth of `rank` in tree `t` (the root is 0).
    public func depth(of rank: Int, tree t: Int) -> Int {
        var depth = 0, current = rank
        while let parent = parents[t][current] { depth += 1; current = parent }
        return depth
    }

    /// Every edge of both trees in both directions, tree 0 first: child → parent, then
    /// parent → child.
    public var directedEdges: [(tree: Int, from: Int, to: Int)] {
        (0..<2).flatMap { t in
            (0..<ranks).compactMap { r in parents[t][r].map { (t, r, $0) } }
                + (0..<ranks).compactMap { r in parents[t][r].map { (t, $0, r) } }
        }
    }
}
