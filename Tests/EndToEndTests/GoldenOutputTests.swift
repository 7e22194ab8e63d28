import Foundation
import XCTest

/// Pinned outputs, the way tcpdump's TESTLIST pins its own: for each committed fixture,
/// what `analyze` prints as a table, JSON and CSV, and stderr, byte for byte (the
/// repository's path written as `<repo>`). A change to any output shows as a diff
/// here and must be regenerated on purpose:
///
///     FABRICSCOPE_UPDATE_GOLDEN=1 swift test --disable-swift-testing --filter GoldenOutputTests
///
/// and the diff of Fixtures/golden/ read in the commit that changes the output.
final class GoldenOutputTests: XCTestCase {
    static let directory = Run.repository.appendingPathComponent("Fixtures/golden")

    /// Name, arguments (fixture paths relative to Fixtures/).
    static let cases: [(String, [String])] = [
        ("ring4-faults.table", ["analyze", "generated/ring4-faults.pcap"]),
        ("ring4-faults.json", ["analyze", "-T", "json", "generated/ring4-faults.pcap"]),
        ("ring4-faults.csv", ["analyze", "-T", "csv", "generated/ring4-faults.pcap"]),
        ("ring8-ipv6-vlan-wrap-snap128.table", ["analyze", "generated/ring8-ipv6-vlan-wrap-snap128.pcap"]),
        ("roce-rc-send-real.table", ["analyze", "real/roce-rc-send-real.pcap"]),
        ("roce-rc-send-real.json", ["analyze", "-T", "json", "real/roce-rc-send-real.pcap"]),
        ("ring4-faults.erf-ib.table", ["analyze", "derived/ring4-faults.erf-ib.pcap"]),
        ("ring4-faults-usec.table", ["analyze", "derived/ring4-faults-usec.pcap"]),
        ("model-ring8.table", ["model", "--ranks", "8", "--size", "1MiB:64MiB", "--link-speed", "400Gbps"]),
        ("bad-file.stderr", ["analyze", "hostile/four-bytes.pcap"]),
    ]

    func testOutputsMatchTheGoldenFiles() throws {
        let update = ProcessInfo.processInfo.environment["FABRICSCOPE_UPDATE_GOLDEN"] != nil
        if update { try FileManager.default.createDirectory(at: GoldenOutputTests.directory, withIntermediateDirectories: true) }
        let fixtures = Run.repository.appendingPathComponent("Fixtures").path
        for (name, arguments) in GoldenOutputTests.cases {
            let resolved = arguments.map { $0.contains("/") && $0.hasSuffix(".pcap") ? fixtures + "/" + $0 : $0 }
            let result = try Run.fabricscope(resolved)
            let text = "exit \(result.status)\n--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
                .replacingOccurrences(of: Run.repository.path, with: "<repo>")
            let golden = GoldenOutputTests.directory.appendingPathComponent(name)
            if update {
                try text.write(to: golden, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            XCTAssertEqual(text, expected, "\(name) differs from Fixtures/golden/\(name); regenerate on purpose (see this file)")
        }
    }
}
