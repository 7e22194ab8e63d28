import FabricWire

/// One consumer's way through the decoded records of a read shared by several
/// consumers (`CaptureReader.forEach(consumers:_:)`): every record, in order.
///
/// A consumer reads through its own feed with its own state in local variables:
/// state reached through a shared object on every record would cost reference
/// counting and exclusivity checks per packet, and those atomic operations on
/// objects other cores touch too are what made a first, closure-per-record
/// version of shared reading slow.
public struct RecordFeed: Sendable {
    let channel: BatchChannel
    let consumer: Int

    /// Calls `visit` with a view of each record, until the capture ends. Call once.
    @inline(__always)
    public func forEach(_ visit: (PacketView) -> Void) {
        forEachWindow { visit($0.packet) }
    }

    /// Like `forEach`, with each record in a window on the records after it (see
    /// `PacketWindow`), so that the consumer can prefetch what they will need.
    @inline(__always)
    public func forEachWindow(_ visit: (PacketWindow) -> Void) {
        var index = 0
        HeapPages.prepare()
        while let batch = channel.filledBatch(index) {
            batch.forEachWindow(visit)
            channel.release(index, consumer: consumer)
            HeapPages.adviseGrowth()
            index += 1
        }
    }
}
