import FabricJSON
import Foundation

extension AnalysisSummary {
    /// The summary as one line of JSON (keys sorted), ending in a newline.
    public func jsonBytes() throws -> [UInt8] {
        var bytes = try StreamingJSONEncoder().encode(self)
        bytes.append(0x0a)
        return bytes
    }

    /// `jsonBytes()`, handed to `sink` in pieces as they are made (the flows a wave
    /// at a time), so that the whole text is never in memory: a 10⁵-flow summary is
    /// 260 MB. After an error, what reached `sink` is incomplete.
    public func writeJSON(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try StreamingJSONEncoder().encode(self, into: sink)
        try withUnsafeBytes(of: UInt8(0x0a)) { try sink($0) }
    }

    public func jsonText() throws -> String { String(decoding: try jsonBytes(), as: UTF8.self) }

    /// Reads a summary written by `jsonText()`; the error names the file and the problem.
    /// The text is read straight into the decoder's memory, once.
    public static func read(path: String) throws(SummaryReadError) -> AnalysisSummary {
        try readParsed(path: path).summary
    }

    /// The same, with the text it was read from: a caller that stores the summary as it
    /// came (`history add` of one summary file) keeps that text instead of encoding
    /// the decoded summary again, which it would give back value for value. The text
    /// is made from the decoder's own copy: a 10⁵-flow summary is 260 MB.
    public static func readWithText(path: String) throws(SummaryReadError) -> (summary: AnalysisSummary, text: String) {
        let (summary, decoder) = try readParsed(path: path)
        return (summary, decoder.text)
    }

    private static func readParsed(path: String) throws(SummaryReadError) -> (summary: AnalysisSummary, decoder: TapeJSONDecoder) {
        let decoder: TapeJSONDecoder
        do {
            if path == "-" {
                decoder = try TapeJSONDecoder(parsing: [UInt8](FileHandle.standardInput.readDataToEndOfFile()))
            } else {
                decoder = try TapeJSONDecoder(parsingContentsOf: path)
            }
        } catch let error as TapeReadError {
            throw SummaryReadError(path: path, problem: "cannot read: \(error.description)")
        } catch {
            throw notASummary(path)
        }
        return (try decode(decoder, path: path), decoder)
    }

    /// Reads a summary from its JSON, checked (`validate()`) before it is returned;
    /// the error names `path` and the problem.
    public static func decode(_ data: Data, path: String) throws(SummaryReadError) -> AnalysisSummary {
        try decode(bytes: [UInt8](data), path: path)
    }

    /// The same from the JSON's bytes.
    public static func decode(bytes: [UInt8], path: String) throws(SummaryReadError) -> AnalysisSummary {
        guard let decoder = try? TapeJSONDecoder(parsing: bytes) else { throw notASummary(path) }
        return try decode(decoder, path: path)
    }

    /// From a parsed text.
    private static func decode(_ decoder: TapeJSONDecoder, path: String) throws(SummaryReadError) -> AnalysisSummary {
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? decoder.decode(Header.self), header.format == formatName else { throw notASummary(path) }
        guard let version = header.version, readableVersions.contains(version) else {
            throw SummaryReadError(path: path, problem: "summary version \(header.version ?? -1) is not supported "
                + "(this FabricScope reads versions \(readableVersions.lowerBound)–\(readableVersions.upperBound))")
        }
        let summary: AnalysisSummary
        do {
            summary = try decoder.decode(AnalysisSummary.self)
        } catch {
            throw SummaryReadError(path: path, problem: "damaged summary: \(error)")
        }
        do { try summary.validate() } catch {
            throw SummaryReadError(path: path, problem: "damaged summary: \(error.description)")
        }
        return summary
    }

    /// A text that is not JSON, or JSON that is not a summary.
    private static func notASummary(_ path: String) -> SummaryReadError {
        SummaryReadError(path: path, problem: "not a FabricScope summary (write one with analyze --summary-out)")
    }
}

/// A summary file that cannot be used.
public struct SummaryReadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}
