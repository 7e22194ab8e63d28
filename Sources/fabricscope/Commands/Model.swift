import FabricModels
import ArgumentParser
import FabricIngest
import FabricReport
import FabricStats
import Foundation

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "What a fabric costs a collective: α-β time, algbw/busbw, and the tail that jitter adds.",
        discussion: """
            Plan without a capture (--bandwidth, --latency), or take the link and its jitter from \
            measured flows (--from a summary or a capture). Sizes follow nccl-tests: the buffer for \
            all-reduce and broadcast, the whole array for all-gather and reduce-scatter. A range \
            (--size 1KiB:1GiB) sweeps powers of two, printed in nccl-tests' columns.
            """)

    @Option(help: "allreduce, reducescatter, allgather, broadcast or alltoall.")
    var collective: Collective = .allreduce

    @Option(help: "ring, tree, halving-doubling, recursive-doubling, binomial-tree or pairwise.")
    var algorithm: CollectiveAlgorithm?

    @Option(help: "Number of ranks (GPUs), 2–1048576.") var ranks = 8

    @Option(help: "Message size, or a range MIN:MAX swept in powers of two (e.g. 1KiB:1GiB).")
    var size = "256MiB"

    @Option(parsing: .unconditional, help: "Per-rank link bandwidth, e.g. 400Gbps.", transform: QuantityArgument.linkSpeed)
    var bandwidth = QuantityArgument(value: 400e9, text: "400Gbps")

    @Option(parsing: .unconditional, help: "Per-message latency α, e.g. 5us.", transform: QuantityArgument.delay)
    var latency = QuantityArgument(value: 5_000, text: "5us")

    @Option(name: .customLong("from"), help: "Take α, B and the jitter from a summary (JSON) or a capture.")
    var source: String?

    @Option(name: .customLong("gpus-per-node"), help: "Two-level all-reduce: GPUs per node (ranks = nodes × this).")
    var gpusPerNode: Int?

    @Option(name: .customLong("intra-bandwidth"), parsing: .unconditional, help: "Two-level: intra-node bandwidth per GPU.",
            transform: QuantityArgument.linkSpeed)
    var intraBandwidth = QuantityArgument(value: 3600e9, text: "3600Gbps")

    @Option(name: .customLong("intra-latency"), parsing: .unconditional, help: "Two-level: intra-node latency.",
            transform: QuantityArgument.delay)
    var intraLatency = QuantityArgument(value: 1_000, text: "1us")

    @Option(help: "Random seed of the Monte Carlo.") var seed: UInt64 = 1

    @Option(name: [.customShort("T"), .long], help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup(title: "Reading --from a capture") var input: InputOptions

    func run() throws {
        let operation = collective
        if let algorithm, !operation.algorithms.contains(algorithm) {
            throw UsageFailure("--algorithm for \(collective.rawValue) must be one of "
                + operation.algorithms.map(\.rawValue).joined(separator: ", "))
        }
        let chosen = algorithm ?? operation.algorithms[0]
        guard (2...1_048_576).contains(ranks) else { throw UsageFailure("--ranks must be 2–1048576 (got \(ranks))") }
        guard format != .csv else { throw UsageFailure("--format must be table or json (model has no CSV)") }
        let sizes = try Model.sizes(size)

        var link: LinkParameters
        var jitter: JitterDistribution?
        var estimation: [String] = []
        if let source {
            let estimate = try Model.estimate(from: try input.summary(of: [source], timeSeries: false), path: source)
            link = estimate.link
            jitter = estimate.jitter
            estimation = estimate.method
        } else {
            link = LinkParameters(latencyNs: latency.value, bytesPerSecond: bandwidth.value / 8)
        }
        var hierarchy: String?
        var intra: LinkParameters?
        if let gpusPerNode {
            guard operation == .allreduce, gpusPerNode >= 1, ranks % gpusPerNode == 0 else {
                throw UsageFailure("--gpus-per-node: two-level all-reduce needs ranks divisible by it")
            }
            intra = LinkParameters(latencyNs: intraLatency.value, bytesPerSecond: intraBandwidth.value / 8)
            hierarchy = "\(ranks / gpusPerNode) nodes × \(gpusPerNode) GPUs: intra-node reduce-scatter, inter-node "
                + "all-reduce on 1/\(gpusPerNode) of the data, intra-node all-gather"
        }
        var model = jitter.map { CompletionModel(jitter: $0) }
        model?.seed = seed
        let rows = sizes.map { bytes -> ModelReport.Row in
            let cost = intra.map {
                AlphaBetaModel.hierarchicalAllReduce(gpusPerNode: gpusPerNode!, nodes: ranks / gpusPerNode!, bytes: bytes,
                                                     intra: $0, inter: link)
            } ?? AlphaBetaModel.cost(operation, chosen, ranks: ranks, bytes: bytes, link: link)
            let completion = intra == nil ? model?.evaluate(operation, chosen, ranks: ranks, bytes: bytes, link: link) : nil
            return ModelReport.Row(size: bytes, cost: cost, collective: operation, ranks: ranks, completion: completion)
        }
        var notes = ["Rates are bits per second in JSON and GB/s (10^9 bytes) in the table, as nccl-tests prints them."]
        if jitter != nil {
            notes.append("Completion: Monte Carlo of the ring's step dependencies where the algorithm is a ring; "
                + "otherwise the barrier bound (every step waits for the slowest of the ranks).")
            if chosen == .ring, rows.contains(where: { $0.completionNs?.method == "barrier" }) {
                notes.append("At \(ranks) ranks the ring's Monte Carlo (ranks × steps per replication) is beyond its "
                    + "work budget: the barrier bound is given instead, an upper bound on the expected time.")
            }
        }
        let report = ModelReport(
            collective: operation, algorithm: chosen, ranks: ranks, latencyNs: link.latencyNs,
            bandwidthBps: link.bytesPerSecond * 8, hierarchy: hierarchy, estimation: estimation, notes: notes,
            results: rows)
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(report.tableText().utf8))
        }
    }

    /// One size, or MIN:MAX in powers of two (at most 64 sizes), each with its unit.
    static func sizes(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { throw UsageFailure("--size: cannot read '\(text)' (try 256MiB or 1KiB:1GiB)") }
        let bounds: [Double]
        do { bounds = try parts.map { try QuantityArgument.messageSize($0).value } } catch {
            throw UsageFailure("--size: \(error)")
        }
        guard bounds.count == 2 else { return bounds }
        guard bounds[1] >= bounds[0] else { throw UsageFailure("--size: the range '\(text)' must go from small to large") }
        var sizes: [Double] = []
        var current = bounds[0]
        while current <= bounds[1], sizes.count < 64 {
            sizes.append(current)
            current *= 2
        }
        return sizes
    }

    static func estimate(from summary: AnalysisSummary, path: String) throws -> LinkEstimate {
        guard let estimate = LinkEstimate(summary: summary) else {
            throw UsageFailure("\(path): no request→ACK latency samples and flow throughput to estimate the link from")
        }
        return estimate
    }
}
