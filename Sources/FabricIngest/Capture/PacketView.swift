import FabricWire

/// A decoded packet read where it lies: in the batch the reading thread decoded it
/// into.
///
/// Why the statistics do not take `DecodedPacket` itself: it is a plain value of
/// about 256 bytes, and Swift hands a value that large to a non-inlined function
/// through a temporary copy. Copying every packet into the visitor, and again into
/// the statistics, was a tenth of the statistics thread's time. A view is one
/// pointer, and its accessors load only the fields asked for.
///
/// A view is valid only inside the callback that hands it out: the batch is reused
/// afterwards. Use `packet` to keep a copy.
public struct PacketView {
    @usableFromInline let base: UnsafePointer<DecodedPacket>

    @inlinable init(_ base: UnsafePointer<DecodedPacket>) { self.base = base }

    @inlinable public var kind: DecodedPacket.Kind { base.pointee.kind }
    /// See `DecodedPacket.roceLikePort`.
    @inlinable public var roceLikePort: UInt16 { base.pointee.roceLikePort }
    @inlinable public var timestampNs: Int64 { base.pointee.timestampNs }
    @inlinable public var wireLength: Int { base.pointee.wireLength }
    @inlinable public var reportedDrops: Int { base.pointee.reportedDrops }
    @inlinable public var file: Int { base.pointee.file }
    /// Meaningful when `kind == .roce`. Reading one field of it (`view.roce.bth`)
    /// loads that field only; passing it whole to a function copies it.
    @inlinable public var roce: RocePacket { base.pointee.roce }
    /// Meaningful when `kind == .pfc`.
    @inlinable public var pause: PriorityPause { base.pointee.pause }
    /// See `DecodedPacket.mirror`.
    @inlinable public var mirror: MirrorTag { base.pointee.mirror }
    /// See `DecodedPacket.undecodedReason`.
    @inlinable public var undecodedReason: UndecodedReason { base.pointee.undecodedReason }
    /// A copy of the whole packet, to keep past the callback.
    @inlinable public var packet: DecodedPacket { base.pointee }
}

extension DecodedPacket {
    /// Runs `body` with a view of this packet, for code that holds decoded packets
    /// as values (tests, synthetic traffic) and feeds consumers that take views.
    public func withView<R>(_ body: (PacketView) throws -> R) rethrows -> R {
        try withUnsafePointer(to: self) { try body(PacketView($0)) }
    }
}
