import FabricWire
import FabricJSON
import FabricIngest

/// The requester side of one queue pair, seen in one flow (A→B, destination QP of
/// B): sequence numbers, what is outstanding, retransmissions, gaps and latencies.
///
/// Requests are SEND, WRITE, READ request and atomics (reference §7.1); the
/// matching responses (ACK/NAK, READ responses, atomic ACKs) travel in another
/// flow (B→A, destination QP of A) and are handed in through `response`.
public struct RequestStream: Sendable {
    /// A retransmission within this time of the same PSN with the same IPv4 ID is a
    /// mirror's duplicate copy, not a retransmission. Without an IP ID, 1 µs.
    static let duplicateWindowNs: Int64 = 50_000
    static let duplicateWindowWithoutIDNs: Int64 = 1_000
    /// Episodes listed in the output (all are counted).
    static let listedEpisodes = 1000

    // Field order is cache order: at 10⁴ streams every packet finds its stream out
    // of the cache, so what each request and ACK reads comes first (sharing a few
    // lines, with the statistics they update right behind), and what only
    // retransmissions, NAKs, bursts and time series use comes last.

    /// Whether the transport acknowledges requests (RC, XRC, RD; not UC).
    public let reliable: Bool
    private var previousWasRead = false
    /// Whether `unexplainedGaps` holds any gap (read by every ACK, so kept here
    /// beside the other hot fields rather than with the cold gap list).
    private var hasUnexplainedGaps = false
    /// Set when the caller keeps per-window time series: ACK latencies wait in
    /// `windowLatencies` for the caller to file them under the window of their ACK.
    var keepsWindowSamples = false
    private var unwrapper = PSNUnwrapper()
    private var highestSent: Int64?
    private var lastRequestNs: Int64?
    private var last: (psn: Int64, timeNs: Int64, opcode: UInt8, ipID: UInt16?)?
    /// The gap within a message that the last request closed (−1: none).
    private(set) var lastGapNs: Int64 = -1
    /// First CE-marked request since the last CNP (for ECN→CNP delay).
    var firstMarkSinceCNPNs: Int64?
    /// A pause in requests longer than this ends a burst (see `bursts`); 0 records
    /// no bursts, and busy periods are found afterwards from `pauses`.
    public let idleGapNs: Int64
    /// Requests that expect an answer: AckReq packets, READ requests, atomics. Other
    /// packets are acknowledged by the same cumulative ACKs but give no sample, so
    /// they are not queued (one entry per message instead of per packet).
    private var outstanding = OutstandingRequests()
    /// When recent PSNs were first sent, for retransmission delays (its entries
    /// are in the accumulator's `RecentTables`, or in `ownTables`).
    private var recent = RecentTransmissions()
    private var episode: RetransmissionEpisode?

    /// What the stream measured (the part that is reported, saved and merged).
    public private(set) var statistics = RequesterStatistics()

    private var episodeNextPSN: Int64 = 0
    private var unexplainedGaps = UnexplainedGaps()
    private var lastNak: (psn: Int64, timeNs: Int64, rnr: Bool)?
    var windowLatencies: [Int64] = []
    private var burstStartNs: Int64 = 0

    /// Set when the stream's packets start coming from another input file: the next
    /// request shows whether the PSNs go on (a capture split into files) or start
    /// over (a second run of the same traffic).
    private var checkContinuation = false
    /// The recent-transmission tables of a stream used on its own (`request` with a
    /// `RocePacket`); streams of an accumulator keep theirs in its `RecentTables`.
    private var ownTables = RecentTables()

    /// The stream's packets now come from another input file (see `checkContinuation`).
    mutating func inputFileChanged() { checkContinuation = true }

    /// A request in a new file this far behind the highest PSN sent, or further than
    /// `maximumLossBeforeTap` ahead, starts the stream over.
    static var restartDistance: Int64 { Int64(RecentTransmissions.capacity) }

    /// A first request at most this many PSNs after the CM's announced starting PSN
    /// is read as the first packets lost before the tap; anything else (behind, or
    /// further ahead) means the announcement does not describe this stream, and the
    /// traffic is believed. A stack that announced the other side's PSN would land
    /// in this window by chance with probability 64 / 2^24.
    public static let maximumLossBeforeTap: Int64 = 64

    /// `startingPSN`, when the CM exchange told it, lets the very first packets'
    /// loss before the tap show as a PSN gap (see `maximumLossBeforeTap`).
    public init(reliable: Bool, startingPSN: UInt32? = nil, idleGapNs: Int64 = 0) {
        self.reliable = reliable
        self.idleGapNs = idleGapNs
        statistics.announcedStartingPSN = startingPSN
    }

    /// The sequence state starts afresh; what was measured stays. Either the same
    /// queue pair's PSNs start over in another input file (a second run of the same
    /// traffic, with the same QP numbers, as a generator or a fixed test setup gives),
    /// or a new CM exchange set the queue pair up again: not retransmissions.
    private mutating func restart(_ tables: inout RecentTables) {
        closeEpisode()
        unwrapper = PSNUnwrapper()
        highestSent = nil
        previousWasRead = false
        outstanding = OutstandingRequests()
        recent.release(to: &tables)
        last = nil
        lastNak = nil
        unexplainedGaps.removeAll()
        hasUnexplainedGaps = false
    }

    /// A CM exchange set the queue pair up again (a new connection reusing its QP
    /// number, as rping and rdma_cm applications do): the PSNs of the new connection
    /// are not retransmissions or gaps of the old one. What was measured stays.
    mutating func newConnection(startingPSN: UInt32?, tables: inout RecentTables) {
        guard statistics.firstRequestPSN != nil else { return }
        restart(&tables)
        statistics.reconnections += 1
        statistics.announcedStartingPSN = startingPSN
        statistics.firstRequestPSN = nil
    }

    /// The first request of the stream: the CM announcement, if any, is checked
    /// against it, and only a short forward jump counts as packets lost before the tap.
    private mutating func startStream(at psn: UInt32) {
        statistics.firstRequestPSN = psn
        let u = unwrapper.unwrap(psn)
        guard let announced = statistics.announcedStartingPSN,
              let lost = RequestStream.lostBeforeTap(announced: announced, first: psn), lost > 0 else { return }
        highestSent = u - lost - 1
    }

    /// How many PSNs the CM's announcement says were lost before the first request
    /// seen (0 when they agree); nil when the announcement does not describe the
    /// stream (behind, or more than `maximumLossBeforeTap` ahead).
    static func lostBeforeTap(announced: UInt32, first: UInt32) -> Int64? {
        let ahead = PSN.distance(from: announced, to: first)
        return ahead >= 0 && ahead <= maximumLossBeforeTap ? ahead : nil
    }

    /// Whether `psn` lies in the recent PSN window (what a response could answer),
    /// for pairing.
    func contains(psn: UInt32) -> Bool {
        guard let highestSent, let u = unwrapper.place(psn) else { return false }
        let oldest = min(outstanding.first?.psn ?? highestSent, highestSent - Int64(RecentTransmissions.capacity))
        return u >= oldest - 1 && u <= highestSent
    }

    // MARK: Requests

    /// What a request packet turned out to be.
    public enum Transmission: Sendable { case first, retransmission, mirrorDuplicate }

    @discardableResult
    public mutating func request(_ packet: borrowing RocePacket, wireLength: Int, timeNs: Int64) -> Transmission {
        var tables = ownTables
        ownTables = RecentTables()
        defer { ownTables = tables }
        return packet.withTransportFields { request($0, wireLength: wireLength, timeNs: timeNs, tables: &tables) }
    }

    /// A request; the stream's recent-transmission table is in `tables`, which must
    /// be the same for every call on this stream.
    mutating func request(_ packet: TransportFields, wireLength: Int, timeNs: Int64, tables: inout RecentTables) -> Transmission {
        let opcode = packet.opcode
        statistics.requestWireBytes? += wireLength
        if checkContinuation {
            checkContinuation = false
            if let highestSent, let placed = unwrapper.place(packet.psn),
               placed < highestSent - RequestStream.restartDistance || placed > highestSent + RequestStream.maximumLossBeforeTap {
                restart(&tables)
                statistics.restarts += 1
            }
        }
        if statistics.firstRequestPSN == nil { startStream(at: packet.psn) }
        let u = unwrapper.unwrap(packet.psn)
        var transmission = Transmission.first
        lastGapNs = -1
        let previousRequestNs = lastRequestNs
        if idleGapNs > 0 {
            if let previous = previousRequestNs {
                if timeNs - previous > idleGapNs {
                    statistics.bursts.record(previous - burstStartNs)
                    burstStartNs = timeNs
                }
            } else {
                burstStartNs = timeNs
            }
        }
        lastRequestNs = max(lastRequestNs ?? timeNs, timeNs)
        if let highestSent, u <= highestSent {
            if isMirrorDuplicate(u, opcode: opcode.rawValue, ipID: packet.ipIdentification, timeNs: timeNs) {
                statistics.mirrorDuplicates += 1
                return .mirrorDuplicate
            }
            retransmission(u, opcode: opcode, wireLength: wireLength, timeNs: timeNs, tables: tables)
            transmission = .retransmission
        } else {
            if let highestSent, u > highestSent + 1, !previousWasRead {
                statistics.psnGapEvents += 1
                statistics.missingPSNs += Int(u - highestSent - 1)
                if reliable {
                    unexplainedGaps.open(first: highestSent + 1, last: u - 1)
                    hasUnexplainedGaps = true
                }
            }
            highestSent = u
            if episode != nil { closeEpisode() }
            statistics.goodputBytes += packet.payloadLength
            if reliable {
                recent.record(psn: u, timeNs: timeNs, in: &tables)
                let kind: OutstandingRequest.Kind =
                    opcode.isReadRequest ? .read : opcode.isAtomic ? .atomic : .plain
                let ackRequested = packet.ackRequest
                if kind != .plain || ackRequested {
                    outstanding.append(OutstandingRequest(psn: u, timeNs: timeNs, kind: kind, ackRequested: ackRequested))
                }
            }
            if RequestStream.continuesMessage(opcode) {
                if let last, last.psn == u - 1 {
                    lastGapNs = timeNs - last.timeNs
                    statistics.gaps.record(lastGapNs)
                }
            } else if let previousRequestNs {
                if statistics.pauses == nil { statistics.pauses = PauseHistogram() }
                statistics.pauses!.record(max(0, timeNs - previousRequestNs))
                if statistics.longPauses == nil { statistics.longPauses = LongPauses() }
                statistics.longPauses!.offer(LongPauses.Pause(
                    startNs: previousRequestNs, endNs: max(previousRequestNs, timeNs),
                    bytesBefore: statistics.goodputBytes - packet.payloadLength,
                    messagesBefore: statistics.pauses!.count))
            }
        }
        previousWasRead = opcode.isReadRequest
        last = (u, timeNs, opcode.rawValue, packet.ipIdentification)
        if packet.ecn == 3, firstMarkSinceCNPNs == nil { firstMarkSinceCNPNs = timeNs }
        return transmission
    }

    /// MIDDLE or LAST of a multi-packet SEND or WRITE: sent back to back after its predecessor.
    static func continuesMessage(_ opcode: Opcode) -> Bool {
        switch opcode.operation {
        case Opcode.Operation.sendMiddle.rawValue, Opcode.Operation.sendLast.rawValue,
             Opcode.Operation.sendLastImmediate.rawValue, Opcode.Operation.rdmaWriteMiddle.rawValue,
             Opcode.Operation.rdmaWriteLast.rawValue, Opcode.Operation.rdmaWriteLastImmediate.rawValue,
             Opcode.Operation.sendLastInvalidate.rawValue:
            return opcode.transport != .ud && opcode.transport != .cnp
        default: return false
        }
    }

    private func isMirrorDuplicate(_ u: Int64, opcode: UInt8, ipID: UInt16?, timeNs: Int64) -> Bool {
        guard let last, last.psn == u, last.opcode == opcode else { return false }
        if let ipID, let lastID = last.ipID { return ipID == lastID && timeNs - last.timeNs < RequestStream.duplicateWindowNs }
        return timeNs - last.timeNs < RequestStream.duplicateWindowWithoutIDNs
    }

    private mutating func retransmission(_ u: Int64, opcode: Opcode, wireLength: Int, timeNs: Int64, tables: borrowing RecentTables) {
        if hasUnexplainedGaps {
            unexplainedGaps.retransmitted(u)
            hasUnexplainedGaps = !unexplainedGaps.isEmpty
        }
        statistics.retransmittedPackets += 1
        statistics.retransmittedWireBytes += wireLength
        let firstSentNs = recent.firstSent(psn: u, in: tables)
        if let index = outstanding.index(of: u) {
            outstanding[index].retransmitted = true
            outstanding[index].timeNs = timeNs
        }
        if episode != nil, u == episodeNextPSN {
            episode!.packets += 1
            episode!.wireBytes += wireLength
            episodeNextPSN += 1
            return
        }
        closeEpisode()
        var cause = RetransmissionEpisode.Cause.timeout
        var nakToRetransmit: Int64?
        if let nak = lastNak, nak.psn == u {
            cause = nak.rnr ? .rnr : .nak
            nakToRetransmit = timeNs - nak.timeNs
        } else if opcode.isReadRequest {
            cause = .impliedNak
        }
        episode = RetransmissionEpisode(
            startNs: timeNs, psn: PSN.wrap(u), packets: 1, wireBytes: wireLength, cause: cause,
            nakToRetransmitNs: nakToRetransmit, retransmitDelayNs: firstSentNs.map { timeNs - $0 })
        episodeNextPSN = u + 1
    }

    private mutating func closeEpisode() {
        guard let finished = episode else { return }
        statistics.episodeCount += 1
        if statistics.episodes.count < RequestStream.listedEpisodes { statistics.episodes.append(finished) }
        episode = nil
    }

    /// Ends the stream: an episode still open is counted.
    public mutating func finish() {
        closeEpisode()
        if idleGapNs > 0, let last = lastRequestNs {
            statistics.bursts.record(last - burstStartNs)
            lastRequestNs = nil
        }
        statistics.unacknowledgedDropped = outstanding.dropped
    }

    // MARK: Responses

    /// A response from the peer: ACK/NAK, READ response or atomic ACK.
    public mutating func response(_ packet: borrowing RocePacket, timeNs: Int64) {
        packet.withTransportFields { response($0, timeNs: timeNs) }
    }

    mutating func response(_ packet: TransportFields, timeNs: Int64) {
        guard let u = unwrapper.place(packet.psn) else {
            statistics.unmatchedResponses += 1
            return
        }
        let opcode = packet.opcode
        if opcode.isAcknowledge {
            guard let kind = packet.syndrome?.kind else { return }
            switch kind {
            case .ack: acknowledge(through: u, at: timeNs)
            case .nak(let code):
                acknowledge(through: u - 1, at: timeNs)
                if code == .psnSequenceError { lastNak = (u, timeNs, false) }
            case .rnrNak:
                acknowledge(through: u - 1, at: timeNs)
                lastNak = (u, timeNs, true)
            case .reserved: break
            }
        } else if opcode.isReadResponse {
            readResponse(operation: opcode.operation, psn: u, timeNs: timeNs)
        } else if opcode.isAtomicAcknowledge {
            if let index = outstanding.index(of: u), outstanding[index].kind == .atomic {
                RequestStream.sample(outstanding[index], at: timeNs, into: &statistics.atomicLatency, ambiguous: &statistics.ambiguousSamples)
            }
            acknowledge(through: u, at: timeNs)
        }
    }

    /// READ responses occupy PSNs p … p+n−1 of a READ request with PSN p: FIRST/ONLY
    /// carry p (request→first response), LAST/ONLY end it (request→completion).
    /// They also acknowledge every earlier request implicitly.
    private mutating func readResponse(operation: UInt8, psn u: Int64, timeNs: Int64) {
        let first = operation == Opcode.Operation.rdmaReadResponseFirst.rawValue
            || operation == Opcode.Operation.rdmaReadResponseOnly.rawValue
        let lastOfRead = operation == Opcode.Operation.rdmaReadResponseLast.rawValue
            || operation == Opcode.Operation.rdmaReadResponseOnly.rawValue
        if first {
            acknowledge(through: u - 1, at: timeNs)
            if let index = outstanding.index(of: u), outstanding[index].kind == .read {
                RequestStream.sample(outstanding[index], at: timeNs, into: &statistics.readLatency, ambiguous: &statistics.ambiguousSamples)
            } else {
                statistics.unmatchedResponses += 1
            }
        }
        if lastOfRead, let index = outstanding.index(of: u, atOrBefore: true), outstanding[index].kind == .read {
            RequestStream.sample(outstanding[index], at: timeNs, into: &statistics.readCompletion, ambiguous: &statistics.ambiguousSamples)
            acknowledge(through: outstanding[index].psn, at: timeNs)
        }
    }

    /// ACKs are cumulative: PSN p acknowledges every outstanding request up to p.
    /// Requests that asked for the ACK give latency samples.
    private mutating func acknowledge(through u: Int64, at timeNs: Int64) {
        if hasUnexplainedGaps {
            statistics.captureLostPSNs += unexplainedGaps.acknowledged(through: u)
            hasUnexplainedGaps = !unexplainedGaps.isEmpty
        }
        while let oldest = outstanding.first, oldest.psn <= u {
            let request = outstanding.removeFirst()
            if request.kind == .plain, request.ackRequested {
                RequestStream.sample(request, at: timeNs, into: &statistics.ackLatency, ambiguous: &statistics.ambiguousSamples)
                if !request.retransmitted {
                    statistics.jitter.add(latencyNs: timeNs - request.timeNs)
                    if keepsWindowSamples { windowLatencies.append(timeNs - request.timeNs) }
                }
            }
        }
    }

    private static func sample(
        _ request: OutstandingRequest, at timeNs: Int64, into distribution: inout Distribution, ambiguous: inout Int
    ) {
        if request.retransmitted {
            ambiguous += 1
        } else {
            distribution.record(timeNs - request.timeNs)
        }
    }
}
