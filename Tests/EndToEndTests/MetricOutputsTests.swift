import TestSupport
import Foundation
import XCTest

/// The CSV columns come from the metric catalog, named as the catalog names them,
/// and carry the same values as the JSON paths the catalog gives.
final class MetricOutputsTests: XCTestCase {
    func testCSVAndJSONAgreeMetricByMetric() throws {
        let capture = Run.fixture("generated/ring4-faults.pcap")
        let csv = try Run.fabricscope(["analyze", "-T", "csv", capture])
        let json = try Run.fabricscope(["analyze", "-T", "json", capture]).json()
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        let lines = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        XCTAssertEqual(Array(header.prefix(4)), ["src", "dst", "dest_qp", "encapsulation"])
        XCTAssertEqual(header.last, "opcodes")
        for required in ["ack_latency_p99_ns", "retransmitted_packets", "goodput_bps", "ce_fraction", "unmatched_responses"] {
            XCTAssertTrue(header.contains(required), required)
        }
        // The catalog's JSON paths, read from the docs table (the docs are checked against the catalog).
        let docs = try String(contentsOf: Run.repository.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        let begin = try XCTUnwrap(docs.range(of: "<!-- metric catalog:")), end = try XCTUnwrap(docs.range(of: "<!-- end of metric catalog -->"))
        var paths: [String: String] = [:]
        for row in docs[begin.upperBound..<end.lowerBound].split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            // Columns: metric, unit, better, scopes, per link, across runs, JSON (per flow), …
            let json = cells.count >= 7 ? cells[6].trimmingCharacters(in: CharacterSet(charactersIn: "`")) : ""
            guard !json.isEmpty, let name = cells[0].split(separator: "`").first else { continue }
            paths[String(name)] = json
        }
        XCTAssertEqual(Set(paths.keys), Set(header.dropFirst(4).dropLast()))
        var compared = 0
        for (row, flow) in zip(lines.dropFirst(), flows) {
            XCTAssertEqual(row[0], flow["src"] as? String)
            for (index, name) in header.enumerated() where paths[name] != nil {
                var node: Any? = flow
                for key in paths[name]!.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
                if name == "naks" { node = (node as? [String: Int])?.values.reduce(0, +) }
                guard let number = (node as? NSNumber)?.doubleValue else {
                    XCTAssertEqual(row[index], "", "\(name): no JSON value, so an empty cell")
                    continue
                }
                let cell = try XCTUnwrap(Double(row[index]), "\(name) = '\(row[index])'")
                XCTAssertEqual(cell, number, accuracy: max(0.5, abs(number) * 1e-12), name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 200)
    }
}
