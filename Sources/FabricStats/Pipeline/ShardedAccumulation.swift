import FabricWire
import FabricConcurrency
import FabricIngest

/// Folds one capture into statistics on several threads at once.
///
/// At tens of thousands of queue pairs, folding is the slowest stage: nearly every
/// packet lands on a flow whose state has left the cache. Each thread here owns the
/// traffic of a share of host pairs, chosen by a hash of the unordered address pair,
/// and keeps its own `TrafficAccumulator`. Everything an accumulator relates across
/// flows stays inside one host pair: a request flow and the ACKs, READ responses
/// and CNPs that answer it travel between the same two addresses, the CM exchange
/// that names a connection's QPs does too, and response pairing looks only at
/// flows between those two addresses. PFC frames and other non-RoCE records
/// belong to no host pair and go to the first shard, in order.
///
/// The shards' results are disjoint sets of flows, so joining them is exact: flows
/// are put back in the order their first packets came in (the order one
/// accumulator would have given), and the capture totals add up. Tests hold the
/// joined summary equal to a single accumulator's for every fixture.
struct ShardedAccumulation {
    /// What one thread folded.
    struct Shard: Sendable {
        var accumulator: TrafficAccumulator
        /// Per flow of `accumulator`, in its index order: the ordinal (in the
        /// capture) of the packet that opened the flow.
        var firstPackets: [Int] = []
    }

    /// Folds the records of `feed` that shard `index` of `count` owns (and that
    /// `keep` keeps) into `accumulator`, on the calling thread.
    static func fold(
        _ feed: RecordFeed, shard index: Int, of count: Int, into accumulator: TrafficAccumulator,
        keeping keep: (PacketView) -> Bool
    ) -> Shard {
        var shard = Shard(accumulator: accumulator)
        var seen = 0
        feed.forEachWindow { window in
            let packet = window.packet
            if ShardedAccumulation.shard(of: packet, among: count) == index, keep(packet) {
                let flows = shard.accumulator.flowCount
                shard.accumulator.add(window) { ShardedAccumulation.shard(of: $0, among: count) == index }
                if shard.accumulator.flowCount > flows { shard.firstPackets.append(seen) }
            } else if index == 0, packet.mirror.kind != .none {
                // Mirror sequence numbers count every copy: the first shard follows them all.
                shard.accumulator.noteMirror(packet)
            }
            seen += 1
        }
        return shard
    }

    /// The shard that owns `packet`: by unordered address pair for RoCE/IB, the
    /// first for everything else.
    @inline(__always)
    static func shard(of packet: PacketView, among count: Int) -> Int {
        guard packet.kind == .roce else { return 0 }
        let pair = spread(packet.roce.source) &+ spread(packet.roce.destination)
        return Int(truncatingIfNeeded: (pair &* 0x9e37_79b9_7f4a_7c15) >> 33) % count
    }

    /// An address folded to one well-mixed word (added, not combined in order, so
    /// both directions of a pair agree).
    @inline(__always)
    private static func spread(_ address: NodeAddress) -> UInt64 {
        let word = address.low ^ (address.high &* 0xff51_afd7_ed55_8ccd) ^ UInt64(address.kind.rawValue) << 56
        return (word ^ word >> 29) &* 0xc4ce_b9fe_1a85_ec53
    }

    /// Closes every shard at the end of the whole capture and joins them into one
    /// summary, flows in the order their first packets came.
    static func summary(of shards: [Shard], files: [CaptureFileSummary]) -> AnalysisSummary {
        let captureEnd = shards.map(\.accumulator.totals.endNs).max() ?? .min
        let parts = ParallelMap.map(shards.count) { index in
            var accumulator = shards[index].accumulator
            accumulator.finish(captureEndNs: captureEnd)
            return AnalysisSummary(accumulator: accumulator, files: files)
        }
        var joined = parts[0]
        var order: [(first: Int, shard: Int, flow: Int)] = []
        order.reserveCapacity(parts.reduce(0) { $0 + $1.flows.count })
        for (index, shard) in shards.enumerated() {
            for (flow, first) in shard.firstPackets.enumerated() { order.append((first, index, flow)) }
        }
        order.sort { $0.first < $1.first }
        joined.flows = order.map { parts[$0.shard].flows[$0.flow] }
        for part in parts.dropFirst() {
            joined.totals.merge(part.totals)
            joined.unpairedResponses += part.unpairedResponses
            joined.connectionsFromCM += part.connectionsFromCM
            joined.pauses += part.pauses
        }
        joined.pauses.sort { $0.key < $1.key }
        return joined
    }
}
