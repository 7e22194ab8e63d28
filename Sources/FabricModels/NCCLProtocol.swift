/// How much of a link's stated rate NCCL's own tuning model expects a collective to
/// reach, per protocol. The α-β model on the line rate is "ideal"; a published
/// nccl-tests run lands a few per cent below it, and NCCL's model says why.
///
/// Two factors, both from NVIDIA/nccl (master 5067397c):
/// - **The topology search's speed.** `src/graph/search.cc` gives each channel a speed
///   from a fixed list (`sm90SpeedArrayInter`, `sm100SpeedArrayInter`: 96, 48, 24, 12
///   GB/s … ), starting from the first not above the NIC's bandwidth. For 100, 200,
///   400 and 800 Gb/s NICs (12.5, 25, 50, 100 GB/s) that is 12, 24, 48 and 96 GB/s:
///   96 % of the line rate. `src/graph/tuning.cc` builds bus bandwidth as
///   channels × that speed, so 0.96 is what NCCL expects a ring to reach at large sizes.
/// - **The protocol's refinement** in `ncclTopoTuneModel` (tuning.cc): Ring LL ×0.5
///   (an 8-byte line carries 4 bytes of data and a 4-byte flag), Ring LL128 ×0.92
///   (120 of 128 bytes are data); Tree all-reduce ×0.92, then LL ÷3.8 and LL128 ×120/128
///   (multi-node).
///
/// Only a stated line rate gets the factor: a bandwidth measured from a capture is
/// already what the protocol achieved.
public enum NCCLProtocol: String, CaseIterable, Sendable, Codable {
    /// The α-β model on the stated bandwidth, with no protocol cost.
    case ideal
    /// NCCL's protocol for large messages, and the one nccl-tests' peak busbw comes from.
    case simple
    case ll128
    case ll

    /// The share of the network speed NCCL's search settles a channel on (see above).
    public static let searchSpeedShare = 0.96

    /// The fraction of the stated link bandwidth the model uses for this protocol and
    /// algorithm (1 for `ideal`).
    public func bandwidthEfficiency(algorithm: CollectiveAlgorithm) -> Double {
        let share = Self.searchSpeedShare
        if algorithm == .doubleBinaryTree {
            switch self {
            case .ideal: return 1
            case .simple: return share * 0.92
            case .ll128: return share * 0.92 * 120 / 128
            case .ll: return share * 0.92 / 3.8
            }
        }
        switch self {
        case .ideal: return 1
        case .simple: return share
        case .ll128: return share * 0.92
        case .ll: return share * 0.5
        }
    }
}
