extension NodeAddress: CustomStringConvertible {
    /// IPv4 dotted quad, IPv6/GID in RFC 5952 canonical form, or `lid:N`.
    public var description: String {
        switch kind {
        case .ipv4:
            return NodeAddress.dottedQuad(UInt32(truncatingIfNeeded: low))
        case .ipv6, .gid:
            return NodeAddress.canonicalIPv6(high: high, low: low)
        case .lid:
            return "lid:\(low)"
        }
    }

    /// `a.b.c.d`, its digits written straight into the string's storage: a report
    /// of 10⁵ flows names 2·10⁵ addresses, and interpolating four integers each was
    /// a sixth of building its flow entries.
    static func dottedQuad(_ value: UInt32) -> String {
        String(unsafeUninitializedCapacity: 15) { text in
            var length = 0
            for shift in [24, 16, 8, 0] {
                let octet = Int(value >> UInt32(shift) & 0xff)
                if shift != 24 {
                    text[length] = UInt8(ascii: ".")
                    length += 1
                }
                if octet >= 100 {
                    text[length] = UInt8(ascii: "0") + UInt8(octet / 100)
                    length += 1
                }
                if octet >= 10 {
                    text[length] = UInt8(ascii: "0") + UInt8(octet / 10 % 10)
                    length += 1
                }
                text[length] = UInt8(ascii: "0") + UInt8(octet % 10)
                length += 1
            }
            return length
        }
    }

    /// RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more
    /// zero groups (the first on a tie) shortened to `::`, and IPv4-mapped addresses
    /// (::ffff:0:0/96) with a dotted-quad tail.
    static func canonicalIPv6(high: UInt64, low: UInt64) -> String {
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<4 {
            groups[i] = UInt16(truncatingIfNeeded: high >> (48 - 16 * i))
            groups[i + 4] = UInt16(truncatingIfNeeded: low >> (48 - 16 * i))
        }
        if high == 0, low >> 32 == 0xffff {
            return "::ffff:" + NodeAddress.ipv4(UInt32(truncatingIfNeeded: low)).description
        }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                text += "::"
                i += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
            text += String(groups[i], radix: 16)
            i += 1
        }
        return text
    }
}
