import FabricWire
import FabricIngest
import FabricStats
import XCTest

final class TrafficAccumulatorTests: XCTestCase {
    func roce(_ opcode: UInt8, qp: UInt32 = 0x45, syndrome: UInt8? = nil, ecn: UInt8 = 2, payload: Int = 100) -> PacketContent {
        let extensions = syndrome.map { ExtensionHeaders(opcode: Opcode(rawValue: opcode), wireBytes: [$0, 0, 0, 0]) }
            ?? ExtensionHeaders(opcode: Opcode(rawValue: opcode))
        return .roce(RocePacket(
            encapsulation: .rocev2, source: .ipv4(1), destination: .ipv4(2),
            bth: BaseTransportHeader(opcode: Opcode(rawValue: opcode), destQP: qp, psn: 0),
            extensions: extensions, payloadLength: payload, ecn: ecn))
    }

    func testCountsPerFlow() {
        var accumulator = TrafficAccumulator(windowNs: 1000)
        accumulator.add(DecodedPacket(timestampNs: 100, wireLength: 200, content: roce(0x06)))
        accumulator.add(DecodedPacket(timestampNs: 600, wireLength: 200, content: roce(0x09, ecn: 3)))
        accumulator.add(DecodedPacket(timestampNs: 1500, wireLength: 60, content: roce(0x11, qp: 0x48, syndrome: 0x1f, payload: 0)))
        accumulator.add(DecodedPacket(timestampNs: 1600, wireLength: 60, content: roce(0x11, qp: 0x48, syndrome: 0x60, payload: 0)))
        accumulator.add(DecodedPacket(timestampNs: 1700, wireLength: 60, content: roce(0x11, qp: 0x48, syndrome: 0x21, payload: 0)))
        accumulator.add(DecodedPacket(timestampNs: 1800, wireLength: 74, content: roce(0x81, qp: 0x48, ecn: 0, payload: 0)))
        accumulator.add(DecodedPacket(timestampNs: 1900, wireLength: 60, content: .other))

        XCTAssertEqual(accumulator.totals.packets, 7)
        XCTAssertEqual(accumulator.totals.rocePackets, 6)
        XCTAssertEqual(accumulator.totals.otherPackets, 1)
        XCTAssertEqual(accumulator.flows.count, 2)
        let data = accumulator[FlowKey(source: .ipv4(1), destination: .ipv4(2), destQP: 0x45)]!
        XCTAssertEqual(data.packets, 2)
        XCTAssertEqual(data.wireBytes, 400)
        XCTAssertEqual(data.payloadBytes, 200)
        XCTAssertEqual(data.ectPackets, 2)
        XCTAssertEqual(data.cePackets, 1)
        XCTAssertEqual(accumulator.opcodes(ofFlow: 0), ["RC_RDMA_WRITE_FIRST": 1, "RC_RDMA_WRITE_LAST_IMM": 1])
        XCTAssertEqual(accumulator.opcodes(ofFlow: 1), ["RC_ACKNOWLEDGE": 3, "CNP": 1])
        // 3200 bits over 500 ns.
        XCTAssertEqual(data.meanBitsPerSecond!, 6.4e9, accuracy: 1)
        // Both packets fall in the window [0, 1000): 400 B per µs.
        XCTAssertEqual(data.throughput.peakBitsPerSecond, 3.2e9, accuracy: 1)
        let acks = accumulator[FlowKey(source: .ipv4(1), destination: .ipv4(2), destQP: 0x48)]!
        XCTAssertEqual(acks.acks, 1)
        XCTAssertEqual(acks.naks.named, ["psn_sequence_error": 1, "rnr": 1])
        XCTAssertEqual(acks.naks.total, 2)
        XCTAssertEqual(acks.cnpPackets, 1)
        XCTAssertEqual(acks.ectPackets, 3, "the CNP was sent Not-ECT")
    }

    /// Opcodes beyond the few a flow keeps inline are still counted, per flow.
    func testManyOpcodesPerFlow() {
        var accumulator = TrafficAccumulator(windowNs: 1000)
        let opcodes: [UInt8] = [0x00, 0x01, 0x02, 0x04, 0x06, 0x07, 0x08, 0x0a, 0x0c]
        for (round, qp) in [(1, UInt32(0x45)), (2, 0x46)] {
            for _ in 0..<round {
                for (index, opcode) in opcodes.enumerated() {
                    accumulator.add(DecodedPacket(timestampNs: Int64(100 * index), wireLength: 100, content: roce(opcode, qp: qp)))
                }
            }
        }
        let names = opcodes.map { Opcode(rawValue: $0).name }
        XCTAssertEqual(accumulator.opcodes(ofFlow: 0), Dictionary(uniqueKeysWithValues: names.map { ($0, 1) }))
        XCTAssertEqual(accumulator.opcodes(ofFlow: 1), Dictionary(uniqueKeysWithValues: names.map { ($0, 2) }))
    }

    func testPFCPerPriority() {
        var accumulator = TrafficAccumulator()
        let xoff = PriorityPause(sourceMAC: 7, enabledPriorities: 0b0000_1000, quanta: [0, 0, 0, 0xffff, 0, 0, 0, 0])
        let xon = PriorityPause(sourceMAC: 7, enabledPriorities: 0b0000_1000, quanta: [0, 0, 0, 0, 0, 0, 0, 0])
        accumulator.add(DecodedPacket(timestampNs: 10, wireLength: 60, content: .pfc(xoff)))
        accumulator.add(DecodedPacket(timestampNs: 20, wireLength: 60, content: .pfc(xon)))
        let counters = accumulator.pauses[PauseKey(sourceMAC: 7, priority: 3)]!
        XCTAssertEqual(counters.xoffFrames, 1)
        XCTAssertEqual(counters.xonFrames, 1)
        XCTAssertEqual(counters.pauseQuanta, 0xffff)
        // 65535 × 512 bits at 400 Gb/s = 83.8848 µs.
        XCTAssertEqual(counters.pauseNs(linkBitsPerSecond: 400e9), 83_884.8, accuracy: 1e-6)
        XCTAssertEqual(accumulator.pauses.count, 1)
    }

    func testThroughputWindowsAreEpochAligned() {
        var window = ThroughputWindow(windowNs: 100)
        window.add(bytes: 10, atNs: 95)
        window.add(bytes: 10, atNs: 105)
        window.add(bytes: 30, atNs: 199)
        window.add(bytes: 5, atNs: 150)
        XCTAssertEqual(window.peakBytes, 45)
        XCTAssertEqual(window.peakWindowStartNs, 100)
        XCTAssertEqual(window.peakBitsPerSecond, 45 * 8 * 1e7, accuracy: 1)
    }
}
