import FabricWire
import FabricMetrics
import FabricStats
import FabricCompare
import FabricReport
import ArgumentParser
import FabricIngest
import FabricSynth
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic RoCEv2 capture of a ring all-reduce (for tests, demos and pipelines).",
        discussion: """
            Deterministic: the same options and --seed give the same bytes. Faults are injected after \
            the tap, so the capture shows what a switch mirror would: NAKs and go-back-N \
            retransmissions (--loss), CE marks answered by CNPs (--ce), PFC pauses (--pfc). \
            --truth writes what was generated, flow by flow, as JSON.
            """)

    @Argument(help: "Output pcap file ('-' for standard output); with --nights, a directory.")
    var output: String

    @Option(help: "A sequence of nights: write N captures of the same job to the OUTPUT directory (night-01.pcap …), each with its own seed and QP numbers.")
    var nights: Int?

    @Option(name: .customLong("degrade-from"),
            help: "With --nights: apply --slow-link, --tail-link and --ce-link only from this night on (the earlier nights are normal).")
    var degradeFrom: Int?

    @Flag(help: "Replace the output and --truth files if they exist.")
    var force = false

    @Flag(help: "No progress line on standard error (shown only on a terminal, for work over 2 s).")
    var quiet = false

    @Option(help: "Hosts in the ring.") var ranks = 4
    @Option(name: .customLong("collective"), help: ArgumentHelp(
        "Collective: allreduce (a ring, 2(n−1) steps), allgather or reducescatter (rings of n−1 steps; the same traffic), or tree-allreduce (NCCL's double binary tree).",
        discussion: "--size is then nccl-tests' size: the whole gathered or scattered buffer, S/n per step."))
    var ringCollective: RingAllReduceScenario.RingCollective = .allreduce
    @Option(parsing: .unconditional, help: "All-reduce buffer size, e.g. 1MiB (up to 16GiB).", transform: QuantityArgument.generatedSize)
    var size = QuantityArgument(value: 1_048_576, text: "1MiB")
    @Option(help: "All-reduce iterations.") var iterations = 1
    @Option(name: .customLong("iteration-gap"), parsing: .unconditional, help: "Idle time between iterations (compute).",
            transform: QuantityArgument.delay)
    var iterationGap = QuantityArgument(value: 10_000, text: "10us")
    @Option(help: "Payload bytes per packet.") var mtu = 4096
    @Option(name: .customLong("link-speed"), parsing: .unconditional, help: "Link speed, e.g. 400Gbps.",
            transform: QuantityArgument.linkSpeed)
    var linkSpeed = QuantityArgument(value: 400e9, text: "400Gbps")
    @Option(name: .customLong("ack-latency"), parsing: .unconditional, help: "Fixed request→ACK delay at the tap.",
            transform: QuantityArgument.delay)
    var ackLatency = QuantityArgument(value: 3_000, text: "3us")
    @Option(parsing: .unconditional, help: "Mean of the exponential extra delay (0ns for none).", transform: QuantityArgument.delay)
    var jitter = QuantityArgument(value: 500, text: "500ns")
    @Option(help: "Probability that a data packet is lost after the tap.") var loss = 0.0
    @Option(help: "Probability that a data packet is CE-marked.") var ce = 0.0
    @Option(help: "Number of PFC pause episodes.") var pfc = 0
    @Option(help: "802.1Q VLAN ID to tag frames with.") var vlan: UInt16?
    @Flag(help: "Use IPv6 addresses.") var ipv6 = false
    @Option(name: .customLong("start-psn"), help: "First PSN of every connection (e.g. 16777200 to wrap).")
    var startPSN: UInt32?
    @Option(help: "Bytes kept of each frame, as a truncating mirror would.") var snaplen = 262_144
    @Option(help: "Deliver the capture as a switch mirror or tunnel does: erspan1, erspan2, erspan3, gre, vxlan or geneve.")
    var encap: String?
    @Option(name: .customLong("mirror-loss"),
            help: "Probability that the mirror (or the tap) loses a copy before it is recorded; with --encap the GRE sequence numbers show each loss.")
    var mirrorLoss = 0.0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("host-offset"), help: "Number hosts from this offset (10.0.0.<offset+1>…).")
    var hostOffset = 0
    @Option(name: .customLong("qps"), help: "Queue pairs per ring connection (messages striped across them).")
    var queuePairs = 1
    @Flag(name: .customLong("cm"), help: "Set connections up with CM REQ/REP/RTU first, as rdma_cm does.")
    var connectionManagement = false
    @Option(name: .customLong("slow-link"), help: "A straggler: RANK:FACTOR makes that rank's link FACTOR times slower.")
    var slowLink: String?
    @Option(name: .customLong("tail-link"),
            help: "A heavier latency tail: RANK:FACTOR multiplies the mean of the exponential ACK delay on that rank's link.")
    var tailLink: String?
    @Option(name: .customLong("ce-link"), help: "A congested link: RANK:PROBABILITY CE-marks that rank's data packets.")
    var ceLink: String?
    @Option(name: .customLong("host-dscp"), help: "A misconfigured host: RANK:DSCP sends that rank's RoCE data and ACKs on DSCP instead of 26.")
    var hostDSCP: String?
    @Option(name: .customLong("fixed-source-port"), help: "Every QP sends from this UDP source port (a NIC that does not vary it: ECMP polarisation), instead of Linux's port per QP pair.")
    var fixedSourcePort: UInt16?
    @Option(help: "Hang the ranks off this many leaf switches of a leaf/spine fabric (in blocks of consecutive ranks); see --topology-out.")
    var leaves: Int?
    @Option(help: "With --leaves: spine switches, each with one uplink from every leaf.") var spines = 4
    @Option(name: .customLong("congested-leaf"), help: "With --leaves: LEAF:P CE-marks every link through that leaf (0-based) with probability P: a switch whose ECN or buffers are wrong.")
    var congestedLeaf: String?
    @Option(name: .customLong("topology-out"), help: "With --leaves: write the fabric as a topology file that --topology reads.")
    var topologyOut: String?
    @Flag(name: .customLong("random-qps"), help: "Draw queue pair numbers from the seed, as every new run of a job gets new ones.")
    var randomQueuePairs = false
    @Option(name: .customLong("nccl-tests"),
            help: "nccl-tests as NCCL runs it: all_reduce_perf's sweep MIN:MAX (powers of two, or one size), warm-up and timed iterations back to back, clear-to-send writes, --channels and --qps (docs/models.md).")
    var ncclTests: String?
    @Option(help: "With --nccl-tests: NCCL channels (one connection each between ring neighbours).") var channels = 2
    @Option(help: "With --nccl-tests: warm-up iterations per size before the timed --iterations (nccl-tests -w).")
    var warmup = 5
    @Option(help: "Write the ground truth (what was generated) to this JSON file.") var truth: String?
    @Option(name: .customLong("second-tap"), help: "Also write the traffic as a second, downstream tap sees it.")
    var secondTap: String?
    @Option(name: .customLong("tap-delay"), parsing: .unconditional, help: "Fixed delay from the first tap to the second.",
            transform: QuantityArgument.delay)
    var tapDelay = QuantityArgument(value: 2_000, text: "2us")
    @Option(name: .customLong("tap-jitter"), parsing: .unconditional, help: "Mean of the exponential extra delay between the taps.",
            transform: QuantityArgument.delay)
    var tapJitter = QuantityArgument(value: 200, text: "200ns")

    /// Option checks before any work (ArgumentParser calls this after parsing).
    func validate() throws {
        for (option, text) in [("--slow-link", slowLink), ("--tail-link", tailLink), ("--ce-link", ceLink), ("--host-dscp", hostDSCP)] {
            if let text { _ = try Generate.rankAndValue(text, option: option) }
        }
        _ = try mirrorEncapsulation()
        if let ncclTests {
            _ = try Model.sizes(ncclTests)
            guard (1...32).contains(channels) else { throw ValidationError("--channels must be 1–32 (got \(channels))") }
            guard (0...1000).contains(warmup) else { throw ValidationError("--warmup must be 0–1000 (got \(warmup))") }
        }
        if let nights {
            guard (1...1000).contains(nights) else { throw ValidationError("--nights must be 1–1000 (got \(nights))") }
            guard truth == nil, secondTap == nil, output != "-", encap == nil, mirrorLoss == 0 else {
                throw ValidationError("--nights writes a directory of captures: --truth, --second-tap, --encap, --mirror-loss and '-' do not apply")
            }
            if let degradeFrom, !(1...nights).contains(degradeFrom) {
                throw ValidationError("--degrade-from must be a night between 1 and \(nights) (got \(degradeFrom))")
            }
        } else if degradeFrom != nil {
            throw ValidationError("--degrade-from needs --nights")
        }
    }

    func run() throws {
        var scenario = RingAllReduceScenario()
        scenario.ranks = ranks
        scenario.collective = ringCollective
        scenario.iterations = iterations
        scenario.mtu = mtu
        scenario.lossProbability = loss
        scenario.ceProbability = ce
        scenario.pfcEvents = pfc
        scenario.vlan = vlan
        scenario.ipv6 = ipv6
        scenario.startPSN = startPSN
        scenario.snaplen = snaplen
        scenario.seed = seed
        scenario.hostOffset = hostOffset
        scenario.queuePairsPerConnection = queuePairs
        scenario.connectionManagement = connectionManagement
        if let slowLink { (scenario.slowRank, scenario.slowFactor) = try Generate.rankAndValue(slowLink, option: "--slow-link") }
        if let tailLink { (scenario.tailRank, scenario.tailFactor) = try Generate.rankAndValue(tailLink, option: "--tail-link") }
        if let ceLink { (scenario.ceRank, scenario.ceRankProbability) = try Generate.rankAndValue(ceLink, option: "--ce-link") }
        if let hostDSCP {
            let (rank, dscp) = try Generate.rankAndValue(hostDSCP, option: "--host-dscp")
            guard dscp == dscp.rounded(), (0...63).contains(dscp) else { throw ValidationError("--host-dscp: a DSCP is 0–63 (got \(dscp))") }
            (scenario.dscpRank, scenario.dscpRankValue) = (rank, UInt8(dscp))
        }
        scenario.fixedSourcePort = fixedSourcePort
        if let leaves { scenario.fabric = LeafSpineFabric(ranks: ranks, leaves: leaves, spines: spines) }
        if let congestedLeaf {
            let (leaf, probability) = try Generate.rankAndValue(congestedLeaf, option: "--congested-leaf")
            (scenario.congestedLeaf, scenario.congestedLeafProbability) = (leaf, probability)
        }
        scenario.randomQueuePairs = randomQueuePairs
        scenario.bufferBytes = size.bytes
        scenario.linkBitsPerSecond = linkSpeed.value
        scenario.ackLatencyNs = ackLatency.value
        scenario.iterationGapNs = iterationGap.ns
        scenario.jitterNs = jitter.value
        if let ncclTests {
            var plan = NCCLTestsPlan(sizes: try Model.sizes(ncclTests).map { Int($0) })
            plan.channels = channels
            plan.warmupIterations = warmup
            scenario.ncclTests = plan
        }

        if topologyOut != nil, scenario.fabric == nil { throw ValidationError("--topology-out needs --leaves") }
        if let nights {
            try writeNights(nights, scenario: scenario)
            return
        }
        var mirror = try mirrorEncapsulation()
        try OutputFile.checkOutputs([("the capture", output), ("--truth", truth), ("--second-tap", secondTap),
                                     ("--topology-out", topologyOut)], force: force)

        var generator = try RingAllReduceGenerator(scenario)
        let writer = try Generate.writer(output, force: force, snaplen: scenario.snaplen + mirror.overhead)
        let downstream = try secondTap.map { try Generate.writer($0, force: force, snaplen: scenario.snaplen) }
        var tap = SecondTap(delays: TapDelayModel(delayNs: tapDelay.ns, jitterNs: tapJitter.value, seed: seed))
        var progress = Progress("generate: packets", total: scenario.estimatedPackets, quiet: quiet)
        var written = 0
        var groundTruth = generator.run { time, frame in
            written += 1
            progress.update(written)
            if let copy = mirror.wrap(frame, timeNs: time) {
                writer.write(timestampNs: time, bytes: copy.bytes, originalLength: copy.originalLength)
            }
            if let downstream {
                downstream.write(timestampNs: tap.pass(frame, atNs: time), bytes: frame.bytes, originalLength: frame.originalLength)
            }
        }
        progress.finish()
        try writer.close()
        try downstream?.close()
        if downstream != nil { groundTruth.tapDelaysNs = tap.delaysNs }
        if mirrorLoss > 0 { groundTruth.mirrorLostCopies = mirror.dropped }
        if let truth {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try OutputFile(path: truth, force: true).write(String(decoding: try encoder.encode(groundTruth), as: UTF8.self) + "\n")
        }
        if let topologyOut, let fabric = scenario.fabric {
            try OutputFile(path: topologyOut, force: true).write(fabric.topologyJSON(hostOffset: hostOffset, ipv6: ipv6))
        }
        if output != "-" {
            FileHandle.standardError.write(Data("wrote \(groundTruth.packets) packets to \(output)\n".utf8))
        }
    }

    /// `--encap` and `--mirror-loss`, checked.
    func mirrorEncapsulation() throws -> MirrorEncapsulation {
        guard (0...1).contains(mirrorLoss) else { throw ValidationError("--mirror-loss is a probability between 0 and 1 (got \(mirrorLoss))") }
        var kind: MirrorEncapsulation.Kind?
        if let encap {
            guard let known = MirrorEncapsulation.Kind(rawValue: encap) else {
                throw ValidationError("--encap: unknown encapsulation '\(encap)' (known: "
                    + MirrorEncapsulation.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            kind = known
        }
        return MirrorEncapsulation(kind: kind, lossProbability: mirrorLoss, seed: seed)
    }

    /// `--nights N`: the same job night after night, new seeds and QP numbers each
    /// night; the faults asked for start at `--degrade-from` (all nights without it).
    func writeNights(_ count: Int, scenario: RingAllReduceScenario) throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for night in 1...count {
            let tonight = scenario.night(night, degradeFrom: degradeFrom)
            let path = (output as NSString).appendingPathComponent(String(format: "night-%02d.pcap", night))
            try OutputFile.refuseOverwrite(path, force: force)
            var generator = try RingAllReduceGenerator(tonight)
            let writer = try Generate.writer(path, force: force, snaplen: tonight.snaplen)
            let truth = generator.run { time, frame in
                writer.write(timestampNs: time, bytes: frame.bytes, originalLength: frame.originalLength)
            }
            try writer.close()
            FileHandle.standardError.write(Data("wrote \(truth.packets) packets to \(path)\(tonight.hasLinkFault ? " (degraded)" : "")\n".utf8))
        }
        // Every night runs on the same fabric.
        if let topologyOut, let fabric = scenario.fabric {
            try OutputFile(path: topologyOut, force: force).write(fabric.topologyJSON(hostOffset: hostOffset, ipv6: ipv6))
        }
    }

    /// A capture writer for `path` under the output rules: a regular file is written
    /// beside itself and renamed into place; a device or FIFO is written in place; a
    /// symbolic link (with --force) writes the file it points to.
    static func writer(_ path: String, force: Bool, snaplen: Int) throws -> PcapWriter {
        switch try OutputFile.target(path, force: force) {
        case .standardOutput: return try PcapWriter(path: "-", snaplen: snaplen)
        case .special(let device): return try PcapWriter(path: device, snaplen: snaplen)
        case .regular(let file): return try PcapWriter(path: file, snaplen: snaplen, atomic: true)
        }
    }

    /// RANK:VALUE, as --slow-link, --tail-link and --ce-link take it.
    static func rankAndValue(_ text: String, option: String) throws -> (Int, Double) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let rank = Int(parts[0]), let value = Double(parts[1]), value.isFinite else {
            throw ValidationError("\(option): expected RANK:VALUE, e.g. 3:2 (got '\(text)')")
        }
        return (rank, value)
    }
}
