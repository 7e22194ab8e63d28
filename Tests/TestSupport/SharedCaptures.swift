import Foundation
import XCTest

/// Real captures kept in the project's `../shared/captures/` (beside the clone, in CI
/// too), which may not be copied into `Fixtures/` (see that folder's README).
public enum SharedCaptures {
    public static let directory = Run.repository.deletingLastPathComponent().appendingPathComponent("shared/captures")

    /// The capture's path; missing in CI is a failure, elsewhere a skip.
    public static func path(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path) { return url.path }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("\(url.path) is missing; CI lays shared/ beside the clone")
        }
        throw XCTSkip("\(url.path) is missing (the real captures live in ../shared/captures)")
    }
}

/// Request→response pairs computed from tshark's fields alone, as an independent
/// reference for FabricScope's latency samples (reference §7.4): a request that asks
/// for an ACK is answered by the first later ACK from its peer whose PSN is at or
/// after its own (ACKs are cumulative); a READ request by the first later READ
/// response FIRST/ONLY carrying its PSN.
public struct TSharkTransport {
    public struct Packet {
        var timeNs: Int64
        var src: String
        var dst: String
        var opcode: Int
        var destQP: Int
        var psn: Int
        var ackRequest: Bool
        var syndrome: Int?
    }

    public var packets: [Packet] = []

    /// `microseconds`: floor tshark's times to whole µs. FabricScope reads each ERF
    /// record's own stamp, to the nanosecond as tshark does, so the real captures are
    /// compared at tshark's full resolution (`false`).
    public init(file: String, microseconds: Bool) throws {
        let fields = ["frame.time_epoch", "ip.src", "ip.dst", "infiniband.lrh.slid", "infiniband.lrh.dlid",
                      "infiniband.bth.opcode", "infiniband.bth.destqp", "infiniband.bth.psn", "infiniband.bth.a",
                      "infiniband.aeth.syndrome"]
        let result = try Run.program(TShark.path(), [
            "-n", "--disable-protocol", "tftp", "-r", file, "-Y", "infiniband.bth", "-T", "fields", "-E", "separator=|",
        ] + fields.flatMap { ["-e", $0] })
        XCTAssertEqual(result.status, 0, result.stderr)
        for line in result.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == fields.count else { continue }
            let parts = f[0].split(separator: ".")
            var ns = Int64(parts[0])! * 1_000_000_000 + Int64(parts[1].padding(toLength: 9, withPad: "0", startingAt: 0))!
            if microseconds { ns -= ns % 1000 }
            let (src, dst) = f[1].isEmpty ? ("lid:" + f[3], "lid:" + f[4]) : (f[1], f[2])
            packets.append(Packet(
                timeNs: ns, src: src, dst: dst, opcode: Int(f[5])!, destQP: Int(f[6].dropFirst(2), radix: 16)!,
                psn: Int(f[7])!, ackRequest: f[8] == "1" || f[8] == "True",
                syndrome: f[9].isEmpty ? nil : Int(f[9].hasPrefix("0x") ? String(f[9].dropFirst(2)) : f[9],
                                                   radix: f[9].hasPrefix("0x") ? 16 : 10)))
        }
    }

    public static func isRCRequest(_ opcode: Int) -> Bool {
        opcode < 0x20 && ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 19, 20, 22, 23] as Set).contains(opcode)
    }

    public static func psnAtOrAfter(_ psn: Int, _ reference: Int) -> Bool {
        let d = (psn - reference) & 0xff_ffff
        return d < 1 << 23
    }

    /// Per request flow "src dst qp": its PSNs in order, and the latency samples.
    public func requestStreams() -> [String: (psns: [Int], ackSamples: [Int64], readSamples: [Int64])] {
        var streams: [String: (psns: [Int], ackSamples: [Int64], readSamples: [Int64])] = [:]
        for (index, request) in packets.enumerated() where TSharkTransport.isRCRequest(request.opcode) {
            let key = "\(request.src) \(request.dst) \(request.destQP)"
            streams[key, default: ([], [], [])].psns.append(request.psn)
            let later = packets[(index + 1)...].filter { $0.src == request.dst && $0.dst == request.src }
            if request.opcode == 12 {
                if let response = later.first(where: { ($0.opcode == 13 || $0.opcode == 16) && $0.psn == request.psn }) {
                    streams[key]!.readSamples.append(response.timeNs - request.timeNs)
                }
            } else if request.ackRequest {
                if let ack = later.first(where: {
                    $0.opcode == 17 && ($0.syndrome ?? 0xff) >> 5 == 0 && TSharkTransport.psnAtOrAfter($0.psn, request.psn)
                }) {
                    streams[key]!.ackSamples.append(ack.timeNs - request.timeNs)
                }
            }
        }
        return streams
    }
}
