import Foundation
import TestSupport
import XCTest

/// Issue 27, items 3–4: the classes RoCE travels in and the ECMP spread of its QPs,
/// read from the wire. Each detector is held to the generator's truth (a host on the
/// wrong DSCP, every QP on one source port), to tshark's reading of the same headers,
/// and to the real captures.
final class FabricClassesTests: XCTestCase {
    private func generate(_ extra: [String]) throws -> String {
        let path = try Run.scratchDirectory().appendingPathComponent("c.pcap").path
        let result = try Run.fabricscope(["generate", "--ranks", "8", "--qps", "2", "--size", "256KiB", "--force"] + extra + [path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return path
    }

    private func analyze(_ path: String, _ extra: [String] = []) throws -> [String: Any] {
        let result = try Run.fabricscope(["analyze", "-T", "json", path] + extra)
        XCTAssertLessThan(result.status, 2, result.stderr)
        return try result.json()
    }

    private func checks(_ document: [String: Any], _ name: String) -> [[String: Any]] {
        ((document["health"] as? [String: Any])?["checks"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == name }
    }

    /// Per host, the DSCPs and 802.1p priorities of its RoCE data, and per host pair its
    /// UDP source ports, as Wireshark decodes the same frames.
    func testClassesAndPortsAgreeWithTShark() throws {
        let path = try generate(["--vlan", "100", "--ce", "0.05", "--host-dscp", "5:10", "--seed", "4"])
        let document = try analyze(path)
        let fields = ["ip.src", "ip.dst", "ip.dsfield.dscp", "vlan.priority", "infiniband.bth.opcode", "infiniband.bth.destqp", "udp.srcport"]
        let result = try Run.program(try TShark.path(), ["-n", "--disable-protocol", "tftp", "-r", path, "-Y", "infiniband.bth.destqp",
                                                         "-T", "fields", "-E", "separator=|"] + fields.flatMap { ["-e", $0] })
        XCTAssertEqual(result.status, 0, result.stderr)
        var dataDSCP: [String: Set<Int>] = [:], dataPCP: [String: Set<Int>] = [:], cnpDSCP = Set<Int>(), cnpPCP = Set<Int>()
        var requestPorts: [String: Set<Int>] = [:]
        for line in result.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let opcode = Int(f[4])!
            if opcode == 0x81 {
                cnpDSCP.insert(Int(f[2])!)
                cnpPCP.insert(Int(f[3])!)
            } else if opcode != 0x11 {
                dataDSCP[f[0], default: []].insert(Int(f[2])!)
                dataPCP[f[0], default: []].insert(Int(f[3])!)
                // Requests: RDMA WRITEs (opcodes 0x06–0x0b), by the pair they go over.
                if (0x06...0x0b).contains(opcode) { requestPorts[f[0] + " " + f[1], default: []].insert(Int(f[6])!) }
            }
        }
        let qos = try XCTUnwrap(document["qos"] as? [String: Any])
        let hosts = try XCTUnwrap(qos["hosts"] as? [[String: Any]])
        XCTAssertEqual(hosts.count, 8)
        for entry in hosts {
            let host = try XCTUnwrap(entry["host"] as? String), data = try XCTUnwrap(entry["data"] as? [String: Any])
            XCTAssertEqual(Set(data["dscp"] as? [Int] ?? []), dataDSCP[host], host)
            XCTAssertEqual(Set(data["pcp"] as? [Int] ?? []), dataPCP[host], host)
        }
        let cnps = try XCTUnwrap(qos["cnps"] as? [String: Any])
        XCTAssertEqual(Set(cnps["dscp"] as? [Int] ?? []), cnpDSCP)
        XCTAssertEqual(Set(cnps["pcp"] as? [Int] ?? []), cnpPCP)
        XCTAssertEqual(cnpDSCP, [48])
        let pairs = try XCTUnwrap((document["ecmp"] as? [String: Any])?["host_pairs"] as? [[String: Any]])
        XCTAssertEqual(pairs.count, requestPorts.count)
        for pair in pairs {
            let key = "\(pair["src"] as! String) \(pair["dst"] as! String)"
            let ports = Set((pair["source_ports"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int })
            XCTAssertEqual(ports, requestPorts[key], key)
        }
        // The misconfigured host (rank 5 is 10.0.0.6) is the one named.
        let found = checks(document, "qos_classes")
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue((found.first?["message"] as? String ?? "").hasPrefix("10.0.0.6 sends RoCE data on DSCP 10 while 7 other host(s) use DSCP 26"),
                      "\(found)")
    }

    /// Over IPv6, the flow labels (Linux's, from the same QP hash as the port) per host
    /// pair, as Wireshark reads the IPv6 header.
    func testIPv6FlowLabelsAgreeWithTShark() throws {
        let path = try generate(["--ipv6", "--seed", "5"])
        let pairs = try XCTUnwrap((try analyze(path)["ecmp"] as? [String: Any])?["host_pairs"] as? [[String: Any]])
        let result = try Run.program(try TShark.path(), ["-n", "--disable-protocol", "tftp", "-r", path, "-Y", "infiniband.bth.opcode >= 6 && infiniband.bth.opcode <= 11",
                                                         "-T", "fields", "-E", "separator=|", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "ipv6.flow"])
        XCTAssertEqual(result.status, 0, result.stderr)
        var labels: [String: Set<String>] = [:]
        for line in result.stdout.split(separator: "\n") {
            let f = line.split(separator: "|").map(String.init)
            labels[f[0] + " " + f[1], default: []].insert(f[2])
        }
        XCTAssertEqual(pairs.count, 8)
        for pair in pairs {
            let key = "\(pair["src"] as! String) \(pair["dst"] as! String)"
            XCTAssertEqual(pair["flow_labels"] as? Int, labels[key]?.count, key)
            XCTAssertEqual(pair["flow_labels"] as? Int, 2, "two QPs, two labels")
        }
    }

    /// The generator's truth, over seeds: healthy rings have no finding; a host on the
    /// wrong DSCP is named (and fails against a declared intent); QPs on one fixed
    /// source port are polarised, while Linux's per-QP ports are not.
    func testFindingsMatchTheTruthOverSeeds() throws {
        for seed in 1...5 {
            let healthy = try analyze(try generate(["--seed", "\(seed)", "--random-qps"]))
            XCTAssertEqual(checks(healthy, "qos_classes").count + checks(healthy, "ecmp_spread").count, 0, "seed \(seed)")
            let pairs = try XCTUnwrap((healthy["ecmp"] as? [String: Any])?["host_pairs"] as? [[String: Any]])
            XCTAssertTrue(pairs.allSatisfy { ($0["source_ports"] as? [Any])?.count == 2 }, "Linux's port per QP pair: \(pairs)")

            let rank = seed % 8
            let offClass = try generate(["--seed", "\(seed)", "--random-qps", "--host-dscp", "\(rank):0"])
            let judged = try analyze(offClass, ["--qos", "data-dscp=26"])
            let failed = checks(judged, "qos_classes")
            XCTAssertEqual(failed.map { $0["status"] as? String }, ["fail"], "seed \(seed): \(failed)")
            XCTAssertTrue((failed.first?["message"] as? String ?? "").hasPrefix("10.0.0.\(rank + 1) sends RoCE data on DSCP 0, not the declared 26"))

            let polarised = try analyze(try generate(["--seed", "\(seed)", "--fixed-source-port", "4791"]))
            let spread = checks(polarised, "ecmp_spread")
            XCTAssertEqual(spread.count, 1, "seed \(seed)")
            XCTAssertTrue((spread.first?["message"] as? String ?? "").contains("every QP (16 over 8 host pairs with several) sends from UDP source port 4791"))
        }
    }

    /// Real hardware: the SoftRoCE capture's two hosts disagree (172.17.242.56 sends its
    /// RC data on DSCP 26, 172.17.242.47 on DSCP 0; tshark shows the same), and its CM
    /// MADs on QP 1 are not read as data. The Huawei capture: DSCP 0 both ways, one QP
    /// per pair: nothing to say.
    func testRealCaptures() throws {
        let softroce = try analyze(try SharedCaptures.path("softroce-send-cm.pcap"))
        let found = checks(softroce, "qos_classes")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue((found.first?["message"] as? String ?? "").hasPrefix(
            "the hosts send RoCE data in different classes (DSCP 0 from 172.17.242.47; DSCP 26 from 172.17.242.56)"), "\(found)")
        let huawei = try analyze(Run.fixture("real/roce-rc-send-real.pcap"))
        XCTAssertEqual(checks(huawei, "qos_classes").count + checks(huawei, "ecmp_spread").count, 0)
        let qos = try XCTUnwrap(huawei["qos"] as? [String: Any])
        XCTAssertEqual((qos["data"] as? [String: Any])?["dscp"] as? [Int], [0])
        XCTAssertEqual((qos["data"] as? [String: Any])?["untagged"] as? Bool, true)
        let ports = ((huawei["ecmp"] as? [String: Any])?["host_pairs"] as? [[String: Any]])?.flatMap {
            ($0["source_ports"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int }
        }
        XCTAssertEqual(ports.map(Set.init), [69, 72], "this NIC sends from its local QPN (Fixtures/real/README.md)")
    }

    /// `--qos` text that cannot be read is named.
    func testBadIntentIsNamed() throws {
        for (text, problem) in [("data-dscp=64", "data-dscp must be 0–63 (got 64)"), ("colour=3", "unknown key 'colour'"),
                                ("lossless", "'lossless' is not KEY=NUMBER")] {
            let result = try Run.fabricscope(["analyze", Run.fixture("real/roce-rc-send-real.pcap"), "--qos", text])
            XCTAssertEqual(result.status, 2, text)
            XCTAssertTrue(result.stderr.contains(problem), result.stderr)
        }
    }
}
