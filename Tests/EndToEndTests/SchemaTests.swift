import TestSupport
import Foundation
import XCTest

/// `analyze --format json` validates against the published JSON Schema, checked by
/// the Python `jsonschema` package (an independent validator).
final class SchemaTests: XCTestCase {
    func testOutputsValidateAgainstSchemaV1() throws {
        let directory = try Run.scratchDirectory()
        var documents: [String] = []
        for fixture in ["real/roce-rc-send-real.pcap", "generated/ring4-faults.pcap", "derived/ring4-faults.ib.pcap",
                        "derived/ring4-faults.rocev1.pcap", "generated/ring8-ipv6-vlan-wrap-snap128.pcap"] {
            let result = try Run.fabricscope(["analyze", "-T", "json", Run.fixture(fixture)])
            XCTAssertEqual(result.status, 0, result.stderr)
            let path = directory.appendingPathComponent("\(documents.count).json").path
            try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
            documents.append(path)
        }
        // Per-window series with every optional field: retransmissions, NAKs, latency
        // and gap sketches (ring4-faults has loss, CE marks and PFC).
        let series = try Run.fabricscope(["analyze", "-T", "json", "--timeseries", Run.fixture("generated/ring4-faults.pcap")])
        XCTAssertEqual(series.status, 0, series.stderr)
        for field in ["\"retransmitted_packets\"", "\"naks\"", "\"ack_latency\"", "\"gaps\""] {
            XCTAssertTrue(series.stdout.contains(field), "no \(field) in the time series")
        }
        let seriesPath = directory.appendingPathComponent("series.json").path
        try Data(series.stdout.utf8).write(to: URL(fileURLWithPath: seriesPath))
        documents.append(seriesPath)
        XCTAssertEqual(documents.count, 6)
        try SchemaValidator.validate(documents, schema: "analyze-v1.schema.json")
    }
}
