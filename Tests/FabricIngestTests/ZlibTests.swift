@testable import FabricIngest
import CPcap
import XCTest

/// `Zlib.deflate` sizes zlib's hash table and block to its input (a summary's
/// histograms are mostly 40 bytes). What must hold at every size: the stream
/// inflates to the input, it is `compress2`'s where the text of summaries comes
/// from, and incompressible input never outgrows the buffer the output is given.
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

    /// `compress2`'s header at every size (the default level's, with zlib's 32 KiB
    /// window), and `compress2`'s bytes for histogram-sized input and for input past
    /// 16 KiB (where the sizes are zlib's defaults): a summary's text does not change.
    func testCompress2sStreamAtHistogramSizes() {
        for count in sizes {
            let original = input(count, random: false)
            let stream = Zlib.deflate(original)
            XCTAssertEqual(Array(stream.prefix(2)), [0x78, 0x9c], "\(count) bytes")
            guard count <= 64 || count >= 16_384 else { continue }
            var length = compressBound(UInt(count))
            var reference = [UInt8](repeating: 0, count: Int(length))
            let status = reference.withUnsafeMutableBufferPointer { out in
                original.withUnsafeBufferPointer { compress2(out.baseAddress, &length, $0.baseAddress, UInt(count), Z_DEFAULT_COMPRESSION) }
            }
            XCTAssertEqual(status, Z_OK)
            XCTAssertEqual(stream, Array(reference.prefix(Int(length))), "\(count) bytes")
        }
    }
}
