import FabricWire

/// A batch of decoded packets, so that one thread can read and decode the next
/// batch with libpcap while another folds this one into statistics.
///
/// Packets are decoded straight into the batch's own storage and handed out
/// as views: no per-packet allocation, no copy. Owns its memory and is reused. All
/// state sits behind `let` pointers: stored `var`s of a class would cost a dynamic
/// exclusivity check on every record.
final class RecordBatch: @unchecked Sendable {
    static let recordCapacity = 512

    private let packets: UnsafeMutablePointer<DecodedPacket>
    private let used: UnsafeMutablePointer<Int>
    /// Whether `packets` holds values yet: slots are made when the batch is first
    /// filled, on the reading thread. Made for all 16 batches up front, the 2.7 MB took
    /// about a millisecond of page faults on the main thread before any record was
    /// read, an eighth of opening an empty capture; a small capture fills one batch.
    private let made: UnsafeMutablePointer<Bool>

    init() {
        packets = .allocate(capacity: RecordBatch.recordCapacity)
        used = .allocate(capacity: 1)
        used.initialize(to: 0)
        made = .allocate(capacity: 1)
        made.initialize(to: false)
    }

    deinit {
        if made.pointee { packets.deinitialize(count: RecordBatch.recordCapacity) }
        packets.deallocate()
        used.deallocate()
        made.deallocate()
    }

    var count: Int { used.pointee }
    var isFull: Bool { used.pointee == RecordBatch.recordCapacity }

    /// Empties the batch for filling (making its slots the first time).
    func reset() {
        if !made.pointee {
            packets.initialize(repeating: DecodedPacket(timestampNs: 0, wireLength: 0, content: .other),
                               count: RecordBatch.recordCapacity)
            made.pointee = true
        }
        used.pointee = 0
    }

    /// Decodes `record` (from file `file`) into the next slot, and returns the slot.
    @inline(__always) @discardableResult
    func append(
        _ record: PcapHandle.Record, file: Int, linkType: LinkType, decoder: PacketDecoder
    ) -> UnsafeMutablePointer<DecodedPacket> {
        let slot = packets + used.pointee
        slot.pointee.timestampNs = record.timestampNs
        slot.pointee.wireLength = record.originalLength
        slot.pointee.file = file
        decoder.decode(ByteView(record.bytes), linkType: linkType, into: &slot.pointee)
        used.pointee += 1
        return slot
    }

    /// Calls `body` with each decoded packet, in place, in a window that also
    /// shows the packets after it (for consumers that prefetch).
    @inline(__always)
    func forEachWindow(_ body: (PacketWindow) -> Void) {
        let count = used.pointee
        for index in 0..<count { body(PacketWindow(packets: packets, index: index, count: count)) }
    }
}
