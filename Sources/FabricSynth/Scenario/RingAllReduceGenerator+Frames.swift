import FabricWire

extension RingAllReduceGenerator {
    /// Builds the bytes of one event and counts it in the ground truth.
    mutating func build(_ event: TrafficEvent) -> Frame {
        switch event.kind {
        case let .data(c, opcode, psn, ackRequest, payload, dmaLength, ce, retransmission):
            let connection = connections[c]
            var extensions: [UInt8] = []
            if let dmaLength {
                extensions.append64(0x7f00_0000_0000 + UInt64(c) << 32)
                extensions.append32(0x1000 + UInt32(c))
                extensions.append32(dmaLength)
            }
            // Immediate data (the MSN, as NCCL's write-with-immediate carries) on the last packet.
            if opcode == Opcode(.rc, .rdmaWriteLastImmediate).rawValue || opcode == Opcode(.rc, .rdmaWriteOnlyImmediate).rawValue {
                extensions.append32(connection.msn)
            }
            let bth = BaseTransportHeader(
                opcode: Opcode(rawValue: opcode), destQP: connection.responderQP, ackRequest: ackRequest, psn: psn)
            let ecn = ce ? RingAllReduceGenerator.congestionExperienced : RingAllReduceGenerator.ectZero
            let frame = builder.roce(
                from: connection.requester, to: connection.responder, sourcePort: sourcePort(connection),
                bth: bth, extensions: extensions, payloadLength: payload, dscp: dataDSCP(sentBy: connection.requester),
                ecn: ecn, flowLabel: flowLabel(connection))
            let index = flowIndex(dataFlow: c)
            count(frame, opcode: opcode, payload: payload, in: index)
            truth.flows[index].ectPackets += 1
            if ce { truth.flows[index].cePackets += 1 }
            if retransmission { truth.flows[index].retransmittedPackets += 1 }
            return frame
        case let .ack(c, psn, syndrome, msn):
            return acknowledgement(connection: c, psn: psn, syndrome: syndrome, msn: msn, fromResponder: true)
        case let .cnp(c):
            let connection = connections[c]
            let bth = BaseTransportHeader(
                opcode: .cnp, migrationRequest: false, becn: true,
                destQP: connection.requesterQP, psn: 0)
            let frame = builder.roce(
                from: connection.responder, to: connection.requester, sourcePort: sourcePort(connection), bth: bth,
                extensions: [UInt8](repeating: 0, count: 16), payloadLength: 0,
                dscp: RingAllReduceGenerator.cnpDSCP, ecn: RingAllReduceGenerator.ectZero, priority: 6, flowLabel: flowLabel(connection))
            let index = flowIndex(responseFlow: c)
            count(frame, opcode: 0x81, payload: 0, in: index)
            truth.flows[index].ectPackets += 1
            truth.flows[index].cnpPackets += 1
            return frame
        case let .clearToSend(c, psn):
            let connection = connections[c]
            var reth: [UInt8] = []
            reth.append64(0x7e00_0000_0000 + UInt64(c) << 32)
            reth.append32(0x3000 + UInt32(c))
            reth.append32(UInt32(NCCLTestsPlan.fifoEntryBytes))
            let opcode = Opcode(.rc, .rdmaWriteOnly)
            let bth = BaseTransportHeader(opcode: opcode, destQP: connection.requesterQP, ackRequest: true, psn: psn)
            let frame = builder.roce(
                from: connection.responder, to: connection.requester, sourcePort: sourcePort(connection), bth: bth,
                extensions: reth, payloadLength: NCCLTestsPlan.fifoEntryBytes, dscp: dataDSCP(sentBy: connection.responder),
                ecn: RingAllReduceGenerator.ectZero, flowLabel: flowLabel(connection))
            let index = flowIndex(responseFlow: c)
            count(frame, opcode: opcode.rawValue, payload: NCCLTestsPlan.fifoEntryBytes, in: index)
            truth.flows[index].ectPackets += 1
            return frame
        case let .clearToSendAck(c, psn, msn):
            return acknowledgement(connection: c, psn: psn, syndrome: 0x1f, msn: msn, fromResponder: false)
        case let .connectionManagement(c, kind, psn):
            return connectionManagementFrame(connection: c, kind: kind, startingPSN: psn)
        case let .pfc(port, quanta):
            let mac = RingAllReduceGenerator.switchPortMAC(port + scenario.hostOffset)
            let frame = builder.pfc(from: mac, quanta: [3: quanta])
            let key = NodeAddressText.mac(mac)
            let index = pauseIndex[key] ?? {
                truth.pfc.append(GroundTruth.Pause(sourceMAC: key, priority: 3))
                pauseIndex[key] = truth.pfc.count - 1
                return truth.pfc.count - 1
            }()
            if quanta == 0 { truth.pfc[index].xonFrames += 1 } else { truth.pfc[index].xoffFrames += 1 }
            truth.pfc[index].pauseQuanta += Int(quanta)
            return frame
        }
    }

    /// An ACK or NAK on connection `c`: the responder's, of the requester's data, or
    /// (`fromResponder` false) the requester's, of the responder's clear-to-send writes.
    private mutating func acknowledgement(
        connection c: Int, psn: UInt32, syndrome: UInt8, msn: UInt32, fromResponder: Bool
    ) -> Frame {
        let connection = connections[c]
        let aeth: [UInt8] = [syndrome, UInt8(msn >> 16 & 0xff), UInt8(msn >> 8 & 0xff), UInt8(msn & 0xff)]
        let (from, to) = fromResponder ? (connection.responder, connection.requester) : (connection.requester, connection.responder)
        let bth = BaseTransportHeader(opcode: Opcode(.rc, .acknowledge),
                                      destQP: fromResponder ? connection.requesterQP : connection.responderQP, psn: psn)
        let frame = builder.roce(
            from: from, to: to, sourcePort: sourcePort(connection), bth: bth, extensions: aeth, payloadLength: 0,
            dscp: dataDSCP(sentBy: from), ecn: RingAllReduceGenerator.ectZero, flowLabel: flowLabel(connection))
        let index = fromResponder ? flowIndex(responseFlow: c) : flowIndex(dataFlow: c)
        count(frame, opcode: Opcode(.rc, .acknowledge).rawValue, payload: 0, in: index)
        truth.flows[index].ectPackets += 1
        if syndrome >> 5 == 0 { truth.flows[index].acks += 1 } else { truth.flows[index].naks += 1 }
        return frame
    }

    private mutating func count(_ frame: Frame, opcode: UInt8, payload: Int, in index: Int) {
        truth.flows[index].packets += 1
        truth.flows[index].wireBytes += frame.originalLength
        truth.flows[index].payloadBytes += payload
        truth.flows[index].opcodes[Opcode(rawValue: opcode).name, default: 0] += 1
    }

    mutating func flowIndex(dataFlow c: Int) -> Int {
        let connection = connections[c]
        return flowIndex(src: connection.requester, dst: connection.responder, qp: connection.responderQP)
    }

    mutating func flowIndex(responseFlow c: Int) -> Int {
        let connection = connections[c]
        return flowIndex(src: connection.responder, dst: connection.requester, qp: connection.requesterQP)
    }

    /// The first PSN the passive side of connection `c` would send with (it sends no
    /// requests in a ring, but its CM REQ still names one, distinct from the active side's).
    static func passiveStartingPSN(connection c: Int) -> UInt32 { 0x50_0000 + UInt32(c) }

    /// A CM message between the two ends of connection `c`, as rdma_cm sends it:
    /// UD SEND_ONLY to QP 1 with the GSI Q_Key, a 256-byte MAD after the DETH.
    private mutating func connectionManagementFrame(
        connection c: Int, kind: ConnectionMessage.Kind, startingPSN: UInt32
    ) -> Frame {
        let connection = connections[c]
        let fromRequester = kind != .reply
        let (source, destination) = fromRequester
            ? (connection.requester, connection.responder) : (connection.responder, connection.requester)
        let requesterCommID = 0x1000_0000 + UInt32(c), responderCommID = 0x2000_0000 + UInt32(c)
        var mad: [UInt8] = [1, 0x07, 2, 0x03, 0, 0, 0, 0]
        mad.append64(0xc000 + UInt64(c))  // transaction ID
        mad.append16(kind.rawValue)
        mad.append16(0)
        mad.append32(0)
        var data = [UInt8](repeating: 0, count: 232)
        func put(_ value: UInt32, at offset: Int, bytes: Int) {
            for index in 0..<bytes { data[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(bytes - 1 - index))) }
        }
        switch kind {
        case .request:
            put(requesterCommID, at: 0, bytes: 4)
            put(0x0106_0000 | 18515, at: 12, bytes: 4)  // service ID: RDMA CM, TCP port space
            put(connection.requesterQP, at: 32, bytes: 3)
            data[35] = 16  // responder resources
            data[39] = 16  // initiator depth
            data[43] = 20 << 3 | 1  // remote CM response timeout, RC, end-to-end flow control
            // The REQ announces where the *passive* side's requests will start (what the
            // active side will receive), as Linux's CM and real captures have it.
            put(RingAllReduceGenerator.passiveStartingPSN(connection: c), at: 44, bytes: 3)
            data[47] = 20 << 3 | 7  // local CM response timeout, retry count
            put(0xffff, at: 48, bytes: 2)
        case .reply:
            put(responderCommID, at: 0, bytes: 4)
            put(requesterCommID, at: 4, bytes: 4)
            put(connection.responderQP, at: 12, bytes: 3)
            put(startingPSN, at: 20, bytes: 3)  // where the active side's requests start
        default:
            put(requesterCommID, at: 0, bytes: 4)
            put(responderCommID, at: 4, bytes: 4)
        }
        mad += data
        var deth: [UInt8] = []
        deth.append32(0x8001_0000)  // GSI Q_Key
        deth.append32(1)  // source QP 1
        let bth = BaseTransportHeader(opcode: Opcode(.ud, .sendOnly), migrationRequest: false, destQP: 1, psn: UInt32(c))
        let frame = builder.roce(
            from: source, to: destination, sourcePort: 0xc000 | UInt16(c & 0x3fff), bth: bth, extensions: deth,
            payloadLength: mad.count, dscp: 0, ecn: RingAllReduceGenerator.ectZero, priority: 0, payload: mad)
        let index = flowIndex(src: source, dst: destination, qp: 1)
        count(frame, opcode: 0x64, payload: mad.count, in: index)
        truth.flows[index].ectPackets += 1
        return frame
    }

    private mutating func flowIndex(src: Endpoint, dst: Endpoint, qp: UInt32) -> Int {
        let source = NodeAddressText.address(src, ipv6: scenario.ipv6)
        let destination = NodeAddressText.address(dst, ipv6: scenario.ipv6)
        let key = "\(source) \(destination) \(qp)"
        if let index = truthIndex[key] { return index }
        truth.flows.append(GroundTruth.Flow(src: source, dst: destination, destQP: qp))
        truthIndex[key] = truth.flows.count - 1
        return truth.flows.count - 1
    }
}

/// Text forms shared with the analyzer's output, so truth and results compare directly.
enum NodeAddressText {
    static func address(_ endpoint: Endpoint, ipv6: Bool) -> String {
        ipv6 ? NodeAddress(kind: .ipv6, high: endpoint.ipv6High, low: endpoint.ipv6Low).description
            : NodeAddress.ipv4(endpoint.ipv4).description
    }

    static func mac(_ value: UInt64) -> String {
        (0..<6).map { i -> String in
            let hex = String(UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64(i))), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
