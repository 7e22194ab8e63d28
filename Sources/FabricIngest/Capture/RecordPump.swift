import Foundation

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
        var pending: [PcapHandle.Record?] = handles.indices.map { handles[$0].advance(&progress[$0]) }
        var batchIndex = 0
        var batch = channel.emptyBatch(batchIndex)
        let decoder = decoder
        let linkTypes = handles.map(\.linkType)
        func emit(_ record: PcapHandle.Record, file: Int) {
            batch.append(record, file: file, linkType: linkTypes[file], decoder: decoder)
            if batch.isFull {
                channel.publish(batchIndex)
                batchIndex += 1
                batch = channel.emptyBatch(batchIndex)
            }
        }
        if handles.count == 1 {
            let handle = handles[0]
            while let record = pending[0] {
                emit(record, file: 0)
                pending[0] = handle.advance(&progress[0])
            }
        } else {
            while true {
                var earliest = -1
                for index in pending.indices {
                    guard let record = pending[index] else { continue }
                    if earliest < 0 || record.timestampNs < pending[earliest]!.timestampNs { earliest = index }
                }
                guard earliest >= 0 else { break }
                emit(pending[earliest]!, file: earliest)
                pending[earliest] = handles[earliest].advance(&progress[earliest])
            }
        }
        if batch.count > 0 { channel.publish(batchIndex) }
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
