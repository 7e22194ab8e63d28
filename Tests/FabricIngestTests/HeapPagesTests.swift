@testable import FabricIngest
import FabricConcurrency
import Foundation
import XCTest

/// `HeapPages` only advises the kernel, so what can be held is: arrays grown or
/// reserved through it hold what plain arrays hold, and the advice reaches the
/// kernel exactly when the kernel's THP mode asks for it (`VmFlags` `hg`).
final class HeapPagesTests: XCTestCase {
    func testGrowingKeepsEveryElementAndDoublesLikeAppend() {
        var grown: [Int] = []
        var plain: [Int] = []
        for value in 0..<100_000 {
            HeapPages.reserveOneMore(&grown)
            grown.append(value)
            plain.append(value)
        }
        XCTAssertEqual(grown, plain)
        XCTAssertGreaterThanOrEqual(grown.capacity, 100_000)
        XCTAssertLessThan(grown.capacity, 2 * 100_000 + 16)
    }

    func testReservedIsEmptyWithRoom() {
        let reserved: [UInt64] = HeapPages.reserved(1 << 20)
        XCTAssertTrue(reserved.isEmpty)
        XCTAssertGreaterThanOrEqual(reserved.capacity, 1 << 20)
    }

    /// The mode file says `[madvise]` exactly when advice applies (unless glibc was
    /// told to advise its heap itself).
    func testAppliesFollowsTheKernelsMode() throws {
        let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        let glibcAdvises = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"]?.contains("hugetlb") ?? false
        XCTAssertEqual(HeapPages.applies, mode.contains("[madvise]") && !glibcAdvises)
    }

    /// A reserved 32 MiB buffer's mapping carries the kernel's huge-page advice
    /// (`hg`) exactly when the kernel's mode is `madvise` (advised by `HeapPages`, or
    /// by glibc itself when `GLIBC_TUNABLES` asks it to) and the user has not turned
    /// huge pages off (`glibc.malloc.hugetlb=0`).
    func testReservedBufferIsAdvised() throws {
        let array: [UInt8] = HeapPages.reserved(32 << 20)
        let address = array.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) } + (8 << 20)
        // Read to the end: a single read of a /proc file returns one page of it.
        let data = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps")?.readToEnd())
        let smaps = String(decoding: data, as: UTF8.self)
        var inside = false
        var flags: String?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inside, line.hasPrefix("VmFlags:") {
                flags = String(line)
                break
            }
        }
        let found = try XCTUnwrap(flags, "no mapping holds the buffer")
        let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        XCTAssertEqual(found.split(separator: " ").contains("hg"), mode.contains("[madvise]") && !HugePages.turnedOff, found)
        withExtendedLifetime(array) {}
    }
}
