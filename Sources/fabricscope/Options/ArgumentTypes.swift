import ArgumentParser
import FabricModels
import FabricReport
import FabricSynth

// The library's choice types as command-line arguments: ArgumentParser lists their
// values in the help, completes them, and refuses anything else with that list, so
// no command validates these strings by hand. (The types belong to
// FabricReport, FabricModels and FabricSynth, which do not depend on ArgumentParser; the same
// package, so not retroactive.)
extension OutputFormat: ExpressibleByArgument {}
extension AnalysisDocument.FlowOrder: ExpressibleByArgument {}
extension Collective: ExpressibleByArgument {}
extension CollectiveAlgorithm: ExpressibleByArgument {}
extension NCCLProtocol: ExpressibleByArgument {}
extension RingAllReduceScenario.RingCollective: ExpressibleByArgument {}
