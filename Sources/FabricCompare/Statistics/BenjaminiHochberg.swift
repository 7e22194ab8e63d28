/// Benjamini–Hochberg adjusted p-values: with many links × metrics tested at once,
/// rejecting where the adjusted p ≤ α keeps the expected share of false discoveries
/// at most α (under independence or positive dependence), and the chance of any
/// false alarm at most α when nothing changed.
public enum BenjaminiHochberg {
    /// Adjusted p-values in the order given; nil entries (untested) stay nil and do
    /// not count as tests.
    public static func adjust(_ pValues: [Double?]) -> [Double?] {
        let tested = pValues.enumerated().compactMap { index, p in p.map { (index, $0) } }
        let m = Double(tested.count)
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        var running = 1.0
        for (rank, (index, p)) in tested.sorted(by: { $0.1 > $1.1 }).enumerated() {
            let k = m - Double(rank)  // 1-based rank from the smallest
            running = min(running, p * m / k)
            adjusted[index] = min(1, running)
        }
        return adjusted
    }
}
