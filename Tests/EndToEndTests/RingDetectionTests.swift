import TestSupport
import Foundation
import XCTest

/// Ring all-reduces found in captures, with the size the generator used and the
/// straggler it was told to make.
final class RingDetectionTests: XCTestCase {
    func collectives(_ path: String) throws -> [[String: Any]] {
        let result = try Run.fabricscope(["analyze", "-T", "json", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try result.json()["collectives"] as? [[String: Any]])
    }

    func testFindsTheGeneratedRingsAndTheirSize() throws {
        let four = try XCTUnwrap(try collectives(Run.fixture("generated/ring4-faults.pcap")).first)
        XCTAssertEqual(four["ranks"] as? Int, 4)
        XCTAssertEqual(four["hosts"] as? [String], ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"])
        XCTAssertEqual(four["inferred_allreduce_bytes"] as? Double, 65_536, "generated with --size 64KiB")
        let eight = try XCTUnwrap(try collectives(Run.fixture("generated/ring8-ipv6-vlan-wrap-snap128.pcap")).first)
        XCTAssertEqual(eight["ranks"] as? Int, 8)
        XCTAssertEqual(eight["inferred_allreduce_bytes"] as? Double, 262_144, "generated with --size 256KiB")
        XCTAssertEqual((eight["hosts"] as? [String])?.first, "fd00::1")
    }

    func testNamesTheStragglerAndExplainsTheTime() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("slow.pcap").path
        let generated = try Run.fabricscope(["generate", capture, "--ranks", "6", "--size", "6MiB", "--slow-link", "3:2", "--snaplen", "128"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let ring = try XCTUnwrap(try collectives(capture).first)
        let straggler = try XCTUnwrap(ring["straggler"] as? [String: Any])
        XCTAssertEqual(straggler["src"] as? String, "10.0.0.4", "rank 3")
        XCTAssertEqual(straggler["dst"] as? String, "10.0.0.5")
        XCTAssertEqual(straggler["in_message_bps"] as? Double ?? 0, 200e9, accuracy: 200e9 * 0.03)
        let measured = Double(try XCTUnwrap(ring["measured_ns"] as? Int))
        let atStraggler = try XCTUnwrap(ring["predicted_at_straggler_ns"] as? Double)
        XCTAssertEqual(atStraggler, measured, accuracy: measured * 0.15, "a ring runs at its slowest link's pace")
        XCTAssertLessThan(try XCTUnwrap(ring["efficiency"] as? Double), 0.7)
    }

    func testIterationsSeparatedByComputeAreCountedAndTimed() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("iterations.pcap").path
        let generated = try Run.fabricscope([
            "generate", capture, "--ranks", "4", "--size", "4MiB", "--iterations", "5", "--iteration-gap", "2ms",
            "--snaplen", "128",
        ])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let ring = try XCTUnwrap(try collectives(capture).first)
        XCTAssertEqual(ring["iterations"] as? Int, 5)
        XCTAssertEqual(ring["inferred_allreduce_bytes"] as? Double, 4_194_304, "per iteration")
        let iteration = Double(try XCTUnwrap(ring["measured_iteration_ns"] as? Int))
        let total = Double(try XCTUnwrap(ring["measured_ns"] as? Int))
        XCTAssertGreaterThan(total, 4 * 2_000_000, "four 2 ms compute gaps")
        XCTAssertLessThan(iteration, 1_000_000)
        // No loss or jitter beyond the ACK wait: the model explains nearly all of an iteration.
        XCTAssertGreaterThan(try XCTUnwrap(ring["efficiency"] as? Double), 0.85)
    }

    func testTwoHostsTalkingIsNoRing() throws {
        XCTAssertTrue(try collectives(Run.fixture("real/roce-rc-send-real.pcap")).isEmpty)
    }

    private func generatedRing(_ arguments: [String], analyze extra: [String] = []) throws -> [String: Any] {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("ring.pcap").path
        let generated = try Run.fabricscope(["generate", capture] + arguments)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let result = try Run.fabricscope(["analyze", "-T", "json"] + extra + [capture])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap((try result.json()["collectives"] as? [[String: Any]])?.first)
    }

    /// The case: with default settings, 2 iterations 10 µs apart were read as
    /// one of twice the size. The boundary now comes from the pauses themselves.
    func testIterationsFoundFromThePausesWithDefaultSettings() throws {
        for (ranks, iterations, seed) in [(4, 2, "1"), (3, 3, "5"), (8, 2, "9"), (4, 1, "2")] {
            let ring = try generatedRing(["--ranks", String(ranks), "--iterations", String(iterations), "--size", "256KiB",
                                          "--seed", seed])
            let what = "\(ranks) ranks, \(iterations) iterations"
            XCTAssertEqual(ring["iterations"] as? Int, iterations, what)
            // 256 KiB split over 3 ranks loses a byte to rounding.
            XCTAssertEqual(try XCTUnwrap(ring["inferred_allreduce_bytes"] as? Double), 262_144, accuracy: 2, what)
            XCTAssertEqual(ring["iteration_boundary"] as? String, iterations > 1 ? "traffic" : "none", what)
            XCTAssertEqual(ring["iterations_certain"] as? Bool, true, what)
            let efficiency = try XCTUnwrap(ring["efficiency"] as? Double)
            XCTAssertGreaterThan(efficiency, 0.8, what)
            XCTAssertLessThanOrEqual(efficiency, 1, what)
            XCTAssertNil(ring["efficiency_problem"], what)
        }
    }

    /// An explicit --idle-gap is the boundary; one too short for this traffic splits
    /// iterations apart, and the efficiency above 100 % says what broke.
    func testIdleGapGivenAndEfficiencyAbove100IsExplained() throws {
        let given = try generatedRing(["--iterations", "3", "--iteration-gap", "50us", "--size", "256KiB"],
                                      analyze: ["--idle-gap", "30us"])
        XCTAssertEqual(given["iterations"] as? Int, 3)
        XCTAssertEqual(given["iteration_boundary"] as? String, "idle_gap")
        let tooShort = try generatedRing(["--iterations", "1", "--size", "256KiB"], analyze: ["--idle-gap", "1us"])
        XCTAssertEqual(tooShort["iteration_boundary"] as? String, "idle_gap")
        XCTAssertGreaterThan(try XCTUnwrap(tooShort["efficiency"] as? Double), 1)
        let problem = try XCTUnwrap(tooShort["efficiency_problem"] as? String)
        XCTAssertTrue(problem.contains("efficiency above 100 %") && problem.contains("iterations found are too many"), problem)
    }

    /// Every link at the same speed: no straggler is named, and the table says so.
    func testEvenLinksNameNoStraggler() throws {
        for seed in ["1", "2", "3"] {
            let ring = try generatedRing(["--ranks", "6", "--size", "6MiB", "--seed", seed, "--snaplen", "128"])
            XCTAssertNil(ring["straggler"], "seed \(seed)")
            XCTAssertEqual(ring["links_even"] as? Bool, true)
            XCTAssertTrue((ring["notes"] as? [String] ?? []).contains { $0.hasPrefix("No straggler") })
        }
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("even.pcap").path
        _ = try Run.fabricscope(["generate", capture, "--ranks", "4", "--size", "4MiB"])
        let table = try Run.fabricscope(["analyze", capture])
        XCTAssertTrue(table.stdout.contains("no straggler: the links are even"), table.stdout)
        XCTAssertFalse(table.stdout.contains("straggler: 10."), table.stdout)
    }

    /// µs timestamps cannot time the packets of a message: the link rate comes out
    /// low and the model slower than the traffic. That is said, not shown as 366 %.
    func testMicrosecondTimestampsExplainTheirEfficiency() throws {
        let ring = try XCTUnwrap(try collectives(Run.fixture("derived/ring4-faults-usec.pcap")).first)
        XCTAssertGreaterThan(try XCTUnwrap(ring["efficiency"] as? Double), 1)
        let problem = try XCTUnwrap(ring["efficiency_problem"] as? String)
        XCTAssertTrue(problem.contains("with 1 µs timestamps the gaps between packets of a message cannot be timed"), problem)
        let table = try Run.fabricscope(["analyze", Run.fixture("derived/ring4-faults-usec.pcap")])
        XCTAssertTrue(table.stdout.contains("efficiency above 100 %"), table.stdout)
    }
}
