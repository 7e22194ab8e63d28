import TestSupport
import Foundation
import XCTest

/// Generated runs of the same 4-rank ring job for `compare` tests: 100 iterations
/// of a 64 KiB all-reduce, 100 µs apart, new QP numbers every run, 128-byte
/// snaplen (as a truncating mirror; it also keeps generation fast in debug builds).
enum CompareRuns {
    static let job = ["--size", "64KiB", "--iterations", "100", "--iteration-gap", "100us", "--random-qps",
                      "--snaplen", "128"]

    /// Writes one run and returns its path.
    static func generate(_ directory: URL, _ name: String, seed: Int, _ extra: [String] = []) throws -> String {
        let path = directory.appendingPathComponent(name + ".pcap").path
        let result = try Run.fabricscope(["generate", path, "--seed", String(seed)] + job + extra)
        XCTAssertEqual(result.status, 0, result.stderr)
        return path
    }

    /// `compare -T json` of the two sides, parsed.
    static func compare(_ arguments: [String]) throws -> (status: Int32, document: [String: Any], stderr: String) {
        let result = try Run.fabricscope(["compare", "-T", "json"] + arguments)
        let object = result.status == 2 ? [:] : try result.json()
        return (result.status, object, result.stderr)
    }

    static func changes(_ document: [String: Any]) -> [[String: Any]] { document["changes"] as? [[String: Any]] ?? [] }

    /// The row of one link's metric.
    static func row(_ document: [String: Any], _ src: String?, _ dst: String?, _ metric: String) -> [String: Any]? {
        changes(document).first {
            $0["metric"] as? String == metric && $0["src"] as? String == src && $0["dst"] as? String == dst
        }
    }

    /// Significant rows as "src→dst metric assessment".
    static func significant(_ document: [String: Any]) -> [String] {
        changes(document).filter { $0["significant"] as? Bool == true }.map {
            "\($0["src"] as? String ?? "fabric")→\($0["dst"] as? String ?? "") \($0["metric"]!) \($0["assessment"]!)"
        }.sorted()
    }
}
