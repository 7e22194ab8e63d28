@testable import FabricReport
import FabricJSON
import FabricReport
import TestSupport
import FabricStats
import Foundation
import XCTest

/// A report's flow entries write their members by hand, in key order, through
/// `SortedJSONObject` (one list of members for the streaming writer and for any
/// other encoder). A stored field added later and left out of that list would
/// vanish from reports silently, and a member out of order would break the sorted
/// text: here every stored field that holds a value must come out as its snake_case
/// key, and the text must equal Foundation's with every optional member present.
final class FlowEntryEncodingTests: XCTestCase {
    /// `destQP` → `dest_qp`, `missingPSNs` → `missing_psns`, `pdvP50` → `pdv_p50`.
    private func snakeCase(_ name: String) -> String {
        var result = "", previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result += "_" }
            result += character.lowercased()
            previous = character
        }
        return result
    }

    /// The keys of `value`'s stored fields; nil optionals are left out, except
    /// `nulls` (written as explicit nulls); `nested` (an optional struct) gives its own.
    private func storedKeys(_ value: Any, expanding nested: String? = nil, nulls: Set<String> = []) -> Set<String> {
        var keys = Set<String>()
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .optional, inner.children.isEmpty, !nulls.contains(label) { continue }
            if label == nested, let wrapped = inner.children.first?.value {
                keys.formUnion(storedKeys(wrapped))
            } else if label != "flowsWithoutEntries" {
                keys.insert(snakeCase(label))
            }
        }
        return keys
    }

    private func keys<T: Encodable>(_ value: T) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(try StreamingJSONEncoder().encode(value)))
        return Set(try XCTUnwrap(object as? [String: Any]).keys)
    }

    private func document(_ capture: String) throws -> AnalysisDocument {
        var options = AnalysisOptions()
        options.timeSeries = true
        return AnalysisDocument(summary: try Analysis(options).run([TestPaths.fixture(capture)]))
    }

    func testEveryStoredFieldIsAKey() throws {
        var requesters = 0, distributions = 0
        for capture in ["generated/ring4-faults.pcap", "real/roce-rc-send-real.pcap", "derived/ring4-faults.ib.pcap"] {
            let document = try document(capture)
            XCTAssertEqual(try keys(document), storedKeys(document), capture)
            for flow in document.flows {
                XCTAssertEqual(try keys(flow), storedKeys(flow, expanding: "requester"), capture)
                XCTAssertEqual(try keys(flow.ecn), storedKeys(flow.ecn, nulls: ["ceFraction"]), capture)
                XCTAssertEqual(try keys(flow.throughputBps), storedKeys(flow.throughputBps, nulls: ["mean"]), capture)
                if let requester = flow.requester {
                    XCTAssertEqual(try keys(requester.psnGaps), storedKeys(requester.psnGaps), capture)
                    requesters += 1
                }
                if let latency = flow.ackLatencyNs {
                    XCTAssertEqual(try keys(latency), storedKeys(latency), capture)
                    distributions += 1
                }
                if let jitter = flow.jitterNs { XCTAssertEqual(try keys(jitter), storedKeys(jitter), capture) }
            }
        }
        XCTAssertGreaterThan(requesters, 8)
        XCTAssertGreaterThan(distributions, 8)
    }

    /// Every optional member present (and the ones the fixtures leave empty filled),
    /// against Foundation's `JSONEncoder`, pretty and compact.
    func testFullEntryGivesFoundationsText() throws {
        let document = try document("generated/ring4-faults.pcap")
        var entry = try XCTUnwrap(document.flows.first { $0.requester != nil && $0.ackLatencyNs != nil })
        let latency = try XCTUnwrap(entry.ackLatencyNs)
        var lowLatency = latency
        lowLatency.belowResolution = ["min", "p50"]
        entry.vlan = 7
        entry.dscp = 26
        entry.answersQP = 0x12
        entry.naks = ["PSN_SEQ_ERR": 2, "RNR": 1, "INVALID_REQUEST": 3]
        entry.opcodes["RC_ACKNOWLEDGE"] = 4
        entry.readLatencyNs = lowLatency
        entry.readCompletionNs = latency
        entry.atomicLatencyNs = latency
        entry.gapNs = latency
        entry.ecn.ceFraction = nil
        entry.throughputBps.mean = nil
        entry.cnp = AnalysisDocument.CNPEntry(count: 3, ratePerSecond: 1.5, minGapNs: 40, ecnToCnpNs: latency)
        entry.requester?.requesterQP = 0x44
        entry.requester?.firstPSN = 9
        entry.requester?.cmStartingPSN = 8
        entry.requester?.goodputBps = 12.25
        entry.requester?.unmatchedResponses = 1
        entry.requester?.retransmissionEpisodes = [try JSONDecoder().decode(RetransmissionEpisode.self, from: Data(
            #"{"start_ns": 5, "psn": 3, "packets": 2, "wire_bytes": 2000, "cause": "nak", "nak_to_retransmit_ns": 7, "retransmit_delay_ns": 9}"#.utf8))]
        XCTAssertNotNil(entry.jitterNs)
        XCTAssertNotNil(entry.timeseries)
        for pretty in [false, true] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                : [.sortedKeys, .withoutEscapingSlashes]
            XCTAssertEqual(String(decoding: try StreamingJSONEncoder(prettyPrinted: pretty).encode([entry, entry]), as: UTF8.self),
                           String(decoding: try encoder.encode([entry, entry]), as: UTF8.self), "pretty: \(pretty)")
        }
        XCTAssertEqual(try keys(entry), storedKeys(entry, expanding: "requester"))
    }
}
