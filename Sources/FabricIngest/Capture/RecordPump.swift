import FabricWire
import Foundation
import Synchronization

/// The reading side of `CaptureReader`: pulls records from libpcap, merging several
/// files by timestamp (earliest pending record first), decodes them and fills
/// batches for the consuming thread. Runs on its own thread; its handles are touched by no other
/// thread while it runs.
final class RecordPump: @unchecked Sendable {
    private let handles: [PcapHandle]
    private let channel: BatchChannel
    private let decoder: PacketDecoder
    private var progress: [CaptureReader.Progress]
    private let done = DispatchSemaphore(value: 0)

    init(handles: [PcapHandle], channel: BatchChannel, decoder: PacketDecoder) {
        self.handles = handles
        self.channel = channel
        self.decoder = decoder
        self.progress = handles.map { _ in CaptureReader.Progress() }
    }

    func run() {
        // Counters live in locals during the loop: class properties would pay a
        // dynamic exclusivity check on every record.
        var progress = self.progress
        var filler = BatchFiller(channel: channel, decoder: decoder, handles: handles,
                                 switchClockFiles: handles.map { CaptureReader.resolutionNs(of: $0) > 100 })
        if handles.count == 1 {
            // One file (the usual case): nothing to merge, so libpcap's own read
            // loop drives, and no per-record array traffic (each array write checks
            // the array's uniqueness).
            var reading = SingleFileReading(filler: filler, linkType: handles[0].linkType, progress: progress[0])
            if let damage = handles[0].readAll(into: &reading) { reading.progress.damage = damage }
            (filler, progress[0]) = (reading.filler, reading.progress)
        } else {
            let linkTypes = handles.map(\.linkType)
            var pending: [PcapHandle.Record?] = handles.indices.map { handles[$0].advance(&progress[$0]) }
            while true {
                var earliest = -1
                for index in pending.indices {
                    guard let record = pending[index] else { continue }
                    if earliest < 0 || record.timestampNs < pending[earliest]!.timestampNs { earliest = index }
                }
                guard earliest >= 0 else { break }
                filler.append(pending[earliest]!, file: earliest, linkType: linkTypes[earliest])
                pending[earliest] = handles[earliest].advance(&progress[earliest])
            }
        }
        filler.finish()
        for index in progress.indices { progress[index].switchClockRecords = filler.switchClockRecords[index] }
        self.progress = progress
        done.signal()
        channel.finish()
    }

    /// What was read from each file; waits for the reading thread to finish.
    func waitForProgress() -> [CaptureReader.Progress] {
        done.wait()
        return progress
    }
}

/// The batch being filled on the reading thread, and its place in the run.
struct BatchFiller {
    let channel: BatchChannel
    let decoder: PacketDecoder
    /// The files being read, for their read positions (`CaptureReader.bytesRead`).
    let handles: [PcapHandle]
    /// Their positions summed when last added to `CaptureReader.bytesRead`.
    var reportedBytes = 0
    var index = 0
    var batch: RecordBatch
    /// Per file: whether its timestamps are coarser than an ERSPAN III switch's 100 ns
    /// (then the switch's clock times its mirrored records, see `SwitchClock`).
    let switchClockFiles: [Bool]
    var switchClock = SwitchClock()
    /// Per file: records timed by a switch's clock.
    var switchClockRecords: [Int]

    init(channel: BatchChannel, decoder: PacketDecoder, handles: [PcapHandle], switchClockFiles: [Bool]) {
        self.channel = channel
        self.decoder = decoder
        self.handles = handles
        self.switchClockFiles = switchClockFiles
        switchClockRecords = switchClockFiles.map { _ in 0 }
        batch = channel.emptyBatch(0)
    }

    /// Decodes `record` into the batch, handing the batch over when it is full.
    @inline(__always)
    mutating func append(_ record: PcapHandle.Record, file: Int, linkType: LinkType) {
        let slot = batch.append(record, file: file, linkType: linkType, decoder: decoder)
        if slot.pointee.mirror.kind == .erspanIII, switchClockFiles[file], switchClock.retime(&slot.pointee) {
            switchClockRecords[file] += 1
        }
        if batch.isFull {
            channel.publish(index)
            index += 1
            // A progress line is redrawn twice a second: every 64 batches (32 k records)
            // is often enough, and merging hundreds of files asks each one its position.
            if index & 63 == 0 { reportPosition() }
            batch = channel.emptyBatch(index)
        }
    }

    /// Hands over the last, partly filled batch.
    mutating func finish() {
        if batch.count > 0 { channel.publish(index) }
        reportPosition()
    }

    /// Adds what was read since the last batch to the process's count.
    private mutating func reportPosition() {
        var position = 0
        for handle in handles { position += handle.position ?? 0 }
        CaptureReader.readBytes.add(position - reportedBytes, ordering: .relaxed)
        reportedBytes = position
    }
}

/// What the reading thread does with each record of a single file (called from
/// libpcap's read loop, see `PcapHandle.readAll`): count it, decode it into the batch.
struct SingleFileReading {
    var filler: BatchFiller
    let linkType: LinkType
    var progress: CaptureReader.Progress

    @inline(__always)
    mutating func take(_ record: PcapHandle.Record) {
        progress.count(record)
        filler.append(record, file: 0, linkType: linkType)
    }
}
