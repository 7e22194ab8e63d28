import FabricConcurrency
import FabricJSON
import FabricWire
import Foundation

/// Reading a summary's flows straight off `TapeJSONDecoder`'s tape, with no decoder
/// or keyed container per flow or per member.
///
/// Why: a summary holds one flow record per flow, each about twenty objects deep
/// (key, addresses, counters, distributions, requester statistics). Through keyed
/// containers, reading a 10⁵-flow summary spent over half its time making
/// containers and looking up their generic types at run time. Here each object's
/// members are read by static name, in the order the writer puts them (sorted), and a
/// coding path is worked out only for an error (`TapeObject`). Any other decoder
/// (Foundation's) gets the synthesized behaviour; `TapeJSONDecoderTests` holds the two
/// to the same values and the same errors.
/// A summary's flows array, read on all cores from `TapeJSONDecoder`.
///
/// Why: with the flows read straight off the tape, reading them was still half of
/// `merge` of one 10⁵-flow summary, on one core. Each slice of flows is read on its
/// own thread through its own box, and the tape's memory carries no reference count
/// (`TapeStorage`): while it was two arrays, every member read retained them, the
/// counts bounced between the cores, and reading in slices took 1.39× the CPU of
/// the build before for hardly less time (one core: 0.72× both). The flows come back in order, and the first error in document order is the
/// one thrown, as reading them in turn would.
struct FlowList: Decodable {
    let flows: [AnalysisSummary.Flow]

    /// Flows a thread reads at a time; a smaller array is read on the calling
    /// thread (most node summaries of a fleet's merge, read many files at a time).
    static let sliceSize = 1024

    init(from decoder: any Decoder) throws {
        guard let tape = decoder as? TapeDecoder else {
            flows = try [AnalysisSummary.Flow](from: decoder)
            return
        }
        let box = tape.tape
        guard box.tape.nodes[tape.node].kind == .array else { flows = try [AnalysisSummary.Flow](from: decoder); return }
        var nodes: [Int] = []
        nodes.reserveCapacity(box.tape.nodes[tape.node].count)
        var element = tape.node + 1
        for _ in 0..<box.tape.nodes[tape.node].count {
            nodes.append(element)
            element = box.tape.nodes[element].next
        }
        let elements = nodes
        let slices = (elements.count + FlowList.sliceSize - 1) / FlowList.sliceSize
        guard slices > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            flows = try elements.map { try AnalysisSummary.Flow(tape: box, node: $0) }
            return
        }
        // Each slice on a box of its own (one shared box's count bounced between cores).
        let boxes = (0..<slices).map { _ in box.sharingTape() }
        flows = try ParallelMap.array(count: elements.count, sliceSize: FlowList.sliceSize) { index in
            try AnalysisSummary.Flow(tape: boxes[index / FlowList.sliceSize], node: elements[index])
        }
    }
}

extension AnalysisSummary.Flow {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let answers = try object.optional("answers").map { try FlowKey(tape: box, node: $0) }
        let counters = try FlowCounters(tape: box, node: object.required("counters"))
        let key = try FlowKey(tape: box, node: object.required("key"))
        let markings = try object.optional("markings").map { try FlowMarkings(tape: box, node: $0) }
        let notifications = try NotificationCounters(tape: box, node: object.required("notifications"))
        let opcodes = try box.intDictionary(at: object.required("opcodes"))
        let requester = try object.optional("requester").map { try RequesterStatistics(tape: box, node: $0) }
        let requesterQP = try object.uint32IfPresent("requesterQP")
        let timeSeries = try object.optional("timeSeries").map {
            value in try FlowTimeSeries(tape: box, node: value, path: box.codingPath(to: value))
        }
        self.init(key: key, counters: counters, opcodes: opcodes, answers: answers, requester: requester,
                  requesterQP: requesterQP, notifications: notifications, timeSeries: timeSeries, markings: markings)
    }
}

extension FlowKey {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let destQP = try object.uint32("destQP")
        let destination = try NodeAddress(tape: box, node: object.required("destination"))
        let source = try NodeAddress(tape: box, node: object.required("source"))
        self.init(source: source, destination: destination, destQP: destQP)
    }
}

extension NodeAddress {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let high = try object.uint64("high")
        let kindNode = try object.required("kind")
        let low = try object.uint64("low")
        guard let kind = Kind(rawValue: try box.uint8(at: kindNode)) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: box.codingPath(to: kindNode), debugDescription: "Cannot initialize \(Kind.self) from an invalid raw value"))
        }
        self.init(kind: kind, high: high, low: low)
    }
}

extension FlowCounters {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let acks = try object.int("acks")
        let becnPackets = try object.int("becnPackets")
        let cePackets = try object.int("cePackets")
        let cnpPackets = try object.int("cnpPackets")
        let dscp = try object.uint8IfPresent("dscp")
        let ectPackets = try object.int("ectPackets")
        let encapsulation = try box.rawValue(Encapsulation.self, at: object.required("encapsulation"))
        let endNs = try object.int64("endNs")
        let fecnPackets = try object.int("fecnPackets")
        let naks = try NakCounts(tape: box, node: object.required("naks"))
        let packets = try object.int("packets")
        let payloadBytes = try object.int("payloadBytes")
        let startNs = try object.int64("startNs")
        let throughput = try ThroughputWindow(tape: box, node: object.required("throughput"))
        let truncatedHeaders = try object.int("truncatedHeaders")
        let vlan = try object.uint16IfPresent("vlan")
        let wireBytes = try object.int("wireBytes")
        self.init(encapsulation: encapsulation, throughput: throughput)
        (self.acks, self.becnPackets, self.cePackets, self.cnpPackets, self.dscp) = (acks, becnPackets, cePackets, cnpPackets, dscp)
        (self.ectPackets, self.endNs, self.fecnPackets, self.naks) = (ectPackets, endNs, fecnPackets, naks)
        (self.packets, self.payloadBytes, self.startNs, self.truncatedHeaders) = (packets, payloadBytes, startNs, truncatedHeaders)
        (self.vlan, self.wireBytes) = (vlan, wireBytes)
    }
}

extension NakCounts {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        self.init()
        invalidRDRequest = try object.int("invalidRDRequest")
        invalidRequest = try object.int("invalidRequest")
        psnSequenceError = try object.int("psnSequenceError")
        receiverNotReady = try object.int("receiverNotReady")
        remoteAccessError = try object.int("remoteAccessError")
        remoteOperationalError = try object.int("remoteOperationalError")
        reserved = try object.int("reserved")
    }
}

extension NotificationCounters {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        self.init()
        count = try object.int("count")
        firstNs = try object.int64("firstNs")
        lastNs = try object.int64("lastNs")
        markToNotification = try Distribution(tape: box, node: object.required("markToNotification"))
        minimumGapNs = try object.int64IfPresent("minimumGapNs")
    }
}

extension RetransmissionEpisode {
    init(tape box: TapeBox, node: Int) throws {
        var object = try TapeObject(box, node: node)
        let cause = try box.rawValue(Cause.self, at: object.required("cause"))
        let nakToRetransmitNs = try object.int64IfPresent("nak_to_retransmit_ns")
        let packets = try object.int("packets")
        let psn = try object.uint32("psn")
        let retransmitDelayNs = try object.int64IfPresent("retransmit_delay_ns")
        let startNs = try object.int64("start_ns")
        let wireBytes = try object.int("wire_bytes")
        self.init(startNs: startNs, psn: psn, packets: packets, wireBytes: wireBytes, cause: cause,
                  nakToRetransmitNs: nakToRetransmitNs, retransmitDelayNs: retransmitDelayNs)
    }
}

extension FlowMarkings {
    /// The markings' flat array (`init(from:)` says what each place holds).
    init(tape box: TapeBox, node: Int) throws {
        let values = try box.elements(ofArray: node, path: box.codingPath(to: node)) { element, _ in try box.int(at: element) }
        guard values.count >= 11 else {
            throw DecodingError.valueNotFound(Int.self, .init(
                codingPath: box.codingPath(to: node) + [TapeIndexKey(values.count)], debugDescription: "the array has no more elements"))
        }
        self.init(values)
    }
}
