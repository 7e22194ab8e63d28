import FabricWire

/// Times mirrored records by the switch's own clock (ERSPAN type III), where it is
/// finer than the capture's: a collector that stamps in microseconds cannot resolve
/// a switch's residence time or sub-µs jitter, and an ERSPAN III session with 100 ns
/// granularity can.
///
/// The switch's 32-bit timestamp wraps (every 7 minutes at 100 ns) and has no known
/// epoch, so each mirror point's clock is anchored to the capture's: a record's time
/// is the anchor record's capture time plus the switch ticks since it. When the two
/// clocks drift or jump more than `realignNs` apart, the point re-anchors to the
/// capture's time. IEEE 1588 granularity (seconds in a platform sub-header) is not read.
struct SwitchClock {
    /// How far the switch-derived time may stray from the capture's before the
    /// anchor moves: clock drift (tens of ppm) or a reset switch.
    static let realignNs: Int64 = 1_000_000

    struct Anchor {
        var captureNs: Int64
        var anchorTicks: Int64
        var ticks: Int64
        var lastRaw: UInt32
    }

    private var anchors: [MirrorPointKey: Anchor] = [:]

    /// Rewrites `packet`'s timestamp from its ERSPAN III stamp when the granularity is
    /// 100 ns; false (unchanged) otherwise.
    mutating func retime(_ packet: inout DecodedPacket) -> Bool {
        guard let granularity = packet.mirror.granularity, granularity == .nanoseconds100,
              let tick = granularity.tickNs else { return false }
        let key = MirrorPointKey(packet.mirror), raw = packet.mirror.hardwareTimestamp
        guard var anchor = anchors[key] else {
            anchors[key] = Anchor(captureNs: packet.timestampNs, anchorTicks: 0, ticks: 0, lastRaw: raw)
            return true
        }
        // The 32-bit counter wraps: the step is the signed difference.
        anchor.ticks += Int64(Int32(bitPattern: raw &- anchor.lastRaw))
        anchor.lastRaw = raw
        var derived = anchor.captureNs + (anchor.ticks - anchor.anchorTicks) * tick
        if derived - packet.timestampNs > SwitchClock.realignNs || packet.timestampNs - derived > SwitchClock.realignNs {
            (anchor.captureNs, anchor.anchorTicks) = (packet.timestampNs, anchor.ticks)
            derived = packet.timestampNs
        }
        anchors[key] = anchor
        packet.timestampNs = derived
        return true
    }
}
