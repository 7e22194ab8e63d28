import Foundation

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

    /// Decodes every record of every file in timestamp order. Throws only for
    /// files libpcap cannot read at all (damage after the first records is a warning).
    /// The view handed to `visit` points into a batch that is reused: copy
    /// (`view.packet`) what must outlive the call.
    ///
    /// libpcap reads and the decoder decodes on a second thread, a few thousand
    /// records ahead, while this thread visits: on a multi-core machine the two
    /// halves of the work overlap. Records reach `visit` in file (timestamp) order.
    public func forEach(_ visit: (PacketView) -> Void) throws(CaptureError) {
        let channel = BatchChannel()
        let pump = RecordPump(handles: handles, channel: channel, decoder: decoder)
        let thread = Thread { pump.run() }
        thread.stackSize = 1 << 20
        thread.start()
        var index = 0
        while let batch = channel.filledBatch(index) {
            batch.forEach(visit)
            channel.release(index)
            index += 1
        }
        let progress = pump.waitForProgress()
        for index in files.indices {
            files[index].records = progress[index].records
            files[index].timestampRegressions = progress[index].regressions
            files[index].clampedTimestamps = progress[index].clamped
            files[index].damage = progress[index].damage
        }
        try refuseUnsupported(progress)
    }

    /// Reading progress of one file.
    struct Progress {
        var records = 0
        var regressions = 0
        /// Records whose timestamp lay outside what FabricScope represents (clamped).
        var clamped = 0
        var lastTimestamp = Int64.min
        var damage: String?
    }

    /// libpcap 1.10 stops at a pcapng interface whose link type or snapshot length
    /// differs from the first interface's. That is a format limit, not damage: say so.
    private func refuseUnsupported(_ progress: [Progress]) throws(CaptureError) {
        for (index, state) in progress.enumerated() {
            if let damage = state.damage, damage.contains("an interface has") {
                throw CaptureError(
                    file: handles[index].path,
                    problem: "its pcapng interfaces differ in link type or snapshot length, which libpcap "
                        + "cannot read in one pass (\(damage)); split it per interface first, e.g. "
                        + "tshark -r FILE -Y 'frame.interface_id == 0' -w PART.pcapng")
            }
        }
    }
}

extension CaptureReader.Progress {
    /// Counts `record`, and whether its timestamp steps back.
    @inline(__always)
    mutating func count(_ record: PcapHandle.Record) {
        records += 1
        if record.timestampNs < lastTimestamp { regressions += 1 }
        if record.timestampNs == PcapHandle.timestampLimitNs || record.timestampNs == -PcapHandle.timestampLimitNs {
            clamped += 1
        }
        lastTimestamp = record.timestampNs
    }
}

extension PcapHandle {
    /// Reads the next record, keeping `progress` up to date.
    @inline(__always)
    func advance(_ progress: inout CaptureReader.Progress) -> Record? {
        switch next() {
        case .record(let record):
            progress.count(record)
            return record
        case .end:
            return nil
        case .damaged(let reason):
            progress.damage = reason
            return nil
        }
    }
}
