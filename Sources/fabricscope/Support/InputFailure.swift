import FabricCompare
import FabricHealth
import FabricHistory
import FabricIngest
import FabricStats
import FabricSynth

/// A failure the user's input caused — a file that cannot be read, a history without
/// the run asked for, a config with a typo — whose description already names the file
/// and what is wrong. `Entry` prints it after "fabricscope: " and exits 2 (tshark's
/// convention), so commands let these propagate instead of re-wrapping each one.
/// Every library's error type is listed here, once.
protocol InputFailure: Error, CustomStringConvertible {}

extension UsageFailure: InputFailure {}
extension CaptureError: InputFailure {}
extension SummaryReadError: InputFailure {}
extension SummaryMergeError: InputFailure {}
extension SummaryValidationError: InputFailure {}
extension CompareError: InputFailure {}
extension HistoryError: InputFailure {}
extension HealthError: InputFailure {}
extension ScenarioError: InputFailure {}
extension QosIntentError: InputFailure {}
extension TopologyError: InputFailure {}
