import TestSupport
import Foundation
import XCTest

/// Pinned outputs, the way tcpdump's TESTLIST pins its own: for each committed fixture,
/// what the commands print (table, JSON, CSV, compare's verdict, health's verdict) and
/// the files they write (Prometheus text, JUnit XML, Markdown), byte for byte, with
/// stderr and the exit status. The repository's path is written as `<repo>`, a
/// scratch directory as `<tmp>`, and the export's own wall-clock time as `<time>`.
/// A change to any output shows as a diff here and must be regenerated on purpose:
///
///     scripts/golden.sh
///
/// and the diff of Fixtures/golden/ read in the commit that changes the output.
final class GoldenOutputTests: XCTestCase {
    static let directory = Run.repository.appendingPathComponent("Fixtures/golden")

    /// One pinned output: commands run in order in a fresh scratch directory (`<tmp>`;
    /// fixture paths relative to Fixtures/), the last one's output pinned, then the
    /// files named in `files` (relative to the scratch directory).
    struct Case {
        var name: String
        var steps: [[String]]
        var files: [String] = []

        init(_ name: String, _ arguments: [String]) {
            self.name = name
            steps = [arguments]
        }

        init(_ name: String, steps: [[String]], files: [String]) {
            self.name = name
            self.steps = steps
            self.files = files
        }
    }

    static let cases: [Case] = [
        Case("ring4-faults.table", ["analyze", "generated/ring4-faults.pcap"]),
        Case("ring4-faults.json", ["analyze", "-T", "json", "generated/ring4-faults.pcap"]),
        Case("ring4-faults.csv", ["analyze", "-T", "csv", "generated/ring4-faults.pcap"]),
        Case("ring8-ipv6-vlan-wrap-snap128.table", ["analyze", "generated/ring8-ipv6-vlan-wrap-snap128.pcap"]),
        Case("roce-rc-send-real.table", ["analyze", "real/roce-rc-send-real.pcap"]),
        Case("roce-rc-send-real.json", ["analyze", "-T", "json", "real/roce-rc-send-real.pcap"]),
        Case("ring4-faults.erf-ib.table", ["analyze", "derived/ring4-faults.erf-ib.pcap"]),
        Case("ring4-faults-usec.table", ["analyze", "derived/ring4-faults-usec.pcap"]),
        Case("model-ring8.table", ["model", "--ranks", "8", "--size", "1MiB:64MiB", "--link-speed", "400Gbps"]),
        Case("model-ring8.json", ["model", "-T", "json", "--ranks", "8", "--size", "1MiB:64MiB", "--link-speed", "400Gbps"]),
        Case("bad-file.stderr", ["analyze", "hostile/four-bytes.pcap"]),
        Case("compare-ring4-usec.table", ["compare", "--all", "generated/ring4-faults.pcap", "derived/ring4-faults-usec.pcap"]),
        Case("compare-ring4-usec.json", ["compare", "-T", "json", "generated/ring4-faults.pcap", "derived/ring4-faults-usec.pcap"]),
        Case("compare-ring4-usec.md", ["compare", "-T", "markdown", "generated/ring4-faults.pcap", "derived/ring4-faults-usec.pcap"]),
        Case("health-ring4.table", steps: [
            ["history", "add", "--db", "<tmp>/h.db", "--label", "n1", "generated/ring4-faults.pcap"],
            ["history", "add", "--db", "<tmp>/h.db", "--label", "n2", "derived/ring4-faults-usec.pcap"],
            ["health", "--db", "<tmp>/h.db", "--all", "--prometheus", "<tmp>/night.prom", "--junit", "<tmp>/night.xml"],
        ], files: ["night.prom", "night.xml"]),
        Case("health-ring4.json", steps: [
            ["history", "add", "--db", "<tmp>/h.db", "--label", "n1", "generated/ring4-faults.pcap"],
            ["health", "--db", "<tmp>/h.db", "-T", "json"],
        ], files: []),
        Case("report-ring4.md", steps: [
            ["report", "-o", "<tmp>/r.html", "generated/ring4-faults.pcap"],
        ], files: ["r.md"]),
    ]

    func testOutputsMatchTheGoldenFiles() throws {
        let update = ProcessInfo.processInfo.environment["FABRICSCOPE_UPDATE_GOLDEN"] != nil
        if update { try FileManager.default.createDirectory(at: GoldenOutputTests.directory, withIntermediateDirectories: true) }
        for pinned in GoldenOutputTests.cases {
            let text = try GoldenOutputTests.output(of: pinned)
            let golden = GoldenOutputTests.directory.appendingPathComponent(pinned.name)
            if update {
                try text.write(to: golden, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            XCTAssertEqual(text, expected, "\(pinned.name) differs from Fixtures/golden/\(pinned.name); regenerate on purpose (see this file)")
        }
    }

    static func output(of pinned: Case) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fabricscope-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fixtures = Run.repository.appendingPathComponent("Fixtures").path
        var result = RunResult(status: 0, stdout: "", stderr: "")
        for step in pinned.steps {
            let resolved = step.map {
                $0.hasPrefix("<tmp>") ? scratch.path + $0.dropFirst(5)
                    : $0.contains("/") && $0.hasSuffix(".pcap") ? fixtures + "/" + $0 : $0
            }
            result = try Run.fabricscope(resolved)
        }
        var text = "exit \(result.status)\n--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
        for file in pinned.files {
            let contents = (try? String(contentsOf: scratch.appendingPathComponent(file), encoding: .utf8)) ?? "(not written)\n"
            text += "--- \(file)\n" + contents
        }
        text = text.replacingOccurrences(of: scratch.path, with: "<tmp>")
            .replacingOccurrences(of: Run.repository.path, with: "<repo>")
        return maskingClock(text)
    }

    /// The exports' own finishing time is the one value that changes from run to run
    /// (Prometheus's last-success gauge, JUnit's suite timestamp).
    static func maskingClock(_ text: String) -> String {
        let stamp = "fabricscope_health_last_success_timestamp_seconds "
        let masked = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(stamp) ? stamp + "<time>" : String(line)
        }.joined(separator: "\n")
        let junit = try! NSRegularExpression(pattern: #"timestamp="[0-9T:-]+Z""#)
        return junit.stringByReplacingMatches(in: masked, range: NSRange(masked.startIndex..., in: masked),
                                              withTemplate: #"timestamp="<time>""#)
    }
}
