import TestSupport
import Foundation
import XCTest

/// Captures as production fabrics deliver them: switch mirrors (ERSPAN I/II/III, GRE,
/// VXLAN, Geneve) that drop copies, and taps that lose packets. A mirror must analyse
/// exactly like a tap on the mirrored link, tshark (an independent decoder) must find
/// the same inner flows, and what the capture lost must never read as fabric loss.
final class MirrorCaptureTests: XCTestCase {
    static let encapsulate = Run.repository.appendingPathComponent("scripts/fixtures/encapsulate.py")
    /// Every encapsulation, with the bytes it adds in front of the inner frame.
    static let kinds: [(name: String, overhead: Int)] = [
        ("erspan1", 14 + 20 + 4), ("erspan2", 14 + 20 + 8 + 8), ("erspan3", 14 + 20 + 8 + 12),
        ("erspan3-ipv6", 14 + 40 + 8 + 12), ("erspan3-platform", 14 + 20 + 8 + 12 + 8), ("gre", 14 + 20 + 12),
        ("vxlan", 14 + 20 + 8 + 8), ("geneve", 14 + 20 + 8 + 8),
    ]

    private func wrap(_ kind: String, _ source: String, in directory: URL, extra: [String] = []) throws -> String {
        let target = directory.appendingPathComponent("\(kind)-\(URL(fileURLWithPath: source).lastPathComponent)").path
        let result = try Run.program(URL(fileURLWithPath: "/usr/bin/python3"),
                                     [MirrorCaptureTests.encapsulate.path, kind, source, target] + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return target
    }

    private func analyze(_ path: String) throws -> [String: Any] {
        let result = try Run.fabricscope(["analyze", "-T", "json", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try result.json()
    }

    private func sources() throws -> [String] {
        [Run.fixture("real/roce-rc-send-real.pcap"), Run.fixture("generated/ring4-faults.pcap"),
         Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap"), try SharedCaptures.path("softroce-send-cm.pcap")]
    }

    /// Real captures and generated rings (IPv6, VLAN, PSN wrap, snaplen 128, loss, CE,
    /// PFC) wrapped in every encapsulation give the same flows — packets, wire and
    /// payload bytes, retransmissions, CE marks, latency percentiles — as the original.
    func testMirrorAnalysesLikeTheTap() throws {
        let directory = try Run.scratchDirectory()
        for source in try sources() {
            let original = try analyze(source)
            let flows = try XCTUnwrap(original["flows"] as? [[String: Any]])
            let capture = try XCTUnwrap(original["capture"] as? [String: Any])
            XCTAssertNil(capture["mirrors"], "a tap on the link has no mirror point")
            for (kind, _) in MirrorCaptureTests.kinds {
                let mirrored = try analyze(try wrap(kind, source, in: directory))
                let what = "\(kind) of \(URL(fileURLWithPath: source).lastPathComponent)"
                // On µs captures an ERSPAN III session's 100 ns clock times the records (to the
                // same µs values here) and makes the resolution finer, which only changes
                // which figures are marked below the resolution.
                let finer = kind.hasPrefix("erspan3") && (capture["timestamp_resolution_ns"] as? Double ?? 1) > 100
                XCTAssertEqual(MirrorCaptureTests.withoutResolutionMarks(mirrored["flows"], finer) as? NSArray,
                               MirrorCaptureTests.withoutResolutionMarks(flows, finer) as? NSArray, what)
                let theirs = try XCTUnwrap(mirrored["capture"] as? [String: Any])
                for key in ["packets", "roce_packets", "other_packets", "pfc_frames", "wire_bytes", "start_ns", "end_ns"] {
                    XCTAssertEqual(theirs[key] as? Int, capture[key] as? Int, "\(what): \(key)")
                }
                let points = try XCTUnwrap(theirs["mirrors"] as? [[String: Any]], what)
                XCTAssertEqual(points.count, 1, what)
                XCTAssertEqual(points.first?["records"] as? Int, capture["packets"] as? Int, what)
                XCTAssertEqual(points.first?["lost_copies"] as? Int, 0, what)
                XCTAssertEqual(points.first?["switch"] as? String, kind == "erspan3-ipv6" ? "2001:db8::1" : "192.0.2.1", what)
                XCTAssertEqual(theirs["mirror_lost_copies"] as? Int, 0, what)
            }
        }
    }

    /// `value` with every `below_resolution` list removed, when `strip`.
    static func withoutResolutionMarks(_ value: Any?, _ strip: Bool) -> Any? {
        guard strip else { return value }
        if let object = value as? [String: Any] {
            return object.filter { $0.key != "below_resolution" }.mapValues { withoutResolutionMarks($0, true) as Any }
        }
        if let array = value as? [Any] { return array.map { withoutResolutionMarks($0, true) as Any } }
        return value
    }

    /// tshark decodes ERSPAN, GRE, VXLAN and Geneve natively: its per-flow counts of the
    /// inner traffic equal ours, the wire length being the frame less the encapsulation.
    func testTSharkFindsTheSameInnerFlows() throws {
        let directory = try Run.scratchDirectory()
        for source in [Run.fixture("real/roce-rc-send-real.pcap"), Run.fixture("generated/ring4-faults.pcap")] {
            for (kind, overhead) in MirrorCaptureTests.kinds {
                let path = try wrap(kind, source, in: directory)
                let result = try Run.fabricscope(["analyze", "--format", "json", path])
                XCTAssertEqual(result.status, 0, result.stderr)
                let theirs = try TShark.flowCounts(path, wire: .minus(overhead))
                XCTAssertFalse(theirs.isEmpty, "\(kind): tshark decoded nothing")
                XCTAssertEqual(try result.flowCounts(), theirs, "\(kind) of \(source)")
            }
        }
    }

    /// GRE carrying the IP packet alone (no inner Ethernet): same flows, 14 bytes less
    /// on the wire per packet (the Ethernet header the tunnel did not carry).
    func testGREWithIPInside() throws {
        let directory = try Run.scratchDirectory()
        let source = Run.fixture("real/roce-rc-send-real.pcap")
        let original = try XCTUnwrap(try analyze(source)["flows"] as? [[String: Any]])
        let mirrored = try XCTUnwrap(try analyze(try wrap("gre-ip", source, in: directory))["flows"] as? [[String: Any]])
        XCTAssertEqual(mirrored.count, original.count)
        for (ours, theirs) in zip(mirrored, original) {
            XCTAssertEqual(ours["packets"] as? Int, theirs["packets"] as? Int)
            XCTAssertEqual(ours["payload_bytes"] as? Int, theirs["payload_bytes"] as? Int)
            XCTAssertEqual(ours["wire_bytes"] as? Int, (theirs["wire_bytes"] as? Int ?? 0) - 14 * (theirs["packets"] as? Int ?? 0))
        }
    }

    /// A mirror that drops every tenth copy of the real capture: its sequence numbers
    /// give the exact count, and no retransmission appears that the traffic did not have.
    func testMirrorDropsCountedExactlyOnARealCapture() throws {
        let directory = try Run.scratchDirectory()
        let path = try wrap("erspan2", Run.fixture("real/roce-rc-send-real.pcap"), in: directory, extra: ["--drop-every", "10"])
        let json = try analyze(path)
        let capture = try XCTUnwrap(json["capture"] as? [String: Any])
        XCTAssertEqual(capture["mirror_lost_copies"] as? Int, 12)  // 123 records: 10, 20, … 120
        XCTAssertEqual(capture["packets"] as? Int, 111)
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.reduce(0) { $0 + ($1["retransmitted_packets"] as? Int ?? 0) }, 0)
        let warnings = try XCTUnwrap(capture["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.contains("the capture lost 12 of 123 copies") }, "\(warnings)")
    }

    /// Generated traffic behind a lossy ERSPAN mirror: the mirror's drops reported
    /// exactly (the generator's truth), the gaps they leave explained as the capture's,
    /// no fabric retransmission or loss check, and a capture_integrity warning.
    func testMirrorLossIsTheCapturesNotTheFabrics() throws {
        let directory = try Run.scratchDirectory()
        for (kind, seed) in [("erspan2", 3), ("erspan3", 4), ("gre", 5)] {
            let path = directory.appendingPathComponent("\(kind).pcap").path
            let truthPath = directory.appendingPathComponent("\(kind).json").path
            let generated = try Run.fabricscope(["generate", path, "--size", "256KiB", "--iterations", "4", "--encap", kind,
                                                 "--mirror-loss", "0.02", "--seed", String(seed), "--truth", truthPath])
            XCTAssertEqual(generated.status, 0, generated.stderr)
            let truth = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath)))
                as? [String: Any])
            let lost = try XCTUnwrap(truth["mirror_lost_copies"] as? Int)
            XCTAssertGreaterThan(lost, 5, kind)
            let json = try analyze(path)
            let capture = try XCTUnwrap(json["capture"] as? [String: Any])
            XCTAssertEqual(capture["mirror_lost_copies"] as? Int, lost, kind)
            XCTAssertEqual(capture["packets"] as? Int, (truth["packets"] as? Int ?? 0) - lost, kind)
            let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
            XCTAssertEqual(flows.reduce(0) { $0 + ($1["retransmitted_packets"] as? Int ?? 0) }, 0, kind)
            let gaps = flows.compactMap { $0["psn_gaps"] as? [String: Any] }
            let missing = gaps.reduce(0) { $0 + ($1["missing_psns"] as? Int ?? 0) }
            let explained = gaps.reduce(0) { $0 + ($1["capture_lost_psns"] as? Int ?? 0) }
            XCTAssertGreaterThan(missing, 0, kind)
            XCTAssertEqual(explained, missing, "\(kind): every request PSN the tap missed was acknowledged")
            let checks = try XCTUnwrap((json["health"] as? [String: Any])?["checks"] as? [[String: Any]])
            let names = checks.compactMap { $0["name"] as? String }
            XCTAssertTrue(names.contains("capture_integrity"), "\(kind): \(names)")
            XCTAssertFalse(names.contains { $0.contains("retransmitted") || $0.contains("nak") }, "\(kind): \(names)")
        }
    }

    /// A tap that loses packets without numbering them (ibdump's bursts): the ACKs
    /// still show which PSNs reached the responder unseen.
    func testTapLossWithoutSequenceNumbers() throws {
        let directory = try Run.scratchDirectory()
        let path = directory.appendingPathComponent("tap.pcap").path
        let generated = try Run.fabricscope(["generate", path, "--size", "256KiB", "--iterations", "4", "--mirror-loss", "0.02"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let json = try analyze(path)
        let capture = try XCTUnwrap(json["capture"] as? [String: Any])
        XCTAssertNil(capture["mirrors"])
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        let explained = flows.compactMap { $0["psn_gaps"] as? [String: Any] }.reduce(0) { $0 + ($1["capture_lost_psns"] as? Int ?? 0) }
        XCTAssertGreaterThan(explained, 0)
        XCTAssertEqual(flows.reduce(0) { $0 + ($1["retransmitted_packets"] as? Int ?? 0) }, 0)
        let checks = try XCTUnwrap((json["health"] as? [String: Any])?["checks"] as? [[String: Any]])
        XCTAssertTrue(checks.contains { $0["name"] as? String == "capture_integrity" && $0["status"] as? String == "warn" })
    }

    /// The ingress and egress mirrors of one switch in one capture (ERSPAN III sessions 1
    /// and 2): every packet counted once, as the tap alone gives it, and with
    /// --tap-sessions the delay between the two points per flow — the generator's truth,
    /// and what --tap gives from the two separate captures.
    func testTwoMirrorPointsOfOneSwitch() throws {
        let directory = try Run.scratchDirectory()
        let first = directory.appendingPathComponent("ingress.pcap").path
        let second = directory.appendingPathComponent("egress.pcap").path
        let truthPath = directory.appendingPathComponent("truth.json").path
        let generated = try Run.fabricscope(["generate", first, "--size", "256KiB", "--iterations", "2",
                                             "--second-tap", second, "--truth", truthPath])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let ingress = try wrap("erspan3", first, in: directory, extra: ["--session", "1"])
        let egress = try wrap("erspan3", second, in: directory, extra: ["--session", "2"])
        let both = directory.appendingPathComponent("both.pcap").path
        let merged = try Run.program(URL(fileURLWithPath: "/usr/bin/mergecap"), ["-F", "nsecpcap", "-w", both, ingress, egress])
        XCTAssertEqual(merged.status, 0, merged.stderr)

        let tap = try analyze(first)
        let mirrored = try analyze(both)
        XCTAssertEqual(mirrored["flows"] as? NSArray, tap["flows"] as? NSArray, "each packet counted once")
        let capture = try XCTUnwrap(mirrored["capture"] as? [String: Any])
        let packets = try XCTUnwrap((tap["capture"] as? [String: Any])?["packets"] as? Int)
        XCTAssertEqual(capture["mirror_duplicate_copies"] as? Int, packets)
        XCTAssertEqual((capture["mirrors"] as? [Any])?.count, 2)

        let truth = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath)))
            as? [String: Any])
        let delays = try XCTUnwrap(truth["tap_delays_ns"] as? [Int])
        let sessions = try Run.fabricscope(["analyze", "-T", "json", "--tap-sessions", both])
        XCTAssertEqual(sessions.status, 0, sessions.stderr)
        let taps = try XCTUnwrap(try sessions.json()["taps"] as? [String: Any])
        XCTAssertEqual(taps["files"] as? [String], ["erspan3 from 192.0.2.1 session 1", "erspan3 from 192.0.2.1 session 2"])
        XCTAssertEqual(taps["matched_packets"] as? Int, delays.count)
        let flows = try XCTUnwrap(taps["flows"] as? [[String: Any]])
        let samples = flows.compactMap { ($0["one_way_delay_ns"] as? [String: Any]) }
        XCTAssertEqual(samples.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }, delays.count)
        XCTAssertEqual(samples.compactMap { $0["min"] as? Int }.min(), delays.min())
        XCTAssertEqual(samples.compactMap { $0["max"] as? Int }.max(), delays.max())
        let separate = try Run.fabricscope(["analyze", "-T", "json", "--tap", first, "--tap", second])
        let separateFlows = try XCTUnwrap((try separate.json()["taps"] as? [String: Any])?["flows"] as? [[String: Any]])
        XCTAssertEqual(separateFlows.map { $0["one_way_delay_ns"] as? NSDictionary }, flows.map { $0["one_way_delay_ns"] as? NSDictionary })

        let one = try Run.fabricscope(["analyze", "--tap-sessions", ingress])
        XCTAssertEqual(one.status, 2)
        XCTAssertTrue(one.stderr.contains("holds 1 mirror point(s)"), one.stderr)
    }

    /// A collector that stamps in µs behind an ERSPAN III session with 100 ns
    /// granularity: the switch's clock times the records, so every latency percentile
    /// is within 100 ns of the ns original (the µs stamps alone are off by up to 1 µs),
    /// and the output says which clock it used.
    func testERSPANIIISwitchClockWhenFinerThanTheCapture() throws {
        let directory = try Run.scratchDirectory()
        let source = Run.fixture("generated/ring4-faults.pcap")
        let original = try XCTUnwrap(try analyze(source)["flows"] as? [[String: Any]])
        let path = try wrap("erspan3", source, in: directory, extra: ["--usec"])
        let json = try analyze(path)
        let files = try XCTUnwrap((json["capture"] as? [String: Any])?["files"] as? [[String: Any]])
        XCTAssertEqual(files.first?["timestamp_resolution_ns"] as? Double, 100)
        XCTAssertEqual(files.first?["switch_clock_records"] as? Int, 440)
        let flows = try XCTUnwrap(json["flows"] as? [[String: Any]])
        var compared = 0
        for flow in original {
            guard let latency = flow["ack_latency_ns"] as? [String: Any] else { continue }
            let theirs = try XCTUnwrap(flows.first { $0["dest_qp"] as? Int == flow["dest_qp"] as? Int }?["ack_latency_ns"]
                as? [String: Any])
            XCTAssertEqual(theirs["count"] as? Int, latency["count"] as? Int)
            for key in ["min", "p50", "p99", "max"] {
                let a = try XCTUnwrap(latency[key] as? Int), b = try XCTUnwrap(theirs[key] as? Int)
                XCTAssertLessThanOrEqual(abs(a - b), 100, "\(key) \(a) vs \(b)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 16)
        let table = try Run.fabricscope(["analyze", path])
        XCTAssertTrue(table.stdout.contains("timestamps 100 ns (ERSPAN III switch clock)"), table.stdout)
    }

    /// A pcapng whose own Interface Statistics Block says the interface dropped 7
    /// packets and the OS 3 (as dumpcap writes at the end of a capture): the loss is
    /// the capture's, said per file and judged by capture_integrity.
    func testPcapngInterfaceStatisticsCountAsCaptureLoss() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Run.fixture("derived/ring4-faults.pcapng")))
        // ISB (type 5, little-endian): interface 0, a timestamp, isb_ifdrop 7, isb_osdrop 3, end of options.
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
        let options = u16(4) + u16(8) + u32(7) + u32(0) + u16(7) + u16(8) + u32(3) + u32(0) + u16(0) + u16(0)
        let length = UInt32(12 + 12 + options.count)
        bytes += Data(u32(5) + u32(length) + u32(0) + u32(0) + u32(0) + options + u32(length))
        let path = try Run.scratchDirectory().appendingPathComponent("isb.pcapng")
        try bytes.write(to: path)
        let tshark = try Run.program(TShark.path(), ["-r", path.path, "-q"])
        XCTAssertEqual(tshark.status, 0, "tshark reads the block as valid: \(tshark.stderr)")
        let json = try analyze(path.path)
        let capture = try XCTUnwrap(json["capture"] as? [String: Any])
        XCTAssertEqual(capture["packets"] as? Int, 440)
        let warnings = try XCTUnwrap(capture["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.contains("the capture lost 10 packet(s) before recording them") }, "\(warnings)")
        let checks = try XCTUnwrap((json["health"] as? [String: Any])?["checks"] as? [[String: Any]])
        let integrity = try XCTUnwrap(checks.first { $0["name"] as? String == "capture_integrity" })
        XCTAssertEqual(try XCTUnwrap(integrity["value"] as? Double), 10.0 / 450.0, accuracy: 1e-12)
    }

    /// The real ibdump capture: timestamps from the ERF records, and the header says so.
    func testERFResolutionLine() throws {
        let result = try Run.fabricscope(["analyze", try SharedCaptures.path("ib2-erf-cm.pcap")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("link ERF; timestamps 1 ns"), result.stdout)
    }

    /// Bad options are refused with the option named.
    func testGenerateRefusesUnknownEncapsulation() throws {
        let directory = try Run.scratchDirectory()
        let result = try Run.fabricscope(["generate", directory.appendingPathComponent("x.pcap").path, "--encap", "mpls"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--encap: unknown encapsulation 'mpls'"), result.stderr)
        let loss = try Run.fabricscope(["generate", directory.appendingPathComponent("y.pcap").path, "--mirror-loss", "2"])
        XCTAssertEqual(loss.status, 2)
        XCTAssertTrue(loss.stderr.contains("--mirror-loss"), loss.stderr)
    }
}
