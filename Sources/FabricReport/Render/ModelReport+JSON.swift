import FabricModels
import Foundation

extension ModelReport {
    /// The `model -T json` contract: keys sorted, one object, a final line feed.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
