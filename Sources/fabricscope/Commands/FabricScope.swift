import FabricModels
import ArgumentParser

struct FabricScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fabricscope",
        abstract: "Per-queue-pair bandwidth, latency and congestion from RDMA (RoCE/InfiniBand) captures.",
        version: "0.1.0",
        subcommands: [Analyze.self, Compare.self, Merge.self, Model.self, Report.self, History.self, Health.self, Nightly.self, Generate.self],
        defaultSubcommand: Analyze.self)
}
