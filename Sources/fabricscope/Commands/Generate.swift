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

    @Argument(help: "Output pcap file ('-' for standard output).")
    var output: String

    @Flag(help: "Replace the output and --truth files if they exist.")
    var force = false

    @Option(help: "Hosts in the ring.") var ranks = 4
    @Option(help: "All-reduce buffer size, e.g. 1MiB.") var size = "1MiB"
    @Option(help: "All-reduce iterations.") var iterations = 1
    @Option(name: .customLong("iteration-gap"), help: "Idle time between iterations (compute).") var iterationGap = "10us"
    @Option(help: "Payload bytes per packet.") var mtu = 4096
    @Option(name: .customLong("link-speed"), help: "Link speed, e.g. 400Gbps.") var linkSpeed = "400Gbps"
    @Option(name: .customLong("ack-latency"), help: "Fixed request→ACK delay at the tap.") var ackLatency = "3us"
    @Option(help: "Mean of the exponential extra delay (0 for none).") var jitter = "500ns"
    @Option(help: "Probability that a data packet is lost after the tap.") var loss = 0.0
    @Option(help: "Probability that a data packet is CE-marked.") var ce = 0.0
    @Option(help: "Number of PFC pause episodes.") var pfc = 0
    @Option(help: "802.1Q VLAN ID to tag frames with.") var vlan: UInt16?
    @Flag(help: "Use IPv6 addresses.") var ipv6 = false
    @Option(name: .customLong("start-psn"), help: "First PSN of every connection (e.g. 16777200 to wrap).")
    var startPSN: UInt32?
    @Option(help: "Bytes kept of each frame, as a truncating mirror would.") var snaplen = 262_144
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("host-offset"), help: "Number hosts from this offset (10.0.0.<offset+1>…).")
    var hostOffset = 0
    @Option(name: .customLong("qps"), help: "Queue pairs per ring connection (messages striped across them).")
    var queuePairs = 1
    @Flag(name: .customLong("cm"), help: "Set connections up with CM REQ/REP/RTU first, as rdma_cm does.")
    var connectionManagement = false
    @Option(name: .customLong("slow-link"), help: "A straggler: RANK:FACTOR makes that rank's link FACTOR times slower.")
    var slowLink: String?
    @Option(help: "Write the ground truth (what was generated) to this JSON file.") var truth: String?
    @Option(name: .customLong("second-tap"), help: "Also write the traffic as a second, downstream tap sees it.")
    var secondTap: String?
    @Option(name: .customLong("tap-delay"), help: "Fixed delay from the first tap to the second.") var tapDelay = "2us"
    @Option(name: .customLong("tap-jitter"), help: "Mean of the exponential extra delay between the taps.")
    var tapJitter = "200ns"

    func run() throws {
        var scenario = RingAllReduceScenario()
        scenario.ranks = ranks
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
        if let slowLink {
            let parts = slowLink.split(separator: ":")
            guard parts.count == 2, let rank = Int(parts[0]), let factor = Double(parts[1]) else {
                throw UsageFailure("--slow-link: expected RANK:FACTOR, e.g. 3:2")
            }
            scenario.slowRank = rank
            scenario.slowFactor = factor
        }
        guard let bytes = Quantity.bytes(size), bytes > 0 else { throw UsageFailure("--size: cannot read '\(size)'") }
        scenario.bufferBytes = bytes
        guard let rate = Quantity.bitsPerSecond(linkSpeed), rate > 0 else {
            throw UsageFailure("--link-speed: cannot read '\(linkSpeed)'")
        }
        scenario.linkBitsPerSecond = rate
        guard let ack = Quantity.durationNs(ackLatency) else { throw UsageFailure("--ack-latency: cannot read '\(ackLatency)'") }
        guard let extra = Quantity.durationNs(jitter) else { throw UsageFailure("--jitter: cannot read '\(jitter)'") }
        scenario.ackLatencyNs = Double(ack)
        guard let gap = Quantity.durationNs(iterationGap) else { throw UsageFailure("--iteration-gap: cannot read '\(iterationGap)'") }
        scenario.iterationGapNs = gap
        scenario.jitterNs = Double(extra)

        try OutputFile.refuseOverwrite(output, force: force)
        if let truth { try OutputFile.refuseOverwrite(truth, force: force) }
        var generator: RingAllReduceGenerator
        do { generator = try RingAllReduceGenerator(scenario) } catch { throw UsageFailure(error.description) }
        if let secondTap { try OutputFile.refuseOverwrite(secondTap, force: force) }
        guard let tapDelayNs = Quantity.durationNs(tapDelay), let tapJitterNs = Quantity.durationNs(tapJitter) else {
            throw UsageFailure("--tap-delay/--tap-jitter: cannot read '\(tapDelay)' / '\(tapJitter)' as durations")
        }
        let writer = try PcapWriter(path: output, snaplen: scenario.snaplen)
        let downstream = try secondTap.map { path throws(CaptureError) in try PcapWriter(path: path, snaplen: scenario.snaplen) }
        var delays = TapDelayModel(delayNs: tapDelayNs, jitterNs: Double(tapJitterNs), seed: seed)
        var tapDelays: [Int64] = []
        var groundTruth = generator.run { time, frame in
            writer.write(timestampNs: time, bytes: frame.bytes, originalLength: frame.originalLength)
            if let downstream {
                let later = delays.secondTapTime(time)
                downstream.write(timestampNs: later, bytes: frame.bytes, originalLength: frame.originalLength)
                let decoded = ByteView.with(frame.bytes) {
                    PacketDecoder().decode($0, linkType: .ethernet, originalLength: frame.originalLength, timestampNs: time)
                }
                if decoded.kind == .roce { tapDelays.append(later - time) }
            }
        }
        try writer.close()
        try downstream?.close()
        if downstream != nil { groundTruth.tapDelaysNs = tapDelays }
        if let truth {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try OutputFile(path: truth, force: true).write(String(decoding: try encoder.encode(groundTruth), as: UTF8.self) + "\n")
        }
        if output != "-" {
            FileHandle.standardError.write(Data("wrote \(groundTruth.packets) packets to \(output)\n".utf8))
        }
    }
}
