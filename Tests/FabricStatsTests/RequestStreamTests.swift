import FabricWire
import FabricStats
import FabricIngest
@testable import FabricStats
import XCTest

/// Request streams on hand-built packet sequences whose answers are worked out by hand.
final class RequestStreamTests: XCTestCase {
    func packet(_ opcode: UInt8, psn: UInt32, ackRequest: Bool = false, syndrome: UInt8? = nil,
                ecn: UInt8 = 2, ipID: UInt16? = nil, payload: Int = 1024) -> RocePacket {
        let code = Opcode(rawValue: opcode)
        var extensionBytes = [UInt8](repeating: 0, count: ExtensionHeaders.size(of: code))
        if let syndrome { extensionBytes[0] = syndrome }
        return RocePacket(
            encapsulation: .rocev2, source: .ipv4(1), destination: .ipv4(2),
            bth: BaseTransportHeader(opcode: code, destQP: 7, ackRequest: ackRequest, psn: psn),
            extensions: ExtensionHeaders(opcode: code, wireBytes: extensionBytes), payloadLength: payload,
            ecn: ecn, ipIdentification: ipID)
    }

    static let writeFirst: UInt8 = 0x06, writeMiddle: UInt8 = 0x07, writeLastImm: UInt8 = 0x09
    static let ack: UInt8 = 0x11

    func testCoalescedACKSamplesEveryAckRequest() {
        var stream = RequestStream(reliable: true)
        for k in 0..<10 {
            let opcode = k == 0 || k == 5 ? RequestStreamTests.writeFirst : k == 4 || k == 9 ? RequestStreamTests.writeLastImm : RequestStreamTests.writeMiddle
            stream.request(packet(opcode, psn: 100 + UInt32(k), ackRequest: k == 4 || k == 9), wireLength: 1100,
                           timeNs: Int64(k) * 25)
        }
        stream.response(packet(RequestStreamTests.ack, psn: 109, syndrome: 0x1f), timeNs: 5_000)
        XCTAssertEqual(stream.statistics.ackLatency.count, 2)
        XCTAssertEqual(stream.statistics.ackLatency.minimum, 5_000 - 225)
        XCTAssertEqual(stream.statistics.ackLatency.maximum, 5_000 - 100)
        // Within each message the packets are 25 ns apart: 8 gaps (FIRST starts a message).
        XCTAssertEqual(stream.statistics.gaps.count, 8)
        XCTAssertEqual(stream.statistics.gaps.minimum, 25)
        XCTAssertEqual(stream.statistics.gaps.maximum, 25)
        XCTAssertEqual(stream.statistics.goodputBytes, 10 * 1024)
        XCTAssertEqual(stream.statistics.retransmittedPackets, 0)
    }

    func testNAKThenGoBackN() {
        var stream = RequestStream(reliable: true)
        for k in 0..<6 {
            stream.request(packet(k == 5 ? RequestStreamTests.writeLastImm : RequestStreamTests.writeMiddle, psn: 100 + UInt32(k),
                                  ackRequest: k == 5), wireLength: 1100, timeNs: 1000 + Int64(k) * 100)
        }
        // PSN 102 was lost after the tap: the responder NAKs 102 (acknowledging 100–101).
        stream.response(packet(RequestStreamTests.ack, psn: 102, syndrome: 0x60), timeNs: 4000)
        for k in 2..<6 {
            stream.request(packet(k == 5 ? RequestStreamTests.writeLastImm : RequestStreamTests.writeMiddle, psn: 100 + UInt32(k),
                                  ackRequest: k == 5), wireLength: 1100, timeNs: 4500 + Int64(k - 2) * 100)
        }
        stream.response(packet(RequestStreamTests.ack, psn: 105, syndrome: 0x1f), timeNs: 9000)
        stream.finish()
        XCTAssertEqual(stream.statistics.retransmittedPackets, 4)
        XCTAssertEqual(stream.statistics.retransmittedWireBytes, 4400)
        XCTAssertEqual(stream.statistics.episodeCount, 1)
        let episode = stream.statistics.episodes[0]
        XCTAssertEqual(episode.cause, .nak)
        XCTAssertEqual(episode.psn, 102)
        XCTAssertEqual(episode.packets, 4)
        XCTAssertEqual(episode.nakToRetransmitNs, 500)
        XCTAssertEqual(episode.retransmitDelayNs, 4500 - 1200)
        // The AckReq packet (105) was sent twice: its ACK is ambiguous (Karn).
        XCTAssertEqual(stream.statistics.ambiguousSamples, 1)
        XCTAssertTrue(stream.statistics.ackLatency.isEmpty)
        XCTAssertEqual(stream.statistics.goodputBytes, 6 * 1024, "retransmitted payload is not goodput")
    }

    func testTimeoutRNRAndImpliedNAKCauses() {
        var stream = RequestStream(reliable: true)
        stream.request(packet(0x0a, psn: 10, ackRequest: true), wireLength: 100, timeNs: 0)
        stream.request(packet(0x0a, psn: 10, ackRequest: true, ipID: 9), wireLength: 100, timeNs: 500_000)
        stream.request(packet(0x0a, psn: 11, ackRequest: true), wireLength: 100, timeNs: 600_000)
        stream.response(packet(RequestStreamTests.ack, psn: 11, syndrome: 0x2e), timeNs: 601_000)  // RNR NAK on 11
        stream.request(packet(0x0a, psn: 11, ackRequest: true), wireLength: 100, timeNs: 700_000)
        stream.request(packet(0x0c, psn: 12, ackRequest: true), wireLength: 100, timeNs: 800_000)  // READ
        stream.request(packet(0x0c, psn: 12, ackRequest: true), wireLength: 100, timeNs: 900_000)  // re-issued
        stream.finish()
        XCTAssertEqual(stream.statistics.episodes.map(\.cause), [.timeout, .rnr, .impliedNak])
        XCTAssertEqual(stream.statistics.episodes[0].retransmitDelayNs, 500_000)
        XCTAssertEqual(stream.statistics.episodes[1].nakToRetransmitNs, 99_000)
    }

    func testMirrorDuplicatesAreNotRetransmissions() {
        var stream = RequestStream(reliable: true)
        stream.request(packet(0x0a, psn: 1, ipID: 77), wireLength: 100, timeNs: 0)
        stream.request(packet(0x0a, psn: 1, ipID: 77), wireLength: 100, timeNs: 2_000)  // same copy, 2 µs later
        stream.request(packet(0x0a, psn: 1, ipID: 78), wireLength: 100, timeNs: 3_000)  // new IP ID: resent
        XCTAssertEqual(stream.statistics.mirrorDuplicates, 1)
        XCTAssertEqual(stream.statistics.retransmittedPackets, 1)
    }

    func testPSNGapsAndWrap() {
        var stream = RequestStream(reliable: true)
        for (psn, time) in [(UInt32(0xff_fffd), Int64(0)), (0xff_fffe, 10), (2, 20), (3, 30)] {
            stream.request(packet(0x0a, psn: psn, ackRequest: true), wireLength: 100, timeNs: time)
        }
        XCTAssertEqual(stream.statistics.psnGapEvents, 1)
        XCTAssertEqual(stream.statistics.missingPSNs, 3, "0xffffff, 0 and 1 never passed the tap")
        stream.response(packet(RequestStreamTests.ack, psn: 3, syndrome: 0x1f), timeNs: 1_030)
        XCTAssertEqual(stream.statistics.ackLatency.count, 4)
        XCTAssertEqual(stream.statistics.ackLatency.minimum, 1_000)
        XCTAssertEqual(stream.statistics.ackLatency.maximum, 1_030)
    }

    func testReadAndAtomicLatencies() {
        var stream = RequestStream(reliable: true)
        stream.request(packet(0x0c, psn: 200, payload: 0), wireLength: 90, timeNs: 0)  // READ of 3 packets: 200–202
        stream.response(packet(0x0d, psn: 200, syndrome: 0x1f), timeNs: 5_000)  // READ_RESPONSE_FIRST
        stream.response(packet(0x0e, psn: 201), timeNs: 6_000)
        stream.response(packet(0x0f, psn: 202, syndrome: 0x1f), timeNs: 9_000)  // LAST
        stream.request(packet(0x14, psn: 203, payload: 0), wireLength: 90, timeNs: 10_000)  // FETCH_ADD
        stream.response(packet(0x12, psn: 203, syndrome: 0x1f), timeNs: 13_000)
        XCTAssertEqual(stream.statistics.readLatency.minimum, 5_000)
        XCTAssertEqual(stream.statistics.readCompletion.minimum, 9_000)
        XCTAssertEqual(stream.statistics.atomicLatency.minimum, 3_000)
        XCTAssertEqual(stream.statistics.psnGapEvents, 0, "a READ's responses use PSNs: the jump after it is no gap")
        XCTAssertEqual(stream.statistics.unmatchedResponses, 0)
    }

    func testJitterEstimator() {
        var jitter = LatencyJitter()
        for latency: Int64 in [10, 20, 15] { jitter.add(latencyNs: latency) }
        // J1 = 10/16; J2 = J1 + (5 − J1)/16.
        let first = 10.0 / 16
        XCTAssertEqual(jitter.smoothed, first + (5 - first) / 16, accuracy: 1e-12)
        XCTAssertEqual(jitter.deltas.count, 2)
        XCTAssertEqual(jitter.deltas.maximum, 10)
    }

    // MARK: CM announcements against the traffic

    /// Three SEND_ONLY requests with AckReq starting at `first`, each ACKed.
    private func sendThree(from first: UInt32, announced: UInt32?) -> RequesterStatistics {
        var stream = RequestStream(reliable: true, startingPSN: announced)
        for k in 0..<3 {
            let psn = (first + UInt32(k)) & 0xff_ffff
            stream.request(packet(0x04, psn: psn, ackRequest: true), wireLength: 100, timeNs: Int64(k) * 10_000)
            stream.response(packet(RequestStreamTests.ack, psn: psn, syndrome: 0x1f), timeNs: Int64(k) * 10_000 + 3_000)
        }
        stream.finish()
        return stream.statistics
    }

    func testAnnouncedStartingPSNThatMatches() {
        let statistics = sendThree(from: 4_344_689, announced: 4_344_689)
        XCTAssertFalse(statistics.startingPSNMismatch)
        XCTAssertEqual(statistics.psnGapEvents, 0)
        XCTAssertEqual(statistics.ackLatency.count, 3)
    }

    /// The first two packets were lost before the tap: a short forward jump is a gap.
    func testFirstPacketsLostBeforeTheTap() {
        let statistics = sendThree(from: 1002, announced: 1000)
        XCTAssertFalse(statistics.startingPSNMismatch)
        XCTAssertEqual(statistics.psnGapEvents, 1)
        XCTAssertEqual(statistics.missingPSNs, 2)
        XCTAssertEqual(statistics.retransmittedPackets, 0)
    }

    /// What the old reading of the CM did on real captures: the other side's PSN,
    /// millions away, behind or ahead. The traffic is believed: no gap, no
    /// retransmission, every ACK sampled, and the mismatch is flagged for a warning.
    func testAnnouncementThatDoesNotDescribeTheStreamIsNotBelieved() {
        for (first, announced) in [(UInt32(4_344_689), UInt32(11_726_725)), (11_726_725, 4_344_689),
                                   (1000, 1000 + 65), (16_777_210, 3)] {
            let statistics = sendThree(from: first, announced: announced)
            XCTAssertTrue(statistics.startingPSNMismatch, "\(first) vs \(announced)")
            XCTAssertEqual(statistics.psnGapEvents, 0)
            XCTAssertEqual(statistics.missingPSNs, 0)
            XCTAssertEqual(statistics.retransmittedPackets, 0)
            XCTAssertEqual(statistics.ackLatency.count, 3)
            XCTAssertEqual(statistics.firstRequestPSN, first)
        }
    }

    /// A gap across the 2^24 wrap still counts as loss before the tap.
    func testLossBeforeTheTapAcrossTheWrap() {
        let statistics = sendThree(from: 1, announced: 16_777_214)
        XCTAssertFalse(statistics.startingPSNMismatch)
        XCTAssertEqual(statistics.missingPSNs, 3)
    }
}
