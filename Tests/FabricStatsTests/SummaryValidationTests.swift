import TestSupport
import FabricStats
import Foundation
import XCTest

/// A damaged summary is refused with the field named down to the window: the names
/// are built only when a check fails, so each path is checked here as a user reads it.
final class SummaryValidationTests: XCTestCase {
    /// The summary of a fixture whose flows span several windows, as JSON objects.
    func summaryObject() throws -> [String: Any] {
        var options = AnalysisOptions()
        options.timeSeries = true
        let summary = try Analysis(options).run([TestPaths.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap")])
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try summary.jsonBytes())) as? [String: Any])
    }

    func problem(_ object: [String: Any]) throws -> String? {
        let data = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try AnalysisSummary.decode(data, path: "night.json")
            return nil
        } catch {
            return error.problem
        }
    }

    func testDamagedFieldsAreNamedWhereTheyAre() throws {
        let good = try summaryObject()
        XCTAssertNil(try problem(good))

        var flows = try XCTUnwrap(good["flows"] as? [[String: Any]])
        // A flow with several windows (stored as columns: the windows are named as
        // they are read, one by one).
        func starts(_ flow: [String: Any]) -> [Any]? {
            ((flow["timeSeries"] as? [String: Any])?["windowColumns"] as? [String: Any])?["start_ns_deltas"] as? [Any]
        }
        let i = try XCTUnwrap(flows.firstIndex { starts($0)?.count ?? 0 > 1 })
        var series = try XCTUnwrap(flows[i]["timeSeries"] as? [String: Any])
        var columns = try XCTUnwrap(series["windowColumns"] as? [String: Any])
        var packets = try XCTUnwrap(columns["packets"] as? [Int])
        var deltas = try XCTUnwrap(columns["start_ns_deltas"] as? [Int])

        var negative = good
        packets[1] = -3
        columns["packets"] = packets
        series["windowColumns"] = columns
        flows[i]["timeSeries"] = series
        negative["flows"] = flows
        XCTAssertEqual(try problem(negative), "damaged summary: field flows[\(i)].timeSeries.windows[1].packets: -3 is negative")

        var repeated = good
        packets[1] = packets[0]
        deltas[1] = 0
        columns["packets"] = packets
        columns["start_ns_deltas"] = deltas
        series["windowColumns"] = columns
        flows[i]["timeSeries"] = series
        repeated["flows"] = flows
        XCTAssertEqual(try problem(repeated),
                       "damaged summary: field flows[\(i)].timeSeries.windows[1].startNs: windows must be in time order, each once")

        var huge = good
        flows = try XCTUnwrap(good["flows"] as? [[String: Any]])
        var counters = try XCTUnwrap(flows[2]["counters"] as? [String: Any])
        counters["wireBytes"] = 1 << 60
        flows[2]["counters"] = counters
        huge["flows"] = flows
        XCTAssertEqual(try problem(huge), "damaged summary: field flows[2].counters.wireBytes: 1152921504606846976 is beyond 2^53")

        var files = try XCTUnwrap(good["files"] as? [[String: Any]])
        files[0]["records"] = -1
        var badFile = good
        badFile["files"] = files
        XCTAssertEqual(try problem(badFile), "damaged summary: field files[0].records: -1 is negative")
    }

    /// A summary of more flows than one slice is checked on all cores: the flow named
    /// is the first a pass in order would name, a repeated key included.
    func testTheFirstDamagedFlowInOrderIsNamed() throws {
        var summary = try Analysis().run([TestPaths.fixture("generated/ring4-faults.pcap")])
        let flows = summary.flows
        summary.flows = (0..<2500).map { index in
            var flow = flows[index % flows.count]
            flow.key.destQP = UInt32(100_000 + index)
            return flow
        }
        XCTAssertNoThrow(try summary.validate())
        func field(_ change: (inout AnalysisSummary) -> Void) -> String? {
            var damaged = summary
            change(&damaged)
            do { try damaged.validate() } catch { return error.field }
            return nil
        }
        XCTAssertEqual(field { $0.flows[1700].counters.packets = -1; $0.flows[2400].counters.packets = -1 },
                       "flows[1700].counters.packets")
        XCTAssertEqual(field { $0.flows[2400].counters.packets = -1; $0.flows[1200].key = $0.flows[3].key }, "flows[1200].key")
        XCTAssertEqual(field { $0.flows[1200].counters.packets = -1; $0.flows[1200].key = $0.flows[3].key }, "flows[1200].key")
        XCTAssertEqual(field { $0.flows[1200].counters.packets = -1; $0.flows[2200].key = $0.flows[3].key },
                       "flows[1200].counters.packets")
        XCTAssertEqual(field { $0.flows[30].counters.acks = -5 }, "flows[30].counters.acks")
    }
}

private extension Error {
    /// The problem without the file name (`SummaryReadError` puts the path first).
    var problem: String {
        (self as? SummaryReadError)?.problem ?? "\(self)"
    }
}
