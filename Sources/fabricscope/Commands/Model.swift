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

    @Option(name: .customLong("protocol"), help: ArgumentHelp(
        "NCCL protocol whose cost a stated --bandwidth pays: simple (default), ll128, ll, or ideal for the plain α-β model.",
        discussion: "Not with --from: a measured bandwidth already includes it."))
    var ncclProtocol: NCCLProtocol?

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

    /// Option checks before any work (ArgumentParser calls this after parsing).
    func validate() throws {
        if let algorithm, !collective.algorithms.contains(algorithm) {
            throw ValidationError("--algorithm for \(collective.rawValue) must be one of "
                + collective.algorithms.map(\.rawValue).joined(separator: ", "))
        }
        guard (2...1_048_576).contains(ranks) else { throw ValidationError("--ranks must be 2–1048576 (got \(ranks))") }
        guard format != .csv else { throw ValidationError("--format must be table or json (model has no CSV)") }
        if let gpusPerNode {
            guard collective == .allreduce, gpusPerNode >= 1, ranks % gpusPerNode == 0 else {
                throw ValidationError("--gpus-per-node: two-level all-reduce needs ranks divisible by it")
            }
        }
        _ = try Model.sizes(size)
        if source != nil, ncclProtocol != nil {
            throw ValidationError("--protocol applies to a stated --bandwidth; with --from the measured bandwidth already includes it")
        }
    }

    func run() throws {
        var request = ModelRequest(collective: collective, algorithm: algorithm ?? collective.algorithms[0], ranks: ranks,
                                   sizes: try Model.sizes(size),
                                   link: LinkParameters(latencyNs: latency.value, bytesPerSecond: bandwidth.value / 8))
        request.protocol = ncclProtocol ?? .simple
        if let source {
            request.protocol = .ideal
            let estimate = try Model.estimate(from: try input.summary(of: [source], timeSeries: false), path: source)
            request.link = estimate.link
            request.jitter = estimate.jitter
            request.estimation = estimate.method
        }
        if let gpusPerNode {
            request.twoLevel = (gpusPerNode, LinkParameters(latencyNs: intraLatency.value, bytesPerSecond: intraBandwidth.value / 8))
        }
        request.seed = seed
        let report = ModelReport(request)
        try OutputFile(path: nil, force: false).write(format == .json ? try report.jsonText() : report.tableText())
    }

    /// One size, or MIN:MAX in powers of two (at most 64 sizes), each with its unit.
    static func sizes(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { throw ValidationError("--size: cannot read '\(text)' (try 256MiB or 1KiB:1GiB)") }
        let bounds: [Double]
        do { bounds = try parts.map { try QuantityArgument.messageSize($0).value } } catch {
            throw ValidationError("--size: \(error)")
        }
        guard bounds.count == 2 else { return bounds }
        guard bounds[1] >= bounds[0] else { throw ValidationError("--size: the range '\(text)' must go from small to large") }
        return ModelRequest.sweep(from: bounds[0], to: bounds[1])
    }

    static func estimate(from summary: AnalysisSummary, path: String) throws -> LinkEstimate {
        guard let estimate = LinkEstimate(summary: summary) else {
            throw UsageFailure("\(path): no request→ACK latency samples and flow throughput to estimate the link from")
        }
        return estimate
    }
}
