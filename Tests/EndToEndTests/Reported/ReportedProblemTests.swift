import Foundation
import TestSupport
import XCTest

/// What a new user tripped on (issue 28's table), one test per row fixed.
final class ReportedProblemTests: XCTestCase {
    /// Row 5: two captures with no link in common read "NOT THE SAME", then
    /// `verdict: no_change` and exit 0, so a CI gate passed. Now the verdict is
    /// not_comparable and `--fail-on-regression` fails on it.
    func testCapturesWithNoCommonLinkAreNotComparable() throws {
        let a = Run.fixture("real/roce-rc-send-real.pcap"), b = try SharedCaptures.path("softroce-send-cm.pcap")
        let gate = try Run.fabricscope(["compare", a, b, "--fail-on-regression"])
        XCTAssertEqual(gate.status, 1, gate.stdout + gate.stderr)
        XCTAssertTrue(gate.stdout.contains("verdict: not_comparable"), gate.stdout)
        let json = try Run.fabricscope(["compare", "-T", "json", a, b])
        XCTAssertEqual(json.status, 0, "without the gate flag the comparison itself succeeds")
        let document = try json.json()
        XCTAssertEqual(document["verdict"] as? String, "not_comparable")
        XCTAssertEqual((document["workload"] as? [String: Any])?["shared_links"] as? Int, 0)
        let path = try Run.scratchDirectory().appendingPathComponent("c.json").path
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: path))
        try SchemaValidator.validate([path], schema: "compare-v1.schema.json")
        // The same capture on both sides shares its links: comparable.
        let same = try Run.fabricscope(["compare", "-T", "json", a, a])
        XCTAssertEqual(try same.json()["verdict"] as? String, "no_change")
    }
}

extension ReportedProblemTests {
    /// Row 13: `health --db typo.db` created an empty database and judged nothing. Only
    /// the commands that store a run create one; the others name the missing file.
    func testReadingCommandsDoNotCreateAHistory() throws {
        let missing = try Run.scratchDirectory().appendingPathComponent("typo.db").path
        for arguments in [["health", "--db", missing], ["history", "list", "--db", missing],
                          ["history", "show", "--db", missing, "n1"], ["history", "prune", "--db", missing, "--keep", "3"]] {
            let result = try Run.fabricscope(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("no history there (nightly or history add creates one)"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "\(arguments) created \(missing)")
        }
    }
}

extension ReportedProblemTests {
    /// Row 2: a healthy 64-rank ring read fabric `cnp_per_s` as the sum over its links
    /// (WARN, FAIL on bigger captures) while every link was far under the limit.
    /// Events per second are judged per link; the fabric is as bad as its worst link.
    func testLargeHealthyFabricIsNotOverTheCNPLimit() throws {
        let capture = try Run.scratchDirectory().appendingPathComponent("ring64.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", capture, "--ranks", "64", "--size", "128KiB", "--ce", "0.01",
                                            "--seed", "2"]).status, 0)
        let document = try Run.fabricscope(["analyze", "-T", "json", capture]).json()
        let capture0 = try XCTUnwrap(document["capture"] as? [String: Any])
        let span = Double(try XCTUnwrap(capture0["end_ns"] as? Int) - (capture0["start_ns"] as? Int ?? 0)) / 1e9
        let flows = try XCTUnwrap(document["flows"] as? [[String: Any]])
        var perLink: [String: Int] = [:]
        for flow in flows { perLink["\(flow["dst"]!)→\(flow["src"]!)", default: 0] += flow["cnp_packets"] as? Int ?? 0 }
        let total = Double(perLink.values.reduce(0, +))
        // The scenario matters: the links' sum is over the 50,000/s limit, no link is.
        XCTAssertGreaterThan(total / span, 50_000)
        XCTAssertLessThan(Double(perLink.values.max() ?? 0) / span, 50_000)
        let checks = (document["health"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []
        XCTAssertFalse(checks.contains { ($0["name"] as? String)?.contains("cnp_per_s") == true }, "\(checks)")
    }
}

extension ReportedProblemTests {
    /// Row 13: the out-of-order warning was printed twice in a terminal, at the end of
    /// the table and on standard error. Once with the table; on standard error for
    /// JSON, CSV or a table written to a file.
    func testAWarningIsSaidOnce() throws {
        let capture = Run.fixture("real/roce-rc-send-real.pcap")
        let table = try Run.fabricscope(["analyze", capture])
        XCTAssertEqual(table.stdout.components(separatedBy: "earlier than the record before them").count - 1, 1, table.stdout)
        XCTAssertFalse(table.stderr.contains("earlier than"), table.stderr)
        let json = try Run.fabricscope(["analyze", "-T", "json", capture])
        XCTAssertTrue(json.stderr.contains("fabricscope: warning:") && json.stderr.contains("earlier than"), json.stderr)
        let file = try Run.scratchDirectory().appendingPathComponent("t.txt").path
        let written = try Run.fabricscope(["analyze", capture, "-o", file])
        XCTAssertTrue(written.stderr.contains("earlier than"), written.stderr)
    }
}

extension ReportedProblemTests {
    /// Row 3: "PFC paused share of time 102 %" (two ports' paused time summed), and a
    /// summary line ("[WARN] PFC") milder than the failing check beside it. The share
    /// is now the most-paused port's, and no summary line is milder than its checks.
    func testPFCShareIsAShareAndTheSummaryAgreesWithTheChecks() throws {
        let capture = Run.fixture("generated/ring4-faults.pcap")
        let document = try Run.fabricscope(["analyze", "-T", "json", capture]).json()
        let checks = try XCTUnwrap((document["health"] as? [String: Any])?["checks"] as? [[String: Any]])
        let pfc = try XCTUnwrap(checks.first { $0["name"] as? String == "threshold/pfc_paused_fraction" })
        let share = try XCTUnwrap(pfc["value"] as? Double)
        XCTAssertLessThanOrEqual(share, 1)
        // The most-paused port's own paused time over the capture's span.
        let ports = try XCTUnwrap(document["pfc"] as? [[String: Any]])
        let capture0 = try XCTUnwrap(document["capture"] as? [String: Any])
        let span = Double((capture0["end_ns"] as? Int ?? 0) - (capture0["start_ns"] as? Int ?? 0))
        let worst = Double(ports.compactMap { $0["paused_ns"] as? Int }.max() ?? 0)
        XCTAssertEqual(share, worst / span, accuracy: 1e-9)
        XCTAssertGreaterThan(Double(ports.compactMap { $0["paused_ns"] as? Int }.reduce(0, +)) / span, 1,
                             "summed over ports this capture reads over 100 %")
        let html = try Run.scratchDirectory().appendingPathComponent("r.html").path
        XCTAssertEqual(try Run.fabricscope(["report", capture, "-o", html, "--force"]).status, 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<b>[BAD] PFC:</b>"), "the summary agrees with the failing check")
        XCTAssertFalse(page.contains("102 %"))
        // compare's time blocks: each block's share is its most-paused port's too (it
        // summed ports, 113.9 % here), with each port's paused time kept per window.
        let compared = try Run.fabricscope(["compare", "-T", "json", capture, capture]).json()
        let blockNs = try XCTUnwrap((compared["baseline"] as? [String: Any])?["block_ns"] as? Int)
        XCTAssertEqual(compared["baseline"].flatMap { ($0 as? [String: Any])?["unit_count"] as? Int }, 1)
        let row = try XCTUnwrap((compared["changes"] as? [[String: Any]])?.first { $0["metric"] as? String == "pfc_paused_fraction" })
        XCTAssertEqual(try XCTUnwrap(row["baseline"] as? Double), worst / Double(blockNs), accuracy: 1e-9)
        XCTAssertLessThanOrEqual(try XCTUnwrap(row["baseline"] as? Double), 1)
    }
}

extension ReportedProblemTests {
    /// Row 4: the default table gave no verdict, though the README says verdicts are
    /// per link. Row 13: health said "7.51e+04/s" beside compare's "8.69 k/s". The
    /// table now ends with the health headline and the checks that warn or fail,
    /// rates written as compare writes them.
    func testTheTableSaysTheVerdict() throws {
        let table = try Run.fabricscope(["analyze", Run.fixture("generated/ring4-faults.pcap")]).stdout
        XCTAssertTrue(table.contains("health: fabric FAIL: 2 links and the fabric"), table)
        XCTAssertTrue(table.contains("FAIL  10.0.0.2→10.0.0.3  threshold/retransmitted_fraction"), table)
        XCTAssertTrue(table.contains("NAK rate 8.95 k/s is above the warn limit 100 /s"), table)
        XCTAssertFalse(table.contains("e+0"), table)
    }
}

extension ReportedProblemTests {
    /// Row 10: `model --intra-bandwidth 900GB/s` was refused (bit units only) though
    /// the model's own table is in GB/s. Byte rates are read as 8 bits a byte.
    func testByteRatesAreAccepted() throws {
        let bytes = try Run.fabricscope(["model", "--bandwidth", "50GB/s", "--size", "1GiB", "-T", "json"])
        let bits = try Run.fabricscope(["model", "--bandwidth", "400Gbps", "--size", "1GiB", "-T", "json"])
        XCTAssertEqual(bytes.status, 0, bytes.stderr)
        XCTAssertEqual(try bytes.json()["bandwidth_bps"] as? Double, 400e9)
        XCTAssertEqual(try bytes.json()["busbw_bps"] as? Double, try bits.json()["busbw_bps"] as? Double)
        let intra = try Run.fabricscope(["model", "--ranks", "16", "--gpus-per-node", "8", "--intra-bandwidth", "900GB/s",
                                         "--size", "1GiB"])
        XCTAssertEqual(intra.status, 0, intra.stderr)
    }
}

extension ReportedProblemTests {
    /// Row 6: `scripts/nightly.sh` run twice for one label exited 2, then printed the
    /// earlier report as if it were tonight's; the usage line's order was refused.
    /// Now the refusal prints only its reason, and --replace stores tonight's run.
    func testNightlyScriptRerunSaysSoOrReplaces() throws {
        let directory = try Run.scratchDirectory()
        let script = Run.repository.appendingPathComponent("scripts/nightly.sh")
        let arguments = ["--db", directory.appendingPathComponent("h.db").path, "--out", directory.appendingPathComponent("out").path,
                         "--label", "tonight", "--bin", Run.fabricscope.path, Run.fixture("generated/ring4-faults.pcap")]
        let first = try Run.program(script, arguments)
        XCTAssertEqual(first.status, 1, "the faults fail health: \(first.stderr)")
        XCTAssertTrue(first.stdout.contains("tonight: fabric FAIL"), first.stdout)
        let again = try Run.program(script, arguments)
        XCTAssertEqual(again.status, 2)
        XCTAssertEqual(again.stdout, "", "no earlier report shown as tonight's")
        XCTAssertTrue(again.stderr.contains("a run labelled 'tonight' exists"), again.stderr)
        let replaced = try Run.program(script, ["--replace"] + arguments + ["--", "--tag", "rerun=yes"])
        XCTAssertEqual(replaced.status, 1, replaced.stderr)
        XCTAssertTrue(replaced.stdout.contains("tonight: fabric FAIL"), replaced.stdout)
    }
}

extension ReportedProblemTests {
    /// Row 12: the compare page said "Verdict: regression — verdict: regression", listed
    /// every row including those zero on both sides (the command line hides them), and
    /// left out the rows the data could not decide. It now shows what the CLI shows.
    func testComparePageShowsWhatTheCommandLineShows() throws {
        let directory = try Run.scratchDirectory()
        let a = try CompareRuns.generate(directory, "a", seed: 71)
        let b = try CompareRuns.generate(directory, "b", seed: 72, ["--ce-link", "1:0.05"])
        let html = directory.appendingPathComponent("c.html").path
        let table = try Run.fabricscope(["compare", a, b, "--html", html])
        XCTAssertEqual(table.status, 0, table.stderr)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertEqual(page.components(separatedBy: "verdict: regression").count - 1, 1, "the verdict said once")
        XCTAssertFalse(page.lowercased().contains("verdict: regression — verdict"))
        XCTAssertTrue(page.contains("Workload: comparable"))
        // The rows zero on both sides: counted on both, listed on neither.
        let zeroLine = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.contains("rows zero on both sides not shown") })
        let count = try XCTUnwrap(Int(zeroLine.dropFirst().split(separator: " ").first ?? ""))
        XCTAssertTrue(page.contains("\(count) rows zero on both sides not shown"), "\(count)")
        if table.stdout.contains("Not decided by the data:") { XCTAssertTrue(page.contains("Not decided by the data")) }
    }
}

extension ReportedProblemTests {
    /// Row 7: `report` on a real capture drew the throughput axis in "8e-03" Gb/s and
    /// x ticks "740, 7.4e+02, 7.4e+02". Axes now take the unit the data reads in, and
    /// tick labels as many decimals as their step needs: distinct, never exponents.
    func testChartAxesAreReadableOnSparseCaptures() throws {
        let html = try Run.scratchDirectory().appendingPathComponent("real.html").path
        XCTAssertEqual(try Run.fabricscope(["report", Run.fixture("real/roce-rc-send-real.pcap"), "-o", html, "--force"]).status, 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let svgs = page.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        XCTAssertFalse(svgs.isEmpty)
        for svg in svgs {
            let labels = svg.components(separatedBy: "<text").dropFirst().compactMap { $0.split(separator: ">").dropFirst().first?
                .split(separator: "<").first.map(String.init) }
            XCTAssertFalse(labels.contains { $0.range(of: #"\de[+-]\d"#, options: .regularExpression) != nil }, "\(labels)")
            let numbers = labels.filter { Double($0) != nil }
            XCTAssertEqual(Set(numbers).count, numbers.count, "tick labels read alike: \(numbers)")
        }
        XCTAssertTrue(page.contains("wire throughput (Mb/s)"), "a few Mb/s on a Mb/s axis")
    }
}

extension ReportedProblemTests {
    /// Row 9: the README did not name the Swift toolchain; without one, set-up failed
    /// deep in a build. `scripts/setup.sh` now says what is missing and where to get it.
    func testSetUpNamesAMissingToolchain() throws {
        let setup = Run.repository.appendingPathComponent("scripts/setup.sh").path
        // No PATH at all: wherever a toolchain is installed, none is found (the check
        // runs before any other command).
        let result = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["PATH=/nonexistent", "/bin/bash", setup])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("no Swift toolchain on PATH") && result.stderr.contains("swift.org/install"),
                      result.stderr)
    }
}

extension ReportedProblemTests {
    /// Row 8: a 4,096-rank ring's line in the table was 61,331 characters. Past 16
    /// hosts the middle of the path is elided and counted.
    func testLongRingLinesAreElided() throws {
        let capture = try Run.scratchDirectory().appendingPathComponent("ring40.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", capture, "--ranks", "40", "--size", "40KiB"]).status, 0)
        let table = try Run.fabricscope(["analyze", capture]).stdout
        let line = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("ring all-reduce: 40 ranks") })
        XCTAssertTrue(line.contains("10.0.0.8 → … (28 more) … → 10.0.0.37"), String(line))
        XCTAssertLessThan(line.count, 400)
        let json = try Run.fabricscope(["analyze", "-T", "json", capture]).json()
        XCTAssertEqual(((json["collectives"] as? [[String: Any]])?.first?["hosts"] as? [String])?.count, 40, "JSON keeps them all")
    }
}

extension ReportedProblemTests {
    /// Row 13: a capture of a few packets read "fabric OK: 13 checks passed" without
    /// saying that no latency check could run; and night 2 said "baseline: 1 earlier
    /// run" above "no baseline yet".
    func testFewSamplesAndOneEarlierRunAreSaid() throws {
        let few = try Run.fabricscope(["analyze", try SharedCaptures.path("softroce-send-cm.pcap")]).stdout
        // (Its two hosts disagree on RoCE's class, so the verdict warns; the note stays.)
        XCTAssertTrue(few.contains("fabric WARN: 1 fabric-wide check (no latency check: too few request→ACK samples)"), few)
        let enough = try Run.fabricscope(["analyze", Run.fixture("real/roce-rc-send-real.pcap")]).stdout
        XCTAssertFalse(enough.contains("no latency check"), enough)
        let directory = try Run.scratchDirectory()
        let database = directory.appendingPathComponent("h.db").path, capture = Run.fixture("real/roce-rc-send-real.pcap")
        _ = try Run.fabricscope(["nightly", "--db", database, "--label", "n1", capture])
        let second = try Run.fabricscope(["nightly", "--db", database, "--label", "n2", capture])
        XCTAssertTrue(second.stdout.contains("baseline: none yet (1 earlier run, n1; 2 or more needed)"), second.stdout)
        let third = try Run.fabricscope(["nightly", "--db", database, "--label", "n3", capture])
        XCTAssertTrue(third.stdout.contains("baseline: 2 earlier runs: n1, n2"), third.stdout)
    }
}

extension ReportedProblemTests {
    /// Row 13: the `--roce-port` hint counted 37 of the real capture's 105 RoCE packets
    /// (it wanted a zero byte that the capture's data packets set). Every one counts now.
    func testRocePortHintCountsEveryRoCEPacket() throws {
        let capture = Run.fixture("real/roce-rc-send-real.pcap")
        let roce = try XCTUnwrap(try Run.fabricscope(["analyze", "-T", "json", capture]).json()["capture"] as? [String: Any])
        let hint = try Run.fabricscope(["analyze", capture, "--roce-port", "4792"]).stdout
        XCTAssertTrue(hint.contains("\(roce["roce_packets"] as? Int ?? -1) UDP packet(s) to port 4791 carry what looks like an InfiniBand BTH"),
                      hint)
    }
}

extension ReportedProblemTests {
    /// Row 13: the two-tap table's header ("TAP DELAY SRC") was wider than its column.
    func testTwoTapHeaderLinesUp() throws {
        let directory = try Run.scratchDirectory()
        let first = directory.appendingPathComponent("a.pcap").path, second = directory.appendingPathComponent("b.pcap").path
        XCTAssertEqual(try Run.fabricscope(["generate", first, "--ranks", "4", "--size", "64KiB", "--second-tap", second]).status, 0)
        let lines = try Run.fabricscope(["analyze", "--tap", first, "--tap", second]).stdout.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("SRC ") && $0.contains("FROM→TO") })
        XCTAssertEqual(lines[header - 1], "delay from one tap to the other, per flow:")
        // Every row's DST column starts where the header's does.
        let column = try XCTUnwrap(lines[header].range(of: "DST")).lowerBound.utf16Offset(in: lines[header])
        for row in lines[(header + 1)...].prefix(while: { $0.hasPrefix("10.0.0.") }) {
            XCTAssertEqual(row.dropFirst(column).prefix(7), "10.0.0.", row)
        }
    }
}

extension ReportedProblemTests {
    /// Row 8: `generate` ran 143 s without a sign of life. On a terminal, work that
    /// lasts shows a progress line on standard error (`--quiet` silences it); pipes
    /// and logs never see it. (The 2 s delay is set to 0 here through
    /// FABRICSCOPE_PROGRESS_AFTER_MS; util-linux `script` gives the terminal.)
    func testProgressOnATerminalOnly() throws {
        let script = try Nights.require("script", probe: [])
        let capture = try Run.scratchDirectory().appendingPathComponent("p.pcap").path
        let command = "\(Run.fabricscope.path) generate --force --ranks 8 --size 8MiB \(capture)"
        func onTerminal(_ extra: String) throws -> String {
            try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["FABRICSCOPE_PROGRESS_AFTER_MS=0", script.path, "-qec",
                                                                  command + extra, "/dev/null"]).stdout
        }
        XCTAssertTrue(try onTerminal("").contains("generate: packets: "), "a progress line on a terminal")
        XCTAssertFalse(try onTerminal(" --quiet").contains("generate: packets: "), "--quiet")
        let piped = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["FABRICSCOPE_PROGRESS_AFTER_MS=0", Run.fabricscope.path,
                                                                          "generate", "--force", "--ranks", "8", "--size", "8MiB", capture])
        XCTAssertFalse(piped.stderr.contains("generate: packets: "), piped.stderr)
        XCTAssertTrue(piped.stderr.contains("wrote 28784 packets"), piped.stderr)
        // analyze: what it reads, the share of its bytes read so far (a plain file) and
        // for how long, on a terminal only.
        let analyze = "\(Run.fabricscope.path) analyze -T json -o /dev/null \(capture)"
        let shown = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["FABRICSCOPE_PROGRESS_AFTER_MS=0", script.path, "-qec",
                                                                          analyze, "/dev/null"]).stdout
        XCTAssertNotNil(shown.range(of: #"analyze: reading 1 capture\(s\), [0-9.]+ MB, [0-9]+ % [0-9]+ s"#, options: .regularExpression),
                        shown)
        // gzip: its read position counts decompressed bytes, so no share is claimed.
        let compressed = capture + ".gz"
        XCTAssertEqual(try Run.program(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -1c \(capture) > \(compressed)"]).status, 0)
        let gzipShown = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), [
            "FABRICSCOPE_PROGRESS_AFTER_MS=0", script.path, "-qec",
            "\(Run.fabricscope.path) analyze -T json -o /dev/null \(compressed)", "/dev/null"]).stdout
        XCTAssertNotNil(gzipShown.range(of: #"analyze: reading 1 capture\(s\), [0-9.]+ [kM]B, [0-9]+ s"#, options: .regularExpression),
                        gzipShown)
        let quiet = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["FABRICSCOPE_PROGRESS_AFTER_MS=0", script.path, "-qec",
                                                                          analyze + " --quiet", "/dev/null"]).stdout
        XCTAssertFalse(quiet.contains("analyze: reading"), quiet)
        let analyzePiped = try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["FABRICSCOPE_PROGRESS_AFTER_MS=0",
                                                                                 Run.fabricscope.path, "analyze", capture])
        XCTAssertFalse(analyzePiped.stderr.contains("analyze: reading"), analyzePiped.stderr)
    }
}

extension ReportedProblemTests {
    /// Bad input: a history archived read-only, in a directory the nightly user may not
    /// write, and a textfile directory it may not write. Each is named with exit 2
    /// before any work, nothing is changed, and the read-only history is still read.
    /// Run as an unprivileged user (nobody, through util-linux setpriv) when the suite
    /// runs as root, to whom permissions do not apply.
    func testUnwritableHistoryAndTextfileDirectoryAreNamedAndLeftAsTheyWere() throws {
        let directory = try Run.scratchDirectory()
        // The binary and the capture where the unprivileged user can reach them (a clone
        // under /root is not): a directory of their own, world-readable.
        let tools = try Run.scratchDirectory()
        let binary = tools.appendingPathComponent("fabricscope"), capture = tools.appendingPathComponent("capture.pcap").path
        try FileManager.default.copyItem(at: Run.fabricscope, to: binary)
        try FileManager.default.copyItem(atPath: Run.fixture("real/roce-rc-send-real.pcap"), toPath: capture)
        let database = directory.appendingPathComponent("h.db").path
        XCTAssertEqual(try Run.fabricscope(["nightly", "--db", database, "--label", "n1", capture, "-o", "/dev/null"]).status, 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        let unprivileged = { (arguments: [String]) throws -> RunResult in
            getuid() == 0
                ? try Run.program(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                  ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path] + arguments)
                : try Run.program(binary, arguments)
        }
        let add = try unprivileged(["nightly", "--db", database, "--label", "n2", capture, "-o", "/dev/null"])
        XCTAssertEqual(add.status, 2, add.stdout)
        XCTAssertTrue(add.stderr.contains("\(database): the history is read-only"), add.stderr)
        XCTAssertTrue(add.stderr.contains("nothing was added"), add.stderr)
        let list = try unprivileged(["history", "list", "--db", database])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.hasPrefix("LABEL") && list.stdout.contains("\nn1\t") && list.stdout.contains("1 run(s)"), list.stdout)
        let health = try unprivileged(["health", "--db", database, "-T", "json"])
        XCTAssertEqual(try health.json()["label"] as? String, "n1", health.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: database)), bytes)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["h.db"], "no journal left behind")

        // The textfile collector's directory not writable: refused before a history is made.
        let open = try Run.scratchDirectory(), textfiles = try Run.scratchDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: open.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: textfiles.path)
        let fresh = open.appendingPathComponent("fresh.db").path
        let night = try unprivileged(["nightly", "--db", fresh, "--label", "n1", capture, "-o", "/dev/null",
                                      "--prometheus", textfiles.appendingPathComponent("fabricscope.prom").path])
        XCTAssertEqual(night.status, 2, night.stdout)
        XCTAssertTrue(night.stderr.contains("fabricscope.prom: cannot write in \(textfiles.path): Permission denied"), night.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh), "no history created for a night that could not be written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: textfiles.path), [])

        // The disk full when the reports are written (/dev/full): the night is stored,
        // and the message says how to write its reports without storing it twice.
        let full = try Run.fabricscope(["nightly", "--db", fresh, "--label", "n1", capture, "-o", "/dev/null",
                                        "--prometheus", "/dev/full"])
        XCTAssertEqual(full.status, 2)
        XCTAssertTrue(full.stderr.contains("/dev/full: cannot write: No space left on device (run 'n1' is stored; "
            + "'health --db \(fresh) --label n1' with the same outputs writes its reports)"), full.stderr)
        XCTAssertEqual(try Run.fabricscope(["health", "--db", fresh, "--label", "n1", "--prometheus", "/dev/null"]).status, 0)
    }
}
