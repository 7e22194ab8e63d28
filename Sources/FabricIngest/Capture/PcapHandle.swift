import FabricWire
import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// One open libpcap offline handle and the stdio buffer it reads through.
///
/// This is the only type that holds raw libpcap pointers. It is scoped: records it
/// hands out borrow libpcap's buffer and are valid only until the next `next()`;
/// the handle closes the capture and frees the buffer when it goes away.
final class PcapHandle {
    /// Size of the stdio buffer libpcap reads through (stock stdio reads 4 KiB).
    static let bufferSize = 1 << 20

    let path: String
    let format: CaptureFormat
    let linkType: LinkType
    private let pcap: OpaquePointer
    private let buffer: UnsafeMutableRawPointer
    /// A plain file on disk, whose read position is a share of its size (not a pipe,
    /// not gzip, whose position counts decompressed bytes).
    private var positioned = false

    /// Opens `path` (or standard input for `-`), gzip-compressed or not.
    init(path: String) throws(CaptureError) {
        self.path = path
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: PcapHandle.bufferSize, alignment: 16)
        var file: UnsafeMutablePointer<FILE>?
        do throws(CaptureError) {
            file = try PcapHandle.openFile(path)
            try PcapHandle.check(path, fabricscope_set_buffer(file, buffer, PcapHandle.bufferSize) == 0,
                                 "cannot set a read buffer")
            let streamed = path == "-" || !PcapHandle.isRegularFile(path)
            var compressed = false
            if !streamed, PcapHandle.peekBytes(file).starts(with: [0x1f, 0x8b]) {
                // gzip on disk: reopen through zlib. Pipes, FIFOs and standard input are
                // already read through zlib (it passes plain bytes through): they cannot
                // be reopened without losing what was read.
                compressed = true
                fclose(file)
                file = nil
                file = try PcapHandle.openGzip(path)
                try PcapHandle.check(path, fabricscope_set_buffer(file, buffer, PcapHandle.bufferSize) == 0,
                                     "cannot set a read buffer")
            }
            let header = PcapHandle.peekBytes(file)
            guard !header.isEmpty else {
                throw CaptureError(file: path, problem: compressed ? "a damaged gzip stream: zlib could not decompress it"
                    : streamed ? "no data (the input is empty, or a damaged gzip stream)" : "the file is empty")
            }
            guard let format = header.withUnsafeBytes({ CaptureFormat(sniffing: ByteView($0)) }) else {
                throw CaptureError(file: path, problem: "not a pcap or pcapng capture (unrecognised file header)")
            }
            self.format = format
            let minimumHeader = format.container == .pcapng ? 28 : 24
            if header.count < minimumHeader, header.count < PcapHandle.bufferSize {
                throw CaptureError(file: path, problem: "the capture header is cut short: the input holds \(header.count) "
                    + "byte(s), a \(format.container.rawValue) header needs \(minimumHeader)")
            }
            self.pcap = try PcapHandle.call(path) { errbuf in
                pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_NANO), errbuf)
            }
            file = nil  // owned by libpcap from here on
            positioned = !streamed && !compressed
        } catch {
            if let file { fclose(file) }
            buffer.deallocate()
            throw error
        }
        self.buffer = buffer
        let dlt = pcap_datalink(pcap)
        guard let linkType = LinkType(dlt: dlt) else {
            pcap_close(pcap)
            buffer.deallocate()
            throw CaptureError(
                file: path,
                problem: "unsupported link type \(dlt); FabricScope reads \(LinkType.supportedNames)")
        }
        self.linkType = linkType
    }

    deinit {
        pcap_close(pcap)
        buffer.deallocate()
    }

    /// Compiles a tcpdump/BPF expression and applies it to every following record.
    func setFilter(_ expression: String) throws(CaptureError) {
        var program = bpf_program()
        guard pcap_compile(pcap, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            let reason = lastError
            if reason.contains("not implemented") || reason.contains("not supported") {
                throw CaptureError(file: path, problem: "libpcap cannot apply --filter to \(linkType.name) captures "
                    + "(\(reason)); select traffic with --host ADDRESS (IP, GID or lid:N) instead")
            }
            throw CaptureError(file: path, problem: "bad --filter '\(expression)': \(reason)")
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(pcap, &program) == 0 else {
            throw CaptureError(file: path, problem: "cannot apply --filter: \(lastError)")
        }
    }

    /// One record borrowed from libpcap: valid until the next call to `next()`.
    struct Record {
        var timestampNs: Int64
        var originalLength: Int
        var bytes: UnsafeRawBufferPointer
    }

    enum Next {
        case record(Record)
        case end
        /// The file is damaged or cut short here; what came before stands.
        case damaged(String)
    }

    func next() -> Next {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(pcap, &header, &data) {
        case 1:
            let h = header!.pointee
            // Opened with nanosecond precision: tv_usec holds nanoseconds.
            return .record(Record(
                timestampNs: PcapHandle.timestampNs(seconds: h.ts.tv_sec, fraction: h.ts.tv_usec),
                originalLength: Int(h.len),
                bytes: UnsafeRawBufferPointer(start: data, count: Int(h.caplen))))
        case PCAP_ERROR_BREAK:
            return .end
        default:
            return .damaged(lastError)
        }
    }

    /// Reads every remaining record into `reading`, from inside libpcap's own read
    /// loop (`pcap_loop`, as the baseline benchmark does). For a single file this is
    /// what the reading thread runs: it saves `pcap_next_ex`'s per-record trip into
    /// the read loop and back. The callback is a C function, so the records go
    /// straight to a concrete consumer reached through the user pointer, with no
    /// closure (and no reference counting) per record. Returns the damage, if any.
    func readAll(into reading: inout SingleFileReading) -> String? {
        let status = withUnsafeMutablePointer(to: &reading) { context in
            pcap_loop(pcap, -1, { user, header, data in
                let reading = UnsafeMutableRawPointer(user!).assumingMemoryBound(to: SingleFileReading.self)
                let h = header!.pointee
                reading.pointee.take(Record(
                    timestampNs: PcapHandle.timestampNs(seconds: h.ts.tv_sec, fraction: h.ts.tv_usec),
                    originalLength: Int(h.len),
                    bytes: UnsafeRawBufferPointer(start: data, count: Int(h.caplen))))
            }, UnsafeMutableRawPointer(context).assumingMemoryBound(to: UInt8.self))
        }
        return status >= 0 || status == PCAP_ERROR_BREAK ? nil : lastError
    }

    private var lastError: String { String(cString: pcap_geterr(pcap)) }

    /// Bytes of the file read so far (libpcap reads ahead through the stdio buffer, so
    /// up to a megabyte early), or nil where that is not a share of the file's size.
    /// Called on the reading thread only, once per batch.
    var position: Int? {
        guard positioned, let file = pcap_file(pcap) else { return nil }
        let offset = ftell(file)
        return offset >= 0 ? offset : nil
    }

    static var timestampLimitNs: Int64 { CaptureFileSummary.timestampLimitNs }

    /// Nanoseconds from libpcap's (seconds, nanoseconds) pair, clamped to
    /// `CaptureFileSummary.timestampLimitNs`.
    @inline(__always)
    static func timestampNs(seconds: Int, fraction: Int) -> Int64 {
        let (whole, overflow) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, whole > -timestampLimitNs, whole < timestampLimitNs else {
            return seconds < 0 ? -timestampLimitNs : timestampLimitNs
        }
        return max(-timestampLimitNs, min(timestampLimitNs, whole + Int64(fraction)))
    }
}

extension PcapHandle {
    /// The choke point for libpcap calls that report failure through an error buffer.
    fileprivate static func call<T>(
        _ path: String, _ body: (UnsafeMutablePointer<CChar>) -> T?
    ) throws(CaptureError) -> T {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let result = errbuf.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        guard let result else {
            let message = String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CaptureError(file: path, problem: PcapHandle.explain(message))
        }
        return result
    }

    fileprivate static func check(_ path: String, _ ok: Bool, _ problem: String) throws(CaptureError) {
        guard ok else { throw CaptureError(file: path, problem: problem + ": " + errnoText()) }
    }

    /// Rewords libpcap's open-time messages for people who did not write libpcap.
    static func explain(_ message: String) -> String {
        if message.contains("unknown file format") {
            return "not a pcap or pcapng capture (libpcap: \(message))"
        }
        if message.hasPrefix("truncated dump file") {
            return "the capture header is cut short (libpcap: \(message))"
        }
        return message
    }

    private static func openFile(_ path: String) throws(CaptureError) -> UnsafeMutablePointer<FILE> {
        if path == "-" {
            var info = stat()
            if fstat(STDIN_FILENO, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw CaptureError(file: path, problem: "standard input is a directory, not a capture")
            }
            // Standard input always goes through zlib, which passes plain bytes through.
            guard let file = fabricscope_gzip_fdopen(dup(STDIN_FILENO)) else {
                throw CaptureError(file: path, problem: "cannot read: " + errnoText())
            }
            return file
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw CaptureError(file: path, problem: "is a directory, not a capture file")
        }
        if !isRegularFile(path) {
            // A pipe or FIFO (`<(zcat …)`, `mkfifo`): read once, through zlib.
            let fd = open(path, O_RDONLY)
            guard fd >= 0, let file = fabricscope_gzip_fdopen(fd) else {
                throw CaptureError(file: path, problem: "cannot open: " + errnoText())
            }
            return file
        }
        guard let file = fopen(path, "rb") else {
            throw CaptureError(file: path, problem: "cannot open: " + errnoText())
        }
        return file
    }

    private static func openGzip(_ path: String) throws(CaptureError) -> UnsafeMutablePointer<FILE> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0, let file = fabricscope_gzip_fdopen(fd) else {
            throw CaptureError(file: path, problem: "cannot open gzip stream: " + errnoText())
        }
        return file
    }

    /// A regular file can be read twice (sniffed, then reopened through zlib); a pipe,
    /// FIFO or device cannot.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    private static func peekBytes(_ file: UnsafeMutablePointer<FILE>?) -> [UInt8] {
        var start: UnsafePointer<UInt8>?
        let count = fabricscope_peek(file, &start)
        guard let start, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: count))
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
