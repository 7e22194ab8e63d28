import Foundation

/// Closed-form α-β costs of collectives (Thakur, Rabenseifner & Gropp, IJHPCA 2005,
/// as MPICH documents them; Patarasuk & Yuan 2009 for the ring; Sanders, Speck &
/// Träff 2009 for two trees). Reduction compute (γ) is not modelled: on GPUs it is
/// hidden behind the transfers.
public struct CollectiveCost: Sendable, Equatable, Codable {
    /// Sequential message steps on the critical path (each pays α once).
    public var steps: Int
    /// Bytes each rank sends on its critical path (each at B).
    public var bytesOnPath: Double
    public var latencyNs: Double
    public var bandwidthNs: Double
    public var totalNs: Double { latencyNs + bandwidthNs }
}

public enum AlphaBetaModel {
    /// The cost of `collective` with `algorithm` over `ranks` ranks, on links
    /// described by `link`. `bytes` is nccl-tests' size column S: the buffer for
    /// all-reduce and broadcast, the whole gathered/scattered array for all-gather and
    /// reduce-scatter, and each rank's send buffer for all-to-all.
    public static func cost(
        _ collective: Collective, _ algorithm: CollectiveAlgorithm, ranks: Int, bytes: Double, link: LinkParameters
    ) -> CollectiveCost {
        let n = Double(ranks)
        let lg = log2(n).rounded(.up)
        let share = (n - 1) / n
        let (steps, onPath): (Double, Double)
        switch (collective, algorithm) {
        case (.allreduce, .ring):
            (steps, onPath) = (2 * (n - 1), 2 * share * bytes)
        case (.allreduce, .doubleBinaryTree):
            // Reduce up and broadcast down, pipelined: 2·log2(n) latency steps, and
            // each tree carries half the data, so the full buffer crosses a link twice.
            (steps, onPath) = (2 * lg, 2 * bytes)
        case (.allreduce, .halvingDoubling):
            (steps, onPath) = (2 * lg, 2 * share * bytes)
        case (.allreduce, .recursiveDoubling):
            (steps, onPath) = (lg, lg * bytes)
        case (.reducescatter, .ring), (.allgather, .ring):
            (steps, onPath) = (n - 1, share * bytes)
        case (.reducescatter, .halvingDoubling), (.allgather, .halvingDoubling):
            (steps, onPath) = (lg, share * bytes)
        case (.broadcast, .ring):
            // Scatter then ring all-gather (van de Geijn).
            (steps, onPath) = (lg + n - 1, 2 * share * bytes)
        case (.broadcast, .binomialTree):
            (steps, onPath) = (lg, lg * bytes)
        case (.alltoall, .pairwise):
            (steps, onPath) = (n - 1, share * bytes)
        default:
            (steps, onPath) = (.nan, .nan)
        }
        return CollectiveCost(
            steps: steps.isNaN ? 0 : Int(steps), bytesOnPath: onPath,
            latencyNs: steps * link.latencyNs, bandwidthNs: link.transferNs(onPath))
    }

    /// Two-level all-reduce (intra-node reduce-scatter, inter-node all-reduce on
    /// 1/g of the data in g parallel rings, intra-node all-gather), as Horovod's
    /// hierarchical and Sony's 2D-torus all-reduce do.
    public static func hierarchicalAllReduce(
        gpusPerNode g: Int, nodes m: Int, bytes: Double, intra: LinkParameters, inter: LinkParameters
    ) -> CollectiveCost {
        let gd = Double(g), md = Double(m)
        let intraCost = CollectiveCost(
            steps: 2 * (g - 1), bytesOnPath: 2 * (gd - 1) / gd * bytes,
            latencyNs: 2 * (gd - 1) * intra.latencyNs, bandwidthNs: intra.transferNs(2 * (gd - 1) / gd * bytes))
        let interBytes = 2 * (md - 1) / md * bytes / gd
        return CollectiveCost(
            steps: intraCost.steps + 2 * (m - 1), bytesOnPath: intraCost.bytesOnPath + interBytes,
            latencyNs: intraCost.latencyNs + 2 * (md - 1) * inter.latencyNs,
            bandwidthNs: intraCost.bandwidthNs + inter.transferNs(interBytes))
    }

    /// algbw = S / t (bytes per second).
    public static func algorithmBandwidth(bytes: Double, timeNs: Double) -> Double { bytes / timeNs * 1e9 }
}
