@testable import FabricIngest
import XCTest

/// `Zlib.deflate` sizes zlib's window, hash table and block to its input (a
/// summary's histograms are mostly 40 bytes). What must hold at every size: the
/// stream inflates to the input, its header names the window it was made with, and
/// incompressible input never outgrows the buffer the output is given.
final class ZlibTests: XCTestCase {
    private let sizes = [0, 1, 40, 511, 512, 513, 4_096, 40_000, 300_000, 1 << 20]

    /// Bytes like a histogram's counts (small varints, runs of zeros), or noise.
    private func input(_ count: Int, random: Bool) -> [UInt8] {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15 &+ UInt64(count)
        return (0..<count).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random ? UInt8(truncatingIfNeeded: state >> 33) : (index % 7 == 0 ? UInt8(truncatingIfNeeded: state >> 60) : 0)
        }
    }

    func testStreamsInflateToTheirInputAtEverySize() throws {
        for count in sizes {
            for random in [false, true] {
                let original = input(count, random: random)
                let stream = Zlib.deflate(original)
                XCTAssertEqual(try Zlib.inflate(stream), original, "\(count) bytes, random \(random)")
                // RFC 1950: the header's check bits make its two bytes a multiple of 31.
                XCTAssertEqual((Int(stream[0]) << 8 | Int(stream[1])) % 31, 0, "\(count) bytes")
                if random { XCTAssertLessThanOrEqual(stream.count, count + count / 8 + count / 64 + 64, "\(count) bytes") }
                if !random, count >= 4_096 { XCTAssertLessThan(stream.count, count / 4, "\(count) bytes compress") }
            }
        }
    }

    /// The window (CINFO, the header's high nibble: log2(window) − 8) is the smallest
    /// of deflate's that holds the input: 512 bytes up to zlib's 32 KiB.
    func testTheWindowFollowsTheInput() {
        let expected = [(40, 1), (512, 1), (513, 2), (4_096, 4), (40_000, 7), (1 << 20, 7)]
        for (count, cinfo) in expected {
            let stream = Zlib.deflate(input(count, random: false))
            XCTAssertEqual(Int(stream[0] >> 4), cinfo, "\(count) bytes")
            XCTAssertEqual(stream[0] & 0x0f, 8, "deflate method")
        }
    }
}
