/// A collective operation, with nccl-tests' conventions for size and bus bandwidth
/// (NVIDIA/nccl-tests doc/PERFORMANCE.md): `bytes` is the per-rank buffer S, and
/// busbw = algbw × factor makes results comparable with the link speed whatever the
/// number of ranks.
public enum Collective: String, CaseIterable, Sendable, Codable {
    case allreduce, reducescatter, allgather, broadcast, alltoall

    /// nccl-tests' bus bandwidth factor: all-reduce 2(n−1)/n; reduce-scatter,
    /// all-gather and all-to-all (n−1)/n; broadcast 1.
    public func busBandwidthFactor(ranks n: Int) -> Double {
        let n = Double(n)
        switch self {
        case .allreduce: return 2 * (n - 1) / n
        case .reducescatter, .allgather, .alltoall: return (n - 1) / n
        case .broadcast: return 1
        }
    }

    /// Algorithms modelled for this collective; the first is the default.
    public var algorithms: [CollectiveAlgorithm] {
        switch self {
        case .allreduce: return [.ring, .doubleBinaryTree, .halvingDoubling, .recursiveDoubling]
        case .reducescatter, .allgather: return [.ring, .halvingDoubling]
        case .broadcast: return [.ring, .binomialTree]
        case .alltoall: return [.pairwise]
        }
    }
}

public enum CollectiveAlgorithm: String, CaseIterable, Sendable, Codable {
    case ring
    /// NCCL's Tree: two complementary binary trees, each carrying half the data.
    case doubleBinaryTree = "tree"
    /// Rabenseifner: recursive-halving reduce-scatter, then recursive-doubling all-gather.
    case halvingDoubling = "halving-doubling"
    case recursiveDoubling = "recursive-doubling"
    case binomialTree = "binomial-tree"
    case pairwise
}
