import Foundation
import TestSupport
import XCTest

/// The README's first example is what the command prints today, byte for byte: a new
/// user's first check (issue 28: "README examples reproduce exactly").
final class ReadmeExampleTests: XCTestCase {
    func testTheFirstExampleIsTheCommandsOutput() throws {
        let readme = try String(contentsOf: Run.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let command = "$ fabricscope analyze --top 4 Fixtures/generated/ring4-faults.pcap\n"
        let start = try XCTUnwrap(readme.range(of: command)).upperBound
        let end = try XCTUnwrap(readme[start...].range(of: "```")).lowerBound
        let shown = String(readme[start..<end])
        let result = try Run.fabricscope(["analyze", "--top", "4", Run.fixture("generated/ring4-faults.pcap")])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout + result.stderr, shown, "update the README's first example (it shows the output as of an earlier build)")
    }
}
