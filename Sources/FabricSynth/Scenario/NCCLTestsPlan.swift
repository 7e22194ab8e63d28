/// nccl-tests (`all_reduce_perf -b MIN -e MAX -f 2 -w W -n N`) as NCCL's IB transport
/// puts it on the wire (docs/models.md, "NCCL's traffic as it is"):
///
/// - one connection per channel between ring neighbours, each of
///   `queuePairsPerConnection` QPs (NCCL_IB_QPS_PER_CONNECTION);
/// - per ring step, each channel's share of the chunk in slices of at most
///   `sliceBytes` (Simple protocol: a 512 KiB step × 2 slice steps);
/// - before each slice the receiver's clear-to-send: a 64-byte RDMA WRITE of its
///   FIFO entry back to the sender (`ncclIbPostFifo`), on the connection's first QP;
/// - the slice split over the QPs in 128-byte multiples, each part one RDMA WRITE
///   WITH IMMEDIATE (`ncclIbMultiSend`);
/// - for each size, `warmupIterations` then the timed iterations, back to back
///   (only a kernel launch between them); a longer pause between sizes.
public struct NCCLTestsPlan: Sendable, Equatable {
    /// Buffer sizes swept, in order (each iteration all-reduces this many bytes).
    public var sizes: [Int]
    public var warmupIterations = 5
    public var channels = 2
    public var sliceBytes = 1 << 20
    public var clearToSend = true
    /// Between iterations of one size: the next kernel's launch, no compute.
    public var launchGapNs: Int64 = 1_000
    /// Between sizes: nccl-tests checks the result, synchronises and prints a line.
    public var sizeGapNs: Int64 = 200_000

    /// The FIFO entry a receiver writes (addr, size, rkeys, nreqs, tag, idx, padding).
    public static let fifoEntryBytes = 64
    /// Each QP's share of a slice is rounded up to this (so LL and LL128 still work).
    public static let queuePairAlignment = 128

    public init(sizes: [Int]) { self.sizes = sizes }

    /// The part of a `slice` that QP `q` of `qps` writes (NCCL's chunking: the slice
    /// over the QPs, rounded up to 128 bytes; the last QPs may get less, or nothing).
    public static func share(of slice: Int, queuePair q: Int, of qps: Int) -> Int {
        let chunk = (slice + qps - 1) / qps
        let aligned = (chunk + queuePairAlignment - 1) / queuePairAlignment * queuePairAlignment
        return max(0, min(slice - q * aligned, aligned))
    }
}
