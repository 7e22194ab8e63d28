import FabricMetrics
import FabricCompare
import FabricStats
import Foundation

extension HealthReport {
    /// Judges a run two ways: against absolute limits, per link, worst first; and
    /// against its baseline (earlier runs), so that a link that got slower or a tail
    /// that grew is named even under the limits. Without `listPassing`, checks that
    /// pass are only counted (`passedUnlisted`), never built.
    public init(
        label: String, run: RunMetrics, linkBitsPerSecond: Double,
        baseline: [(label: String, values: [RunMetrics.Value])], config: HealthConfig, listPassing: Bool = true,
        switches: [FabricElementTotals] = []
    ) {
        var passed = 0
        var checks = HealthReport.thresholdChecks(run, linkBitsPerSecond: linkBitsPerSecond, config: config,
                                                  listPassing: listPassing, passed: &passed)
        checks += HealthReport.switchChecks(switches, config: config, listPassing: listPassing, passed: &passed)
        var notes: [String] = []
        if baseline.count >= 2 {
            checks += HealthReport.baselineChecks(run, baseline: baseline, config: config)
        } else {
            notes.append("no baseline yet: \(baseline.count) earlier run(s), 2 or more needed; only absolute limits were checked")
        }
        var topologyNotes: [String] = []
        checks += HealthReport.sharedHopChecks(run, checks: checks, config: config, notes: &topologyNotes)
        notes += topologyNotes
        // Worst first, links before the fabric, then by scope and name; the keys are
        // made once (a scope's name is built text, and a fleet has 10⁵ checks).
        let keys = checks.map { (status: $0.status, fabric: $0.src == nil, scope: $0.scopeName, name: $0.name) }
        let order = checks.indices.sorted { i, j in
            let a = keys[i], b = keys[j]
            if a.status != b.status { return a.status > b.status }
            if a.fabric != b.fabric { return b.fabric }
            return (a.scope, a.name, i) < (b.scope, b.name, j)
        }
        checks = order.map { checks[$0] }
        if !listPassing {
            passed += checks.filter { $0.status == .ok }.count
            checks.removeAll { $0.status == .ok }
        }
        // Whether any latency percentile had the samples to be judged: a few packets
        // pass every check they can have, which is not the same as a healthy fabric.
        let latencyJudged = run.values.contains { value in
            value.metric.quantile.map { (run.latencySamples[value.scope] ?? 0) >= $0.minimumSamples } ?? false
        }
        if !latencyJudged {
            notes.append("no latency check ran: no link or fabric had the request→ACK samples a percentile needs "
                + "(20 for p50, 100 for p99); capture longer, or more traffic")
        }
        self.init(label: label, status: checks.map(\.status).max() ?? .ok, baseline: baseline.map(\.label),
                  checks: checks, passedUnlisted: passed, notes: notes)
        self.latencyJudged = latencyJudged
        self.topologyNotes = topologyNotes
    }

    /// Without `listPassing`, passing checks are counted in `passed` instead of built.
    static func thresholdChecks(
        _ run: RunMetrics, linkBitsPerSecond: Double, config: HealthConfig, listPassing: Bool, passed: inout Int
    ) -> [Check] {
        var checks: [Check] = []
        // What each metric's values need, looked up once per metric, not per value (a
        // run of 10⁵ links has 10⁶ values): the name its limit is under, which way is
        // better, the samples a quantile needs, and the limit when no link overrides it.
        let rules = CompareMetric.allCases.map { metric -> (name: String, better: MetricDirection, limit: HealthConfig.Limit?) in
            // The message rate is judged as a share of the link's speed.
            let name = metric == .messageRate ? Metrics.messageRateShare.name : metric.rawValue
            return (name, metric == .messageRate ? .higher : metric.better, config.thresholds[name])
        }
        let minimumSamples = CompareMetric.allCases.map { $0.quantile?.minimumSamples }
        let perSecond = CompareMetric.allCases.map { $0.unit == .perSecond }
        // A scope's values are side by side: its latency samples are looked up once.
        var samplesScope: Scope?, samples = 0
        for value in run.values {
            let metric = value.metric.catalogIndex
            if let minimum = minimumSamples[metric] {
                if value.scope != samplesScope {
                    samplesScope = value.scope
                    samples = run.latencySamples[value.scope] ?? 0
                }
                if samples < minimum { continue }
            }
            // Events per second (CNPs, NAKs) add up over links: a fabric of 64 healthy
            // links each at a tenth of the limit read as 6× over it. Their limits are a
            // link's; the fabric is as bad as its worst link (the baseline check still
            // holds the fabric's total against earlier nights).
            if perSecond[metric], value.scope == .fabric { continue }
            let (name, better) = (rules[metric].name, rules[metric].better)
            let measured = value.metric == .messageRate ? value.value / linkBitsPerSecond : value.value
            guard let limit = config.links.isEmpty ? rules[metric].limit
                : config.limit(name, source: value.scope.source, destination: value.scope.destination) else { continue }
            let crosses = { (bound: Double?) -> Bool in
                guard let bound else { return false }
                return better == .lower ? measured > bound : measured < bound
            }
            let status: Status = crosses(limit.fail) ? .fail : crosses(limit.warn) ? .warn : .ok
            if status == .ok, !listPassing {
                passed += 1
                continue
            }
            let reference = status == .fail ? limit.fail : limit.warn ?? limit.fail
            checks.append(Check(
                name: "threshold/" + name, scope: value.scope.kind, src: value.scope.source,
                dst: value.scope.destination, status: status, value: measured, reference: reference,
                message: HealthAdvice.threshold(metric: value.metric, status: status, value: measured, limit: reference,
                                                scope: value.scope, linkBitsPerSecond: linkBitsPerSecond)))
        }
        if let limit = config.thresholds[Metrics.pfcStorms.name] {
            let storms = Double(run.pauseStorms)
            let status: Status = limit.fail.map { storms > $0 } == true ? .fail : limit.warn.map { storms > $0 } == true ? .warn : .ok
            checks.append(Check(
                name: Metrics.pfcStorms.name, scope: "fabric", src: nil, dst: nil, status: status, value: storms,
                reference: limit.fail ?? limit.warn,
                message: status == .ok ? "No PFC pause storm."
                    : "\(run.pauseStorms) PFC pause storm(s): \(Metrics.pfcStorms.advice!)."))
        }
        if let check = captureIntegrityCheck(run, config: config) { checks.append(check) }
        checks += fabricFindingChecks(run, config: config)
        return checks
    }

    /// Each metric and scope of tonight against the same in the baseline runs: is
    /// tonight's value one the baseline would produce? A t prediction interval on
    /// the log scale (a new observation against n earlier ones: se = s·√(1 + 1/n),
    /// n − 1 degrees of freedom), Benjamini–Hochberg over all of the run's tests,
    /// then the margins: significant and beyond `warnMargin` in the bad direction
    /// warns, beyond `failMargin` fails.
    static func baselineChecks(
        _ run: RunMetrics, baseline: [(label: String, values: [RunMetrics.Value])], config: HealthConfig
    ) -> [Check] {
        struct Test { var value: RunMetrics.Value; var reference: Double; var change: Double; var p: Double; var runs: Int }
        var tests: [Test] = []
        // Each night's values by metric and scope: looking each up by a scan was
        // quadratic (5,000 links and three baseline nights: about 35 s).
        let nights = baseline.map { night in
            Dictionary(night.values.map { (MetricKey(metric: $0.metric, scope: $0.scope), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        for value in run.values {
            // A tail quantile compared night to night needs at least 5 samples beyond it
            // (p99: 500, p99.9: 5,000): with fewer it is one of the few largest
            // values, whose spread from night to night is far from the normal
            // distribution the test assumes (seen: p99.9 of 2,400 samples).
            if let quantile = value.metric.quantile,
               Double(run.latencySamples[value.scope] ?? 0) < max(Double(quantile.minimumSamples), 5 / (1 - quantile.q)) { continue }
            let key = MetricKey(metric: value.metric, scope: value.scope)
            let history = nights.compactMap { $0[key] }
            // Zero in the baseline (no CE marks, no NAKs): a ratio means nothing; the
            // absolute limits judge it.
            guard history.count >= 2, history.allSatisfy({ $0 > 0 }), value.value > 0 else { continue }
            let logs = history.map { log($0) }, n = Double(logs.count)
            let mean = logs.reduce(0, +) / n
            // Values read from sketch buckets are only known to within half a bucket;
            // nights that read the same bucket are not evidence of zero spread.
            let reading = value.metric.quantile != nil || value.metric == .messageRate
                ? log(exp2(0.5 / Double(LogSketch.bucketsPerOctave))) : 0
            let sd = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) + reading * reading).squareRoot()
            let distance = log(value.value) - mean
            let p = sd > 0 ? StudentT.twoSidedP(t: distance / (sd * (1 + 1 / n).squareRoot()), df: n - 1)
                : (abs(distance) < 1e-12 ? 1 : 0)
            tests.append(Test(value: value, reference: exp(mean), change: exp(distance) - 1, p: p, runs: logs.count))
        }
        let adjusted = BenjaminiHochberg.adjust(tests.map(\.p))
        return zip(tests, adjusted).map { test, adjusted in
            let p = adjusted ?? 1
            let worse = test.value.metric.better == .lower ? test.change > 0 : test.change < 0
            let size = abs(test.change)
            let status: Status = p <= config.alpha && worse
                ? (size >= config.failMargin ? .fail : size >= config.warnMargin ? .warn : .ok) : .ok
            return Check(
                name: "baseline/" + test.value.metric.rawValue, scope: test.value.scope.kind,
                src: test.value.scope.source, dst: test.value.scope.destination, status: status, value: test.value.value,
                reference: test.reference,
                message: HealthAdvice.baseline(metric: test.value.metric, status: status, change: test.change,
                                               value: test.value.value, reference: test.reference, runs: test.runs,
                                               p: p, significant: p <= config.alpha, scope: test.value.scope),
                bytesPerRank: test.value.scope.periodKey.flatMap { Int($0) })
        }
    }
}

/// A metric in one scope: what a night's values are looked up by.
private struct MetricKey: Hashable {
    var metric: CompareMetric
    var scope: Scope
}
