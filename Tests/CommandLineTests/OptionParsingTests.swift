import ArgumentParser
@testable import fabricscope
import XCTest

/// Option parsing and validation in-process, as ArgumentParser runs it before any
/// work: what each command accepts, its defaults, and the refusals `validate()` makes
/// (their wording is held end to end by OptionValidationTests).
final class OptionParsingTests: XCTestCase {
    /// The refusal's message as the user reads it.
    private func refusal(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try FabricScope.parseAsRoot(arguments)
            XCTFail("\(arguments) was accepted", file: file, line: line)
            return ""
        } catch {
            return FabricScope.message(for: error)
        }
    }

    func testAnalyzeIsTheDefaultWithItsDefaults() throws {
        let command = try XCTUnwrap(try FabricScope.parseAsRoot(["a.pcap"]) as? Analyze)
        XCTAssertEqual(command.report.format, .table)
        XCTAssertEqual(command.report.sort, .bytes)
        XCTAssertNil(command.report.top)
        XCTAssertEqual(command.input.threads, nil)
    }

    func testModelChecksItsOptionsBeforeAnyWork() throws {
        let model = try XCTUnwrap(try FabricScope.parseAsRoot(["model", "--ranks", "16", "--size", "1MiB:4MiB"]) as? Model)
        XCTAssertEqual(model.ranks, 16)
        XCTAssertEqual(try Model.sizes(model.size), [1_048_576, 2_097_152, 4_194_304])
        XCTAssertEqual(model.bandwidth.value, 400e9)
        XCTAssertTrue(refusal(["model", "--ranks", "1"]).contains("--ranks must be 2–1048576 (got 1)"))
        XCTAssertTrue(refusal(["model", "--collective", "alltoall", "--algorithm", "ring"]).contains("--algorithm for alltoall must be one of pairwise"))
        XCTAssertTrue(refusal(["model", "-T", "csv"]).contains("model has no CSV"))
        XCTAssertTrue(refusal(["model", "--ranks", "10", "--gpus-per-node", "4"]).contains("ranks divisible by it"))
        XCTAssertTrue(refusal(["model", "--size", "4MiB:1MiB"]).contains("must go from small to large"))
        XCTAssertTrue(refusal(["model", "--size", "100"]).contains("'100' has no unit"))
    }

    func testGenerateChecksItsOptionCombinations() {
        XCTAssertTrue(refusal(["generate", "out", "--nights", "0"]).contains("--nights must be 1–1000 (got 0)"))
        XCTAssertTrue(refusal(["generate", "out", "--nights", "3", "--truth", "t.json"]).contains("--truth, --second-tap"))
        XCTAssertTrue(refusal(["generate", "out", "--nights", "3", "--degrade-from", "4"]).contains("between 1 and 3 (got 4)"))
        XCTAssertTrue(refusal(["generate", "out.pcap", "--degrade-from", "2"]).contains("--degrade-from needs --nights"))
        XCTAssertTrue(refusal(["generate", "out.pcap", "--slow-link", "3"]).contains("--slow-link: expected RANK:VALUE"))
        XCTAssertTrue(refusal(["generate", "out.pcap", "--encap", "mpls"]).contains("unknown encapsulation 'mpls'"))
        XCTAssertTrue(refusal(["generate", "out.pcap", "--mirror-loss", "2"]).contains("between 0 and 1 (got 2.0)"))
    }

    func testCompareAndHealthOptions() throws {
        let compare = try XCTUnwrap(try FabricScope.parseAsRoot(["compare", "a.pcap", "b.pcap", "--min-effect", "2%"]) as? Compare)
        XCTAssertEqual(try compare.validatedOptions().minEffect, 0.02, accuracy: 1e-12)
        XCTAssertTrue(refusal(["compare", "a", "b", "--alpha", "0.7"]).contains("--alpha must be between 0 and 0.5"))
        XCTAssertTrue(refusal(["compare", "a", "b", "--min-effect", "lots"]).contains("expected a share such as 5%"))
        XCTAssertTrue(refusal(["compare", "a", "b", "--blocks", "1"]).contains("--blocks must be 2–1000"))
        XCTAssertTrue(refusal(["health", "--db", "h.db", "--baseline-runs", "1"]).contains("--baseline-runs must be at least 2"))
        XCTAssertTrue(refusal(["health", "--db", "h.db", "--baseline-tag", "nokey"]).contains("expected KEY=VALUE"))
        let health = try XCTUnwrap(try FabricScope.parseAsRoot(["health", "--db", "h.db", "--baseline-tag", "fw=2.1"]) as? Health)
        XCTAssertEqual(try health.options.tag()?.key, "fw")
        XCTAssertEqual(try health.options.tag()?.value, "2.1")
        XCTAssertTrue(refusal(["history", "prune", "--db", "h.db"]).contains("give --keep N and/or --older-than"))
        XCTAssertTrue(refusal(["history", "prune", "--db", "h.db", "--older-than", "soon"]).contains("expected a duration"))
        XCTAssertTrue(refusal(["analyze", "a.pcap", "--top", "0"]).contains("--top must be at least 1"))
    }
}
