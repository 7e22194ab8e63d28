extension RingAllReduceGenerator {
    /// Largest piece of a tree's half that moves as one message (NCCL pipelines a tree
    /// in chunks, so that a level can forward one while receiving the next).
    static let treeChunkBytes = 512 * 1024

    /// A tree all-reduce (NCCL's double binary tree): each tree carries half of the
    /// buffer; per chunk, every level writes to its parent (reduce, deepest first),
    /// then every parent writes to its children (broadcast, root first). Both trees
    /// run in the same steps, on their own connections.
    mutating func runTree(_ emit: (Int64, Frame) throws -> Void) rethrows -> GroundTruth {
        let tree = DoubleBinaryTree(ranks: scenario.ranks)
        let qps = scenario.queuePairsPerConnection
        var index: [[Int]: Int] = [:]
        for (position, edge) in tree.directedEdges.enumerated() { index[[edge.tree, edge.from, edge.to]] = position * qps }
        let depths = (0..<2).map { t in (0..<scenario.ranks).map { tree.depth(of: $0, tree: t) } }
        let deepest = depths.flatMap { $0 }.max() ?? 0
        let half = max(1, scenario.bufferBytes / 2)
        let chunks = stride(from: 0, to: half, by: RingAllReduceGenerator.treeChunkBytes)
            .map { min(RingAllReduceGenerator.treeChunkBytes, half - $0) }
        // Each step: the writes (tree, from, to) that go at once.
        var steps: [[(Int, Int, Int)]] = []
        for level in stride(from: deepest, through: 1, by: -1) {
            steps.append((0..<2).flatMap { t in
                (0..<scenario.ranks).filter { depths[t][$0] == level }.map { (t, $0, tree.parents[t][$0]!) }
            })
        }
        for level in 0..<deepest {
            steps.append((0..<2).flatMap { t in
                (0..<scenario.ranks).filter { depths[t][$0] == level + 1 }.map { (t, tree.parents[t][$0]!, $0) }
            })
        }
        var time = scenario.startNs
        for iteration in 0..<scenario.iterations {
            if iteration > 0 { time += scenario.iterationGapNs }
            for chunk in chunks {
                for step in steps {
                    var stepEnd = time
                    for (t, from, to) in step {
                        let first = index[[t, from, to]]!
                        let offset = Int64(random.next() % UInt64(200))
                        for q in 0..<qps {
                            stepEnd = max(stepEnd, sendMessage(connection: first + q, startNs: time + offset + Int64(q) * 7,
                                                               bytes: max(1, chunk / qps)))
                        }
                    }
                    time = stepEnd + RingAllReduceGenerator.stepComputeNs
                    try flush(before: time, emit)
                }
            }
        }
        return try finish(emit)
    }
}
