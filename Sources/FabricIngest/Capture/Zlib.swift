import FabricWire
import CPcap

/// zlib streams (RFC 1950) through the C library libpcap's shim already links:
/// HdrHistogram's compressed encoding is a zlib stream.
public enum Zlib {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Compresses `bytes` at zlib's default level, as `compress2` does, with a hash
    /// table sized to them (see `fabricscope_deflate_sized`).
    public static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        // zlib's bound for non-default sizes (deflateBound's conservative one) and more.
        var length = UInt(bytes.count + bytes.count / 8 + bytes.count / 64 + 64)
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                fabricscope_deflate_sized(out.baseAddress, &length, input.baseAddress, UInt(bytes.count))
            }
        }
        precondition(status == Z_OK, "zlib cannot fail to compress into a buffer past its bound")
        return Array(output.prefix(Int(length)))
    }

    /// Decompresses a zlib stream, refusing output larger than `limit` bytes.
    public static func inflate(_ bytes: [UInt8], limit: Int = 1 << 26) throws(Failure) -> [UInt8] {
        var capacity = max(1024, bytes.count * 4)
        while capacity <= limit {
            var length = UInt(capacity)
            var output = [UInt8](repeating: 0, count: capacity)
            let status = output.withUnsafeMutableBufferPointer { out in
                bytes.withUnsafeBufferPointer { input in
                    uncompress(out.baseAddress, &length, input.baseAddress, UInt(bytes.count))
                }
            }
            switch status {
            case Z_OK: return Array(output.prefix(Int(length)))
            case Z_BUF_ERROR: capacity *= 4
            default: throw Failure(description: "not a valid zlib stream (zlib status \(status))")
            }
        }
        throw Failure(description: "decompresses to more than \(limit) bytes")
    }
}
