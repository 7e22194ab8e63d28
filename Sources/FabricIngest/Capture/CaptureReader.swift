/// Reads one or more capture files as a single capture, in timestamp order, and
/// hands each record to a visitor already decoded.
///
/// Files are merged record by record (the earliest pending timestamp goes first),
/// so captures of the same traffic from several taps or several rotations of one
/// ring buffer analyse as one stream. Memory does not grow with the capture: one
/// pending record per file.
public final class CaptureReader {
    public let decoder: PacketDecoder
    private let handles: [PcapHandle]
    public private(set) var files: [CaptureFileSummary]

    /// Opens every input up front so that a bad path fails before any work is done.
    public init(paths: [String], filter: String? = nil, decoder: PacketDecoder = PacketDecoder()) throws(CaptureError) {
        guard !paths.isEmpty else { throw CaptureError(file: "-", problem: "no capture file given") }
        if paths.filter({ $0 == "-" }).count > 1 {
            throw CaptureError(file: "-", problem: "standard input can be read only once")
        }
        var handles: [PcapHandle] = []
        for path in paths {
            let handle = try PcapHandle(path: path)
            if let filter { try handle.setFilter(filter) }
            handles.append(handle)
        }
        self.handles = handles
        self.decoder = decoder
        self.files = handles.map {
            CaptureFileSummary(
                path: $0.path, container: $0.format.container, linkType: $0.linkType,
                resolutionNs: $0.format.resolutionNs, records: 0, timestampRegressions: 0, damage: nil)
        }
    }

    /// Warnings a user must see with the results: damaged files, reordered
    /// timestamps, drops the capture hardware admitted to.
    public var warnings: [String] {
        files.flatMap { file -> [String] in
            let name = file.path == "-" ? "standard input" : file.path
            var notes: [String] = []
            if let damage = file.damage {
                notes.append("\(name): capture is truncated or damaged after \(file.records) records; "
                    + "results cover those records only (\(damage))")
            }
            if file.timestampRegressions > 0 {
                notes.append("\(name): \(file.timestampRegressions) record(s) have a timestamp earlier than "
                    + "the record before them; time-based figures may be off")
            }
            return notes
        }
    }

    /// Decodes every record of every file in timestamp order. Throws only for
    /// files libpcap cannot read at all (damage after the first records is a warning).
    public func forEach(_ visit: (DecodedPacket) -> Void) throws(CaptureError) {
        var pending: [PcapHandle.Record?] = handles.indices.map { advance($0) }
        try refuseUnsupported()
        if handles.count == 1 {
            while let record = pending[0] {
                visit(decode(record, from: 0))
                pending[0] = advance(0)
            }
            try refuseUnsupported()
            return
        }
        while true {
            var earliest = -1
            for index in pending.indices {
                guard let record = pending[index] else { continue }
                if earliest < 0 || record.timestampNs < pending[earliest]!.timestampNs { earliest = index }
            }
            guard earliest >= 0 else { return try refuseUnsupported() }
            visit(decode(pending[earliest]!, from: earliest))
            pending[earliest] = advance(earliest)
        }
    }

    private var lastTimestamp: [Int64] = []

    /// libpcap 1.10 stops at a pcapng interface whose link type or snapshot length
    /// differs from the first interface's. That is a format limit, not damage: say so.
    private func refuseUnsupported() throws(CaptureError) {
        for file in files {
            if let damage = file.damage, damage.contains("an interface has") {
                throw CaptureError(
                    file: file.path,
                    problem: "its pcapng interfaces differ in link type or snapshot length, which libpcap "
                        + "cannot read in one pass (\(damage)); split it per interface first, e.g. "
                        + "tshark -r FILE -Y 'frame.interface_id == 0' -w PART.pcapng")
            }
        }
    }

    private func decode(_ record: PcapHandle.Record, from index: Int) -> DecodedPacket {
        decoder.decode(
            ByteView(record.bytes), linkType: handles[index].linkType,
            originalLength: record.originalLength, timestampNs: record.timestampNs)
    }

    /// Reads the next record of file `index`, keeping its counters.
    private func advance(_ index: Int) -> PcapHandle.Record? {
        if lastTimestamp.count != handles.count { lastTimestamp = Array(repeating: .min, count: handles.count) }
        switch handles[index].next() {
        case .record(let record):
            files[index].records += 1
            if record.timestampNs < lastTimestamp[index] { files[index].timestampRegressions += 1 }
            lastTimestamp[index] = record.timestampNs
            return record
        case .end:
            return nil
        case .damaged(let reason):
            files[index].damage = reason
            return nil
        }
    }
}
