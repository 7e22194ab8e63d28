import FabricMetrics
import FabricModels
import FabricStats

extension Comparison {
    /// Compares the runs of two sides. One run a side: its time blocks are the units;
    /// several: the runs are.
    public init(
        baseline: [AnalysisSummary], baselineFiles: [String],
        candidate: [AnalysisSummary], candidateFiles: [String],
        options: CompareOptions = CompareOptions()
    ) throws(CompareError) {
        guard !baseline.isEmpty, !candidate.isEmpty else { throw CompareError("compare needs at least one run a side") }
        let sides = [baseline, candidate]
        var units: [SideUnits] = []
        for runs in sides {
            units.append(runs.count == 1 ? try SideUnits(run: runs[0], blocks: options.blocks) : try SideUnits(runs: runs))
        }
        let resolutions = sides.map { runs in runs.map(\.resolutionNs).max() ?? 1000 }
        func side(_ i: Int, files: [String]) -> Side {
            Side(files: files, units: units[i].kind, unitCount: units[i].unitCount, blockNs: units[i].blockNs,
                 resolutionNs: resolutions[i])
        }
        let rings = sides.map { runs in runs.map { RingFinding.find(in: $0).first } }
        self.init(verdict: .noChange, alpha: options.alpha, minEffect: options.minEffect, intervalLevel: 1 - options.alpha,
                  baseline: side(0, files: baselineFiles), candidate: side(1, files: candidateFiles),
                  workload: WorkloadCheck(units: units, rings: rings, tolerance: options.workloadTolerance).workload,
                  changes: [], notes: [])
        var pending: [(Change, WelchTest)] = []
        var missing: [CompareMetric: Int] = [:]
        let scopes = Set(units[0].units.keys).intersection(units[1].units.keys).sorted()
        for scope in scopes {
            let pair = units.map { $0.units[scope]! }
            guard scope == .fabric || pair.allSatisfy({ $0.contains { $0.requestPackets > 0 } }) else { continue }
            var metrics = CompareMetric.traffic
            let paused = pair.contains { $0.contains { $0.pausedNs > 0 } }
            if scope != .fabric || !paused { metrics.removeAll { $0 == .pfcPausedFraction } }
            let seed = options.seed ^ Comparison.stableHash(scope.name)
            let estimates = (0..<2).map { i in
                SideEstimate.estimates(pair[i], metrics: metrics, scope: scope, resolutionNs: resolutions[i],
                                       kind: units[i].kind, options: options, seed: seed)
            }
            for metric in metrics {
                guard let b = estimates[0][metric], let c = estimates[1][metric] else {
                    if metric.quantile != nil || metric == .messageRate { missing[metric, default: 0] += 1 }
                    continue
                }
                let resolution = (metric.readError(of: b.value, resolutionNs: resolutions[0]),
                                  metric.readError(of: c.value, resolutionNs: resolutions[1]))
                pending.append(Comparison.change(scope, metric, b, c, resolution: resolution))
            }
        }
        let busy = Comparison.periods(rings)
        periods = busy.periods
        if busy.periods != nil {
            ringStraggler = rings.map { $0.first??.straggler.map { "\($0.source)→\($0.destination)" } }
        }
        if let note = busy.note { notes.append(note) }
        let certain = rings.allSatisfy { $0.allSatisfy { $0 == nil || $0!.iterationsCertain } }
        if !certain {
            notes.append("iteration time and efficiency not compared: the iteration count is uncertain in a run "
                + "(give --idle-gap, the pause between iterations)")
        }
        for metric in [CompareMetric.iterationTime, .collectiveEfficiency] where certain {
            let values = rings.map { runs in
                runs.compactMap { finding -> Double? in
                    guard let finding else { return nil }
                    return metric == .iterationTime ? finding.iterationNs.map(Double.init) : finding.model?.efficiency
                }
            }
            guard let b = SideEstimate.mean(of: values[0]), let c = SideEstimate.mean(of: values[1]) else { continue }
            var change = Comparison.change(.fabric, metric, b, c)
            if change.1.pValue == nil {
                change.0.note = "one value a side: give several runs (--baseline/--candidate) to test the collective"
            }
            pending.append(change)
        }
        let adjusted = BenjaminiHochberg.adjust(pending.map(\.1.pValue))
        // False-coverage-rate intervals (Benjamini & Yekutieli 2005): with R of m
        // tests rejected, every interval at level 1 − max(R, 1)·α/m. They agree with
        // the Benjamini–Hochberg decisions: an interval excludes 0 exactly when its
        // test is rejected.
        let tested = adjusted.compactMap { $0 }.count
        let rejected = adjusted.filter { ($0 ?? 1) <= options.alpha }.count
        let level = tested > 0 ? 1 - Double(max(rejected, 1)) * options.alpha / Double(tested) : 1 - options.alpha
        intervalLevel = level
        for (index, (change, test)) in pending.enumerated() {
            var change = change
            change.pAdjusted = adjusted[index]
            if let interval = test.interval(level: level) {
                change.ciLow = interval.low
                change.ciHigh = interval.high
            }
            // Rejected, beyond the margin, and not within the values' reading error
            // (the interval, widened by it, must exclude no change).
            let excludesZero = change.ciLow.map { $0 > 0 || change.ciHigh! < 0 } ?? true
            change.significant = (adjusted[index] ?? 1) <= options.alpha && excludesZero
                && abs(test.relativeChange ?? .infinity) >= options.minEffect
            if change.significant {
                let increased = change.candidate > change.baseline
                change.assessment = increased == (change.better == .higher) ? .better : .worse
            } else if let detectable = test.detectable(level: level), detectable > options.minEffect, change.note == nil {
                let factor = (detectable / options.minEffect) * (detectable / options.minEffect)
                let times = !factor.isFinite || factor >= 1e6 ? "over a million" : factor >= 10 ? String(Int(factor.rounded()))
                    : String((factor * 10).rounded() / 10)
                change.detectable = detectable
                change.note = "too little data: only changes of ±\(Comparison.percent(detectable)) or more can be "
                    + "detected; ±\(Comparison.percent(options.minEffect)) needs about \(times)× as much traffic a side "
                    + "(longer captures, or more runs)"
            }
            changes.append(change)
        }
        changes.sort(by: Comparison.worstFirst)
        let worse = changes.contains { $0.assessment == .worse }, better = changes.contains { $0.assessment == .better }
        verdict = worse && better ? .mixed : worse ? .regression : better ? .improvement : .noChange
        if workload.sharedLinks == 0 { verdict = .notComparable }
        for (index, runs) in sides.enumerated() where runs.contains(where: \.lacksWindowLatencies) {
            notes.append("the \(index == 0 ? "baseline" : "candidate") has summaries written before per-window "
                + "latencies were kept: request→ACK latency and the rate within messages are not compared "
                + "(analyze its captures again)")
            missing = [:]
        }
        for (metric, count) in missing.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let need = metric.quantile.map { "fewer than \($0.minimumSamples) request→ACK samples" }
                ?? "fewer than 10 gaps within messages, or gaps under 10 timestamp ticks"
            notes.append("\(metric.rawValue) not compared in \(count) scope(s): \(need) on a side")
        }
    }

    private static func change(
        _ scope: Scope, _ metric: CompareMetric, _ b: SideEstimate, _ c: SideEstimate,
        resolution: (Double, Double) = (0, 0)
    ) -> (Change, WelchTest) {
        let test = WelchTest(baseline: b, candidate: c, resolution: resolution)
        let change = Change(
            scope: scope.kind, src: scope.source, dst: scope.destination, metric: metric,
            better: metric.better, baseline: b.value, candidate: c.value, relativeChange: test.relativeChange,
            ciLow: nil, ciHigh: nil, pValue: test.pValue, pAdjusted: nil, significant: false,
            assessment: .unchanged, detectable: nil, note: nil, bytesPerRank: scope.periodKey.flatMap { Int($0) })
        return (change, test)
    }

    /// Significant changes for the worse first, then for the better, then the rest;
    /// within each, the largest relative change first.
    static func worstFirst(_ a: Change, _ b: Change) -> Bool {
        func rank(_ change: Change) -> Int {
            switch change.assessment { case .worse: 0; case .better: 1; case .unchanged: 2 }
        }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        let sizeA = abs(a.relativeChange ?? .infinity), sizeB = abs(b.relativeChange ?? .infinity)
        if sizeA != sizeB { return sizeA > sizeB }
        return (a.scope, a.src ?? "", a.dst ?? "", a.metric.rawValue) < (b.scope, b.src ?? "", b.dst ?? "", b.metric.rawValue)
    }

    public static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        guard value.isFinite, abs(value) < 1e12 else { return value.isNaN ? "? %" : "over 10¹² %" }
        return value >= 10 ? "\(Int(value.rounded())) %" : "\((value * 10).rounded() / 10) %"
    }

    /// FNV-1a: a seed per scope that is the same on every machine and run.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

extension AnalysisSummary {
    /// A summary from before per-window latency sketches: its flows have request→ACK
    /// samples but its windows hold none.
    var lacksWindowLatencies: Bool {
        flows.contains { flow in
            (flow.requester?.ackLatency.count ?? 0) > 0
                && !(flow.timeSeries?.windows.contains { !$0.ackLatency.isEmpty } ?? false)
        }
    }
}
