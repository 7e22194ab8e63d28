import Foundation

extension AnalysisSummary {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The summary as one line of JSON (keys sorted).
    public func jsonText() throws -> String {
        String(decoding: try AnalysisSummary.encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads a summary written by `jsonText()`; the error names the file and the problem.
    public static func read(path: String) throws(SummaryReadError) -> AnalysisSummary {
        let data: Data
        do {
            data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SummaryReadError(path: path, problem: "cannot read: \(error.localizedDescription)")
        }
        return try decode(data, path: path)
    }

    /// Reads a summary from its JSON, checked (`validate()`) before it is returned;
    /// the error names `path` and the problem.
    public static func decode(_ data: Data, path: String) throws(SummaryReadError) -> AnalysisSummary {
        let decoder = JSONDecoder()
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? decoder.decode(Header.self, from: data), header.format == formatName else {
            throw SummaryReadError(path: path, problem: "not a FabricScope summary (write one with analyze --summary-out)")
        }
        guard header.version == currentVersion else {
            throw SummaryReadError(path: path, problem: "summary version \(header.version ?? -1) is not supported "
                + "(this FabricScope reads version \(currentVersion))")
        }
        let summary: AnalysisSummary
        do {
            summary = try decoder.decode(AnalysisSummary.self, from: data)
        } catch {
            throw SummaryReadError(path: path, problem: "damaged summary: \(error)")
        }
        do { try summary.validate() } catch {
            throw SummaryReadError(path: path, problem: "damaged summary: \(error.description)")
        }
        return summary
    }
}

/// A summary file that cannot be used.
public struct SummaryReadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}
