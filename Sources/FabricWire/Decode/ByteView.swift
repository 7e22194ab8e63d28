/// A bounds-checked, big-endian view of one captured frame.
///
/// Decoders read network headers through this view only. It borrows libpcap's
/// buffer for the duration of one callback, so it must never escape that callback;
/// every read checks the captured length, because snaplen-truncated mirror traffic
/// routinely cuts frames in the middle of a header.
public struct ByteView {
    @usableFromInline let base: UnsafeRawBufferPointer

    @inlinable public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    /// Captured bytes available (not the length on the wire).
    @inlinable public var count: Int { base.count }

    @inlinable public func has(_ length: Int, at offset: Int) -> Bool {
        offset >= 0 && length >= 0 && offset &+ length <= base.count
    }

    @inlinable public func u8(_ offset: Int) -> UInt8? {
        has(1, at: offset) ? base[offset] : nil
    }

    @inlinable public func u16(_ offset: Int) -> UInt16? {
        guard has(2, at: offset) else { return nil }
        return UInt16(base[offset]) << 8 | UInt16(base[offset + 1])
    }

    @inlinable public func u24(_ offset: Int) -> UInt32? {
        guard has(3, at: offset) else { return nil }
        return UInt32(base[offset]) << 16 | UInt32(base[offset + 1]) << 8 | UInt32(base[offset + 2])
    }

    @inlinable public func u32(_ offset: Int) -> UInt32? {
        guard has(4, at: offset) else { return nil }
        return UInt32(base[offset]) << 24 | UInt32(base[offset + 1]) << 16
            | UInt32(base[offset + 2]) << 8 | UInt32(base[offset + 3])
    }

    @inlinable public func u64(_ offset: Int) -> UInt64? {
        guard let high = u32(offset), let low = u32(offset + 4) else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    /// Unchecked big-endian reads, for use after one `has(_:at:)` covering a whole
    /// header: a header is then bounds-checked once instead of field by field.
    @inlinable public func u16(unchecked offset: Int) -> UInt16 {
        UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable public func u32(unchecked offset: Int) -> UInt32 {
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable public func u64(unchecked offset: Int) -> UInt64 {
        UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable public func u8(unchecked offset: Int) -> UInt8 { base[offset] }

    /// Little-endian 16-bit read, for the few capture headers that use host order.
    @inlinable public func u16le(_ offset: Int) -> UInt16? {
        guard has(2, at: offset) else { return nil }
        return UInt16(base[offset]) | UInt16(base[offset + 1]) << 8
    }

    /// Little-endian 64-bit read (ERF timestamps).
    @inlinable public func u64le(_ offset: Int) -> UInt64? {
        guard has(8, at: offset) else { return nil }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

extension ByteView {
    /// The bytes from `offset` on, as a view of their own (offset 0 is `offset` here):
    /// a tunnel's inner frame decoded with the code that decodes a frame on its link.
    @inlinable public func suffix(from offset: Int) -> ByteView {
        ByteView(UnsafeRawBufferPointer(rebasing: base[min(max(0, offset), base.count)...]))
    }

    /// Runs `body` over a view of `bytes`; the view is valid only inside `body`.
    public static func with<R>(_ bytes: [UInt8], _ body: (ByteView) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(ByteView($0)) }
    }
}
