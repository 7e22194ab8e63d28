import Foundation
import XCTest

/// Wireshark's InfiniBand dissector as an independent decoder: per-flow packet
/// and wire-byte counts for every frame it decodes as InfiniBand/RoCE.
public enum TShark {
    public static let candidates = ["/usr/bin/tshark", "/usr/local/bin/tshark"]

    /// tshark's path; CI installs it, so a missing tshark fails there and skips elsewhere.
    public static func path() throws -> URL {
        if let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return URL(fileURLWithPath: path)
        }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("tshark is not installed; .ci/run must install it")
        }
        throw XCTSkip("tshark is not installed (scripts/setup.sh --test installs it)")
    }

    /// How tshark's frame.len relates to FabricScope's wire length for a link type.
    public enum WireLength { case frame, minus(Int), erfWireLength }

    public static func flowCounts(_ file: String, wire: WireLength = .frame) throws -> [String: FlowCount] {
        let fields = ["frame.len", "erf.wlen", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "infiniband.grh.sgid",
                      "infiniband.grh.dgid", "infiniband.lrh.slid", "infiniband.lrh.dlid", "infiniband.bth.destqp"]
        // TFTP off: real NICs send RoCE ACKs from UDP port 69 (see Fixtures/real/README.md).
        let result = try Run.program(
            path(), ["-n", "--disable-protocol", "tftp", "-r", file, "-Y", "infiniband.bth.destqp", "-T", "fields",
                     "-E", "separator=|"] + fields.flatMap { ["-e", $0] })
        XCTAssertEqual(result.status, 0, result.stderr)
        var counts: [String: FlowCount] = [:]
        for line in result.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == fields.count else { continue }
            // An IPv4-mapped GID names the IPv4 host (FabricScope keys both RoCE versions alike).
            func last(_ value: String) -> String {
                let address = value.split(separator: ",").last.map(String.init) ?? value
                return address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
            }
            let (src, dst): (String, String)
            if !f[6].isEmpty { (src, dst) = (last(f[6]), last(f[7])) }
            else if !f[2].isEmpty { (src, dst) = (last(f[2]), last(f[3])) }
            else if !f[4].isEmpty { (src, dst) = (last(f[4]), last(f[5])) }
            else { (src, dst) = ("lid:" + f[8], "lid:" + f[9]) }
            let qp = Int(f[10].dropFirst(2), radix: 16)!
            var length = Int(f[0])!
            switch wire {
            case .frame: break
            case .minus(let n): length -= n
            case .erfWireLength: length = Int(f[1])!
            }
            counts["\(src) \(dst) \(qp)", default: FlowCount()].packets += 1
            counts["\(src) \(dst) \(qp)", default: FlowCount()].wireBytes += length
        }
        return counts
    }
}
