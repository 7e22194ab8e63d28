import FabricStats

extension AnalysisDocument {
    /// Which entries of a per-host or per-host-pair list a report bounded by `--top`
    /// keeps, so that the bound means the same in every section (flows, ECMP host
    /// pairs, QoS hosts): a fleet's night has 10⁵ hosts, and a report asked for its
    /// hundred largest flows wrote all of them (23 MB of JSON at 10⁵ flows, 96 % of it
    /// the two host lists).
    enum Listing {
        /// The `limit` largest by `bytes`, largest first; ties keep the list's order.
        static func largestFirst(count: Int, limit: Int, bytes: (Int) -> Int) -> [Int] {
            let sizes = (0..<count).map(bytes)
            let order = (0..<count).sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
            return Array(order.prefix(max(0, limit)))
        }

        /// The first `limit` with those `named` first (in the list's order), then the
        /// rest (in the list's order).
        static func namedFirst(count: Int, limit: Int, isNamed: (Int) -> Bool) -> [Int] {
            var named: [Int] = [], others: [Int] = []
            for index in 0..<count {
                if isNamed(index) { named.append(index) } else if others.count < limit { others.append(index) }
            }
            return Array((named + others).prefix(max(0, limit)))
        }
    }
}

extension AnalysisDocument.EcmpSection {
    /// The `limit` host pairs that carried the most wire bytes, largest first (ties in
    /// address order); the findings still cover every pair.
    func keepingFirst(_ limit: Int) -> Self {
        var copy = self
        let kept = AnalysisDocument.Listing.largestFirst(count: hostPairs.count, limit: limit) { index in
            hostPairs[index].sourcePorts.reduce(0) { $0 + $1.wireBytes }
        }
        copy.hostPairs = kept.map { hostPairs[$0] }
        copy.hostPairsLeftOut += hostPairs.count - kept.count
        return copy
    }
}

extension AnalysisDocument.QosSection {
    /// The first `limit` hosts: those a finding names first, then the others, each in
    /// address order; the findings still cover every host.
    func keepingFirst(_ limit: Int) -> Self {
        var copy = self
        let named = Set(findings.compactMap(\.host))
        let kept = AnalysisDocument.Listing.namedFirst(count: hosts.count, limit: limit) { named.contains(hosts[$0].host) }
        copy.hosts = kept.map { hosts[$0] }
        copy.hostsLeftOut += hosts.count - kept.count
        return copy
    }
}
