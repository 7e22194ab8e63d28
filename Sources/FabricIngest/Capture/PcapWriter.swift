import FabricWire
import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// Writes a nanosecond-resolution classic pcap file through libpcap's own writer,
/// so that what FabricScope generates is exactly what libpcap-based tools expect.
public final class PcapWriter {
    public let path: String
    public let snaplen: Int
    private let dead: OpaquePointer
    private let dumper: OpaquePointer
    /// With `atomic`: the temporary file beside `path` being written, renamed into
    /// place by `close()` and removed if the writer goes away without it.
    private var temporary: String?

    /// Creates (or replaces) `path`, or writes to standard output for `-`.
    /// Callers decide whether replacing an existing file is allowed. `atomic` (for a
    /// regular file) writes beside it and renames on `close()`, so a failure or a
    /// crash never leaves a half-written capture under the name asked for.
    public init(path: String, linkType: Int32 = 1, snaplen: Int = 262_144, atomic: Bool = false) throws(CaptureError) {
        self.path = path
        self.snaplen = snaplen
        guard let dead = pcap_open_dead_with_tstamp_precision(
            linkType, Int32(snaplen), UInt32(PCAP_TSTAMP_PRECISION_NANO))
        else { throw CaptureError(file: path, problem: "libpcap cannot create a writer") }
        if atomic, path != "-" {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { String(path[...$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            temporary = directory + "." + name + ".fabricscope-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        }
        let target = temporary ?? path
        let dumper = path == "-" ? pcap_dump_fopen(dead, fdopen(dup(STDOUT_FILENO), "wb")) : pcap_dump_open(dead, target)
        guard let dumper else {
            let message = String(cString: pcap_geterr(dead))
            pcap_close(dead)
            throw CaptureError(file: path, problem: "cannot write: \(message)")
        }
        self.dead = dead
        self.dumper = dumper
    }

    /// Appends one frame of `originalLength` bytes on the wire, of which `bytes`
    /// were captured; at most `snaplen` bytes are stored, as a truncating capture would.
    public func write(timestampNs: Int64, bytes frame: [UInt8], originalLength: Int? = nil) {
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(timestampNs / 1_000_000_000)
        header.ts.tv_usec = Int(timestampNs % 1_000_000_000)
        header.len = UInt32(max(originalLength ?? frame.count, frame.count))
        header.caplen = UInt32(min(frame.count, snaplen))
        frame.withUnsafeBufferPointer { bytes in
            pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, bytes.baseAddress)
        }
    }

    /// Flushes and closes the file (renaming it into place when atomic); call once at the end.
    public func close() throws(CaptureError) {
        let flushed = pcap_dump_flush(dumper)
        pcap_dump_close(dumper)
        pcap_close(dead)
        defer { temporary = nil }
        guard flushed == 0 else {
            if let temporary { unlink(temporary) }
            throw CaptureError(file: path, problem: "write failed (disk full?)")
        }
        if let temporary, rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CaptureError(file: path, problem: "cannot replace: \(reason)")
        }
    }

    deinit {
        if let temporary { unlink(temporary) }
    }
}
