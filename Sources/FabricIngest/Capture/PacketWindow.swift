import FabricWire

/// A record of a batch together with the records after it, for consumers that
/// prefetch: at 10⁴ flows and more, the state a packet updates has nearly always
/// left the cache, so a consumer starts loading what a record a few places ahead
/// will need while it works on this one. Valid only inside the callback that
/// hands it out, like `PacketView`.
public struct PacketWindow {
    @usableFromInline let packets: UnsafePointer<DecodedPacket>
    @usableFromInline let index: Int
    @usableFromInline let count: Int

    @inlinable init(packets: UnsafePointer<DecodedPacket>, index: Int, count: Int) {
        self.packets = packets
        self.index = index
        self.count = count
    }

    /// The record to handle now.
    @inlinable public var packet: PacketView { PacketView(packets + index) }

    /// The record `distance` places ahead, when the batch holds it (a batch's
    /// last records have none: a few packets a batch go without prefetching).
    @inlinable public func ahead(_ distance: Int) -> PacketView? {
        index + distance < count ? PacketView(packets + index + distance) : nil
    }
}
