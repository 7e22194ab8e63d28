import FabricJSON
import TestSupport
import FabricStats
import Foundation
import XCTest

/// Flows, their keys, counters, NAKs, throughput, CNP counters, time series,
/// requester statistics and jitter encode their members by hand,
/// in key order (see their `encode(to:)`). A stored field added later and not
/// encoded would vanish from summaries silently: here every stored field that holds a
/// value must come out as a key, and every key must be a stored field.
final class SummaryEncodingTests: XCTestCase {
    private func storedFields(_ value: Any) -> Set<String> {
        var labels = Set<String>()
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            // Optionals that are nil are left out, as the synthesized encoding does.
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .optional, inner.children.isEmpty { continue }
            labels.insert(label)
        }
        return labels
    }

    private func keys<T: Encodable>(_ value: T) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(value)))
        return Set(try XCTUnwrap(object as? [String: Any]).keys)
    }

    func testEveryStoredFieldIsEncoded() throws {
        var options = AnalysisOptions()
        options.timeSeries = true
        var checked = 0
        for capture in ["generated/ring4-faults.pcap", "real/roce-rc-send-real.pcap"] {
            let summary = try Analysis(options).run([TestPaths.fixture(capture)])
            for flow in summary.flows {
                XCTAssertEqual(try keys(flow), storedFields(flow), capture)
                XCTAssertEqual(try keys(flow.counters), storedFields(flow.counters), capture)
                XCTAssertEqual(try keys(flow.counters.naks), storedFields(flow.counters.naks), capture)
                XCTAssertEqual(try keys(flow.counters.throughput), storedFields(flow.counters.throughput), capture)
                XCTAssertEqual(try keys(flow.notifications), storedFields(flow.notifications), capture)
                XCTAssertEqual(try keys(flow.key), storedFields(flow.key), capture)
                if let series = flow.timeSeries {
                    // The windows are stored as columns (`WindowColumnsTests` holds the
                    // columns to the window's fields).
                    XCTAssertEqual(try keys(series), storedFields(series).subtracting(["windows"]).union(["windowColumns"]),
                                   capture)
                }
                if let requester = flow.requester {
                    XCTAssertEqual(try keys(requester), storedFields(requester), capture)
                    XCTAssertEqual(try keys(requester.jitter), storedFields(requester.jitter), capture)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 4)
        // And the text reads back to the same values.
        let summary = try Analysis(options).run([TestPaths.fixture("generated/ring4-faults.pcap")])
        // The summary's own members are written in key order by hand too.
        XCTAssertEqual(try keys(summary), storedFields(summary))
        XCTAssertEqual(try AnalysisSummary.decode(bytes: try summary.jsonBytes(), path: "ring4-faults"), summary)
    }
}
