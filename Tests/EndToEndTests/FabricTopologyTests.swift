import Foundation
import TestSupport
import XCTest

/// Issue 27, items 1, 2 and 5: the fabric behind the links. A topology (FabricScope's
/// JSON, lldpctl output inside it, or ibnetdiscover) places each link on the switches
/// and ports it crosses; the switch that degraded links share is named against the
/// generator's truth, and no switch is named on a healthy fabric.
final class FabricTopologyTests: XCTestCase {
    private func sharedHop(_ document: [String: Any]) -> [String: Any]? {
        ((document["health"] as? [String: Any])?["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "shared_hop" }
    }

    /// A congested leaf (every link with an end on it CE-marked) is named, seed after
    /// seed; healthy fabrics of the same shape name nothing.
    func testTheCongestedLeafIsNamedAndAHealthyFabricIsNot() throws {
        let directory = try Run.scratchDirectory()
        for seed in 1...4 {
            let capture = directory.appendingPathComponent("s\(seed).pcap").path
            let topology = directory.appendingPathComponent("s\(seed).json").path
            let leaf = seed % 4
            let generated = try Run.fabricscope(["generate", "--ranks", "32", "--leaves", "4", "--size", "256KiB", "--seed", "\(seed)",
                                                 "--congested-leaf", "\(leaf):0.3", "--topology-out", topology, "--force", capture])
            XCTAssertEqual(generated.status, 0, generated.stderr)
            let document = try Run.fabricscope(["analyze", "-T", "json", capture, "--topology", topology]).json()
            let hop = try XCTUnwrap(sharedHop(document), "seed \(seed)")
            XCTAssertTrue((hop["message"] as? String ?? "").contains("degraded links cross leaf\(leaf + 1) (no healthy link does)"),
                          "seed \(seed): \(hop)")
            XCTAssertLessThan(try XCTUnwrap(hop["value"] as? Double), 0.01)
            let switches = try XCTUnwrap(document["switches"] as? [[String: Any]])
            let worst = switches.filter { $0["kind"] as? String == "switch" }.max {
                ($0["ce_fraction"] as? Double ?? 0) < ($1["ce_fraction"] as? Double ?? 0)
            }
            XCTAssertEqual(worst?["name"] as? String, "leaf\(leaf + 1)", "the per-switch figures point at it too")
            // And health judges each switch's pooled figures against the links' limits.
            let switchChecks = ((document["health"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []).filter { $0["scope"] as? String == "switch" }
            XCTAssertEqual(switchChecks.map { "\($0["src"] as? String ?? "") \($0["name"] as? String ?? "")" },
                           ["leaf\(leaf + 1) threshold/ce_fraction"], "seed \(seed)")

            let healthy = directory.appendingPathComponent("h\(seed).pcap").path
            XCTAssertEqual(try Run.fabricscope(["generate", "--ranks", "32", "--leaves", "4", "--size", "256KiB", "--seed", "\(seed)",
                                                "--topology-out", topology, "--force", healthy]).status, 0)
            let calm = try Run.fabricscope(["analyze", "-T", "json", healthy, "--topology", topology]).json()
            XCTAssertNil(sharedHop(calm), "seed \(seed): a healthy fabric names no shared hop")
            XCTAssertFalse(((calm["health"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []).contains { $0["scope"] as? String == "switch" })
        }
    }

    /// The nightly job with a topology: the shared hop is a check in the textfile, and
    /// every switch and port has its series (labels `switch`, `port`), which
    /// Prometheus's own checker accepts; the congested leaf has the highest CE share.
    func testNightlyExportsPerSwitchSeries() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("n.pcap").path, topology = directory.appendingPathComponent("t.json").path
        XCTAssertEqual(try Run.fabricscope(["generate", "--ranks", "16", "--leaves", "4", "--size", "256KiB", "--seed", "9",
                                            "--congested-leaf", "1:0.3", "--topology-out", topology, capture]).status, 0)
        let prometheus = directory.appendingPathComponent("fabricscope.prom").path
        let page = directory.appendingPathComponent("night.html").path
        let night = try Run.fabricscope(["nightly", "--db", directory.appendingPathComponent("h.db").path, "--label", "n1", capture,
                                         "--topology", topology, "--prometheus", prometheus, "-T", "json", "--html", page])
        XCTAssertEqual(night.status, 1, night.stderr)
        let report = directory.appendingPathComponent("night.json").path
        try Data(night.stdout.utf8).write(to: URL(fileURLWithPath: report))
        try SchemaValidator.validate([report], schema: "health-v1.schema.json")
        XCTAssertTrue(night.stdout.contains("\"scope\" : \"switch\""), "a check per switch")
        let promtool = try Nights.require("promtool", probe: ["--version"])
        let check = try Run.program(promtool, ["check", "metrics"], stdin: URL(fileURLWithPath: prometheus))
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let text = try String(contentsOfFile: prometheus, encoding: .utf8)
        XCTAssertTrue(text.contains("fabricscope_health_check_status{check=\"shared_hop\",src=\"\",dst=\"\"} 2.0"), text)
        var ce: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("fabricscope_switch_ce_marked_ratio{") && line.contains("port=\"\"") {
            let name = line.split(separator: "\"")[1]
            ce[String(name)] = Double(line.split(separator: " ").last!)
        }
        XCTAssertEqual(ce.count, 4, "\(ce)")
        XCTAssertEqual(ce.max { $0.value < $1.value }?.key, "leaf2")
        // The night's page and `report` show the switches too, the same leaf's share.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Switches</h2>"), "the night's page")
        let reportPage = directory.appendingPathComponent("r.html").path
        XCTAssertEqual(try Run.fabricscope(["report", capture, "--topology", topology, "-o", reportPage]).status, 0)
        let reportText = try String(contentsOfFile: reportPage, encoding: .utf8)
        let leaf2 = String(format: "%.2f %%", try XCTUnwrap(ce["leaf2"]) * 100)
        XCTAssertTrue(reportText.contains("<tr><td class=\"text\">leaf2</td>") && reportText.contains(leaf2), "\(leaf2) in the report")
    }

    /// compare: a configuration change felt at one leaf (a wrong ECN threshold there
    /// in the candidate) is attributed to it, in the table and in the JSON (schema).
    func testCompareAttributesTheLinksThatGotWorse() throws {
        let directory = try Run.scratchDirectory()
        let baseline = directory.appendingPathComponent("a.pcap").path, candidate = directory.appendingPathComponent("b.pcap").path
        let topology = directory.appendingPathComponent("t.json").path
        XCTAssertEqual(try Run.fabricscope(["generate", "--ranks", "32", "--leaves", "4", "--size", "512KiB", "--iterations", "3",
                                            "--seed", "3", "--topology-out", topology, baseline]).status, 0)
        XCTAssertEqual(try Run.fabricscope(["generate", "--ranks", "32", "--leaves", "4", "--size", "512KiB", "--iterations", "3",
                                            "--seed", "4", "--congested-leaf", "2:0.3", candidate]).status, 0)
        let table = try Run.fabricscope(["compare", baseline, candidate, "--topology", topology])
        XCTAssertTrue(table.stdout.contains("where:     9 of 9 links that got worse cross leaf3 (no link that held does)"), table.stdout)
        let json = try Run.fabricscope(["compare", "-T", "json", baseline, candidate, "--topology", topology])
        let hop = try XCTUnwrap(try json.json()["shared_hop"] as? [String: Any])
        XCTAssertEqual(hop["name"] as? String, "leaf3")
        XCTAssertEqual(hop["worse_crossing"] as? Int, 9)
        let path = directory.appendingPathComponent("c.json").path
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: path))
        try SchemaValidator.validate([path], schema: "compare-v1.schema.json")
        let without = try Run.fabricscope(["compare", "-T", "json", baseline, candidate]).json()
        XCTAssertNil(without["shared_hop"])
    }

    /// PFC frames name the switch port that sent them by its MAC: with `port_macs`, each
    /// port's pauses join its other figures, and a switch is as paused as its
    /// most-paused port (the generator's pausing ports are the truth).
    func testPFCJoinsTheSwitchPortThatSentIt() throws {
        let directory = try Run.scratchDirectory()
        let capture = directory.appendingPathComponent("p.pcap").path, topology = directory.appendingPathComponent("t.json").path
        XCTAssertEqual(try Run.fabricscope(["generate", "--ranks", "16", "--leaves", "4", "--pfc", "3", "--size", "256KiB",
                                            "--seed", "2", "--topology-out", topology, capture]).status, 0)
        let document = try Run.fabricscope(["analyze", "-T", "json", capture, "--topology", topology]).json()
        let switches = try XCTUnwrap(document["switches"] as? [[String: Any]])
        let pfc = try XCTUnwrap(document["pfc"] as? [[String: Any]])
        XCTAssertEqual(pfc.count, 3)
        let span = Double((document["capture"] as! [String: Any])["end_ns"] as! Int - ((document["capture"] as! [String: Any])["start_ns"] as! Int))
        for pause in pfc {
            // Host index n (1-based) faces the leaf port 02:aa:00:00:00:nn, on leaf ⌈n/4⌉.
            let n = Int((pause["source_mac"] as! String).split(separator: ":").last!, radix: 16)!
            let name = "leaf\((n - 1) / 4 + 1) port Ethernet\((n - 1) % 4 + 1)"
            let port = try XCTUnwrap(switches.first { $0["name"] as? String == name }, name)
            XCTAssertEqual(port["pfc_xoff_frames"] as? Int, pause["xoff_frames"] as? Int, name)
            XCTAssertEqual(try XCTUnwrap(port["pfc_paused_fraction"] as? Double), Double(pause["paused_ns"] as! Int) / span, accuracy: 1e-12)
        }
        let paused = switches.filter { $0["kind"] as? String == "switch" && $0["pfc_xoff_frames"] != nil }.count
        XCTAssertEqual(paused, Set(pfc.map { (Int(($0["source_mac"] as! String).split(separator: ":").last!, radix: 16)! - 1) / 4 }).count)
        let path = directory.appendingPathComponent("a.json").path
        try Data(try Run.fabricscope(["analyze", "-T", "json", capture, "--topology", topology]).stdout.utf8).write(to: URL(fileURLWithPath: path))
        try SchemaValidator.validate([path], schema: "analyze-v1.schema.json")
    }

    /// InfiniBand, from ibnetdiscover output (Tests/Vectors/topology, written to the
    /// documented format): hosts by LID, a spine reached by one uplink from each leaf.
    func testIBNetDiscoverPlacesNativeInfiniBandLinks() throws {
        let document = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("derived/ring4-faults.ib.pcap"),
                                            "--topology", Run.repository.appendingPathComponent("Tests/Vectors/topology/two-leaves.ibnetdiscover").path]).json()
        let links = Dictionary(uniqueKeysWithValues: try XCTUnwrap(document["switches"] as? [[String: Any]]).map {
            ($0["name"] as! String, $0["links"] as! Int)
        })
        // The ring lid 1 → 2 → 3 → 4 → 1: leaf-a holds lids 1 and 2, leaf-b 3 and 4.
        XCTAssertEqual(links["MF0;leaf-a:SX6036/U1"], 3)
        XCTAssertEqual(links["MF0;leaf-b:SX6036/U1"], 3)
        XCTAssertEqual(links["MF0;spine-a:SX6036/U1"], 2, "2 → 3 and 4 → 1 cross the spine")
        XCTAssertEqual(links["MF0;leaf-a:SX6036/U1 port 35"], 1, "the uplink, only 2 → 3 leaves by it")
    }

    /// lldpctl -f json from each host, inside the topology file: both of lldpd's shapes
    /// (one interface as an object, several as a list).
    func testLLDPOutputPlacesHosts() throws {
        let directory = try Run.scratchDirectory()
        func lldp(_ name: String, _ port: String, list: Bool) -> String {
            let interface = "{\"ens1f0np0\": {\"via\": \"LLDP\", \"chassis\": {\"\(name)\": {\"id\": {\"type\": \"mac\", \"value\": \"aa:bb:cc:00:00:01\"}}}, "
                + "\"port\": {\"id\": {\"type\": \"ifname\", \"value\": \"\(port)\"}, \"descr\": \"to-host\"}}}"
            return "{\"lldp\": {\"interface\": \(list ? "[\(interface)]" : interface)}}"
        }
        let topology = directory.appendingPathComponent("t.json")
        try Data("""
            {"lldp": {"192.168.70.4": \(lldp("leaf01", "swp1", list: false)), "192.168.70.6": \(lldp("leaf01", "swp2", list: true))}}
            """.utf8).write(to: topology)
        let document = try Run.fabricscope(["analyze", "-T", "json", Run.fixture("real/roce-rc-send-real.pcap"), "--topology", topology.path]).json()
        let names = Set(try XCTUnwrap(document["switches"] as? [[String: Any]]).compactMap { $0["name"] as? String })
        XCTAssertEqual(names, ["leaf01", "leaf01 port swp1", "leaf01 port swp2"])
    }

    /// Topology files that are wrong are named with the key or line, before any capture
    /// is read (the capture here does not even exist), exit 2.
    func testBadTopologiesAreNamed() throws {
        let directory = try Run.scratchDirectory()
        let cases: [(String, String)] = [
            ("{\"hosts\": {\"10.0.0.1\": {\"switch\": \"leaf1\", \"port\": 1}, \"10.0.0.2\": {\"switch\": \"leaf1\", \"port\": 1}}}",
             "hosts.10.0.0.2: leaf1 port 1 is already 10.0.0.1's"),
            ("{\"uplinks\": [{\"switch\": \"leaf1\", \"port\": \"e1\", \"peer\": \"leaf1\", \"peer_port\": \"e2\"}]}",
             "uplinks[0]: a loop: leaf1 to itself"),
            ("{\"hosts\": {}, \"spines\": []}", "unknown key 'spines'"),
            ("{\"hosts\": {\"node7\": {\"switch\": \"leaf1\", \"port\": \"e1\"}}}", "hosts.node7: 'node7' is not a host address"),
            ("{\"lldp\": {\"10.0.0.1\": {\"lldp\": {\"interface\": [{\"a\": {\"chassis\": {\"s1\": {}}, \"port\": {\"id\": {\"value\": \"1\"}}}}, "
                + "{\"b\": {\"chassis\": {\"s2\": {}}, \"port\": {\"id\": {\"value\": \"9\"}}}}]}}}}",
             "lldp.10.0.0.1: lldpctl names 2 neighbours"),
            ("Switch 36 \"S-01\" # \"sw\" lid 1\n[1] garbage\n", "line 2: expected [PORT] \"GUID\"[PEERPORT]"),
            ("{\"hosts\": [", "not JSON"),
        ]
        for (index, (text, problem)) in cases.enumerated() {
            let path = directory.appendingPathComponent("bad\(index).topology").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let result = try Run.fabricscope(["analyze", directory.appendingPathComponent("missing.pcap").path, "--topology", path])
            XCTAssertEqual(result.status, 2, text)
            XCTAssertTrue(result.stderr.contains("\(path): \(problem)"), "\(problem) — got: \(result.stderr)")
        }
    }
}
