import FabricWire
import FabricIngest
import FabricReport
import FabricStats
import XCTest

/// The reported peak is never below the mean, whatever the flow's span against the
/// clock-aligned windows.
final class ThroughputEntryTests: XCTestCase {
    private func flow(at times: [Int64], windowNs: Int64 = 100_000) -> FlowCounters {
        var accumulator = TrafficAccumulator(windowNs: windowNs)
        for time in times {
            accumulator.add(DecodedPacket(timestampNs: time, wireLength: 1000, content: .roce(RocePacket(
                encapsulation: .rocev2, source: .ipv4(1), destination: .ipv4(2),
                bth: BaseTransportHeader(opcode: Opcode(rawValue: 0x0a), destQP: 9, psn: 0),
                extensions: ExtensionHeaders(opcode: Opcode(rawValue: 0x0a)), payloadLength: 900, ecn: 2))))
        }
        return accumulator.flows[0]
    }

    /// Two packets 150 µs apart with 100 µs windows: each window holds one packet
    /// (80 Mb/s), while the mean over the span is 16,000 bits / 150 µs = 107 Mb/s.
    func testFlowAcrossTwoWindowsPeaksAtItsMean() {
        let counters = flow(at: [20_000, 170_000])
        XCTAssertEqual(counters.throughput.peakBitsPerSecond, 80e6, accuracy: 1)
        let entry = AnalysisDocument.Throughput(counters)
        XCTAssertEqual(entry.mean!, 16_000 / 150e-6, accuracy: 1)
        XCTAssertEqual(entry.peak, entry.mean!)
        XCTAssertEqual(entry.windowNs, 100_000)
    }

    /// A busy window above the mean stays the peak.
    func testBusiestWindowAboveTheMean() {
        let counters = flow(at: [0, 1_000, 2_000, 3_000, 450_000])
        let entry = AnalysisDocument.Throughput(counters)
        XCTAssertEqual(entry.peak, 4 * 8000 / 100e-6, accuracy: 1)
        XCTAssertGreaterThan(entry.peak, entry.mean!)
    }
}
