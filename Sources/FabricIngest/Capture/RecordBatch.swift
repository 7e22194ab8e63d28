/// A batch of capture records copied out of libpcap's buffer, so that one thread
/// can read the next batch while another decodes this one.
///
/// Only the first `keptBytes` of each record are kept: decoding reads headers,
/// never payload, so a longer record is kept as a snaplen would keep it (lengths
/// come from the record header and the IP/UDP/BTH length fields, not from what was
/// kept). Owns its memory and is reused, so reading allocates nothing per record.
/// All state sits behind `let` pointers: stored `var`s of a class would cost a
/// dynamic exclusivity check on every record.
final class RecordBatch: @unchecked Sendable {
    static let recordCapacity = 4096
    static let keptBytes = 512

    private let bytes: UnsafeMutableRawPointer
    private let timestamps: UnsafeMutablePointer<Int64>
    private let originalLengths: UnsafeMutablePointer<Int32>
    private let capturedLengths: UnsafeMutablePointer<Int16>
    private let fileIndices: UnsafeMutablePointer<UInt16>
    private let used: UnsafeMutablePointer<Int>

    init() {
        let capacity = RecordBatch.recordCapacity
        bytes = .allocate(byteCount: capacity * RecordBatch.keptBytes, alignment: 16)
        timestamps = .allocate(capacity: capacity)
        originalLengths = .allocate(capacity: capacity)
        capturedLengths = .allocate(capacity: capacity)
        fileIndices = .allocate(capacity: capacity)
        used = .allocate(capacity: 1)
        used.initialize(to: 0)
    }

    deinit {
        bytes.deallocate()
        timestamps.deallocate()
        originalLengths.deallocate()
        capturedLengths.deallocate()
        fileIndices.deallocate()
        used.deallocate()
    }

    var count: Int { used.pointee }
    var isFull: Bool { used.pointee == RecordBatch.recordCapacity }

    func reset() { used.pointee = 0 }

    /// Copies the start of `record` (from file `file`) into the batch.
    @inline(__always)
    func append(_ record: PcapHandle.Record, file: Int) {
        let index = used.pointee
        let kept = min(record.bytes.count, RecordBatch.keptBytes)
        if kept > 0 {
            (bytes + index * RecordBatch.keptBytes).copyMemory(from: record.bytes.baseAddress!, byteCount: kept)
        }
        timestamps[index] = record.timestampNs
        originalLengths[index] = Int32(clamping: record.originalLength)
        capturedLengths[index] = Int16(kept)
        fileIndices[index] = UInt16(file)
        used.pointee = index + 1
    }

    /// Calls `body` with each record's kept bytes, timestamp, original length and file.
    @inline(__always)
    func forEach(_ body: (ByteView, Int64, Int, Int) -> Void) {
        for index in 0..<used.pointee {
            let record = UnsafeRawBufferPointer(
                start: bytes + index * RecordBatch.keptBytes, count: Int(capturedLengths[index]))
            body(ByteView(record), timestamps[index], Int(originalLengths[index]), Int(fileIndices[index]))
        }
    }
}
