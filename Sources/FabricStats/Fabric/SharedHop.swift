import FabricMetrics
import FabricWire
import Foundation

/// The switch or port that degraded links have in common, and how unlikely that is by
/// chance: "5 of 6 degraded links cross leaf3; no healthy link does".
///
/// Every switch and port a link certainly crosses (`FabricTopology.path`) is a
/// candidate. For one crossed by m of the N placed links, the number of the n degraded
/// links among them would be hypergeometric if degradation fell on links at random;
/// the chance of k or more is the tail. The candidate with the most degraded links
/// (then the smallest chance) is named when that chance, times the number of
/// candidates (Bonferroni), is under 1 %.
public struct SharedHop: Sendable, Equatable {
    public var element: FabricElement
    /// Degraded links crossing it, of all degraded links placed.
    public var degradedCrossing: Int
    public var degraded: Int
    /// Links crossing it, of all links placed.
    public var crossing: Int
    public var links: Int
    /// The chance of as many degraded links crossing it by chance, times the candidates.
    public var chance: Double
    public var candidates: Int

    /// Links are (source, destination) pairs; `degraded` those a check warned or failed.
    public static func find(links: [QosObservation.LinkKey], degraded: Set<QosObservation.LinkKey>,
                            topology: FabricTopology) -> SharedHop? {
        var crossing: [FabricElement: (all: Int, degraded: Int)] = [:]
        var placed = 0, placedDegraded = 0
        let paths = FabricTopology.Paths(topology)
        for link in links {
            guard let path = paths.path(from: link.source, to: link.destination) else { continue }
            let bad = degraded.contains(link)
            placed += 1
            if bad { placedDegraded += 1 }
            for element in Set(path) {
                crossing[element, default: (0, 0)].all += 1
                if bad { crossing[element]!.degraded += 1 }
            }
        }
        guard placedDegraded >= 2 else { return nil }
        var best: SharedHop?
        for (element, count) in crossing where count.degraded >= 2 {
            let p = SharedHop.upperTail(k: count.degraded, population: placed, successes: count.all, draws: placedDegraded)
            let candidate = SharedHop(element: element, degradedCrossing: count.degraded, degraded: placedDegraded,
                                      crossing: count.all, links: placed, chance: min(1, p * Double(crossing.count)),
                                      candidates: crossing.count)
            if let current = best {
                let better = (candidate.degradedCrossing, -candidate.chance, current.element) > (current.degradedCrossing, -current.chance, candidate.element)
                if better { best = candidate }
            } else {
                best = candidate
            }
        }
        guard let best, best.chance < 0.01 else { return nil }
        return best
    }

    /// P(X ≥ k) for X hypergeometric: `draws` from `population` holding `successes`.
    static func upperTail(k: Int, population: Int, successes: Int, draws: Int) -> Double {
        func logChoose(_ n: Int, _ r: Int) -> Double {
            guard r >= 0, r <= n else { return -.infinity }
            return lgamma(Double(n + 1)) - lgamma(Double(r + 1)) - lgamma(Double(n - r + 1))
        }
        let total = logChoose(population, draws)
        var sum = 0.0
        for x in k...min(successes, draws) {
            sum += exp(logChoose(successes, x) + logChoose(population - successes, draws - x) - total)
        }
        return min(1, sum)
    }

    /// "5 of 6 degraded links cross leaf3 (9 links cross it: 4 healthy); by chance 1 in 3.2e+05 …".
    public var message: String { describe(degraded: "degraded links", healthy: "healthy link") }

    /// The same in other words for the links (compare: "links that got worse", "link that held").
    public func describe(degraded: String, healthy: String) -> String {
        let others = crossing - degradedCrossing
        return "\(degradedCrossing) of \(self.degraded) \(degraded) cross \(element.name) ("
            + (others == 0 ? "no \(healthy) does" : "\(others) \(healthy)(s) do too") + "): "
            + "by chance, \(String(format: "%.1e", chance)) over \(candidates) switches and ports"
    }
}
