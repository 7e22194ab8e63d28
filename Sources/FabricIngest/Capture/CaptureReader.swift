import FabricWire
import CPcap
import Foundation
import Synchronization

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
    /// Each pcapng file's own drop counters, walked beside the reading (see
    /// `InterfaceStatistics`): on a machine with a spare core it costs no time.
    private let interfaceStatistics: InterfaceStatisticsWalk

    /// Bytes of capture files read so far by every reader of this process (plain files
    /// on disk only: not pipes, not gzip), for a progress line that gives a share of the
    /// input's size. Updated once per batch of records, never per record.
    public static var bytesRead: Int { readBytes.load(ordering: .relaxed) }
    static let readBytes = Atomic<Int>(0)

    /// Whether `path` is counted in `bytesRead`: a regular file, not gzip-compressed.
    public static func countsBytesRead(_ path: String) -> Bool {
        guard path != "-", PcapHandle.isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return handle.readData(ofLength: 2) != Data([0x1f, 0x8b])
    }

    /// CPUs this process may run on (its affinity mask: `taskset` and container CPU
    /// sets narrow it), for sizing the threads that consume records.
    public static var usableCPUs: Int { Int(fabricscope_usable_cpus()) }

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
        interfaceStatistics = InterfaceStatisticsWalk(
            paths: handles.map { $0.format.container == .pcapng && PcapHandle.isRegularFile($0.path) ? $0.path : nil })
        self.files = handles.map {
            CaptureFileSummary(
                path: $0.path, container: $0.format.container, linkType: $0.linkType,
                resolutionNs: CaptureReader.resolutionNs(of: $0), records: 0, timestampRegressions: 0, damage: nil)
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
        let pump = startPump(channel)
        RecordFeed(channel: channel, consumer: 0).forEach(visit)
        try finish(pump)
    }

    /// `forEach` with each record in a window on the records after it (see
    /// `PacketWindow`), for a visitor that prefetches.
    public func forEachWindow(_ visit: (PacketWindow) -> Void) throws(CaptureError) {
        let channel = BatchChannel()
        let pump = startPump(channel)
        RecordFeed(channel: channel, consumer: 0).forEachWindow(visit)
        try finish(pump)
    }

    /// Like `forEach`, with `consumers` threads (this one among them) that each read
    /// every record, in order, at the same time: `consume(consumer, feed)` runs on
    /// consumer `consumer`'s thread and reads the records from `feed`. Consumers
    /// share the work out among themselves (each keeps the records it owns and
    /// skips the rest), so one decoded batch feeds them all without a copy, and the
    /// reading thread refills a batch once all of them are done with it.
    public func forEach(consumers: Int, _ consume: @escaping @Sendable (Int, RecordFeed) -> Void) throws(CaptureError) {
        let channel = BatchChannel(consumers: max(1, consumers))
        let pump = startPump(channel)
        // Threads of their own, not the dispatch pool: every consumer must run at
        // once (the reader waits for the slowest), whatever the pool's width.
        // (`consume` escapes: a finished thread may release it after `wait` returns.)
        let done = DispatchGroup()
        for consumer in 1..<max(1, consumers) {
            done.enter()
            let thread = Thread {
                consume(consumer, RecordFeed(channel: channel, consumer: consumer))
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        consume(0, RecordFeed(channel: channel, consumer: 0))
        done.wait()
        try finish(pump)
    }

    /// The resolution of the timestamps the records are read with: ERF records carry
    /// their own (32.32 fixed-point seconds, read to the nanosecond), whatever the pcap
    /// header around them says; other files, what their header says.
    static func resolutionNs(of handle: PcapHandle) -> Double {
        handle.linkType == .erf ? 1 : handle.format.resolutionNs
    }

    private func startPump(_ channel: BatchChannel) -> RecordPump {
        let pump = RecordPump(handles: handles, channel: channel, decoder: decoder)
        let thread = Thread { pump.run() }
        thread.stackSize = 1 << 20
        thread.start()
        return pump
    }

    /// Waits for the reading thread and files its per-file progress.
    private func finish(_ pump: RecordPump) throws(CaptureError) {
        let progress = pump.waitForProgress()
        for index in files.indices {
            files[index].records = progress[index].records
            files[index].timestampRegressions = progress[index].regressions
            files[index].clampedTimestamps = progress[index].clamped
            files[index].damage = progress[index].damage
            files[index].switchClockRecords = progress[index].switchClockRecords
            if let statistics = interfaceStatistics.result(index) {
                let dropped = (statistics.interfaceDrops ?? 0) &+ (statistics.systemDrops ?? 0)
                files[index].interfaceDrops = Int(clamping: dropped)
            }
            // Every record timed by a switch's 100 ns clock: that is the file's resolution.
            if progress[index].switchClockRecords > 0, progress[index].switchClockRecords == progress[index].records {
                files[index].resolutionNs = min(files[index].resolutionNs, 100)
            }
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
        /// Records timed by an ERSPAN III switch's clock (see `SwitchClock`).
        var switchClockRecords = 0
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
