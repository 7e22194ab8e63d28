import FabricMetrics
import FabricWire

/// The classes RoCE travels in, read from the wire: per kind of packet over the
/// fabric, per sending host, per link, and the priorities PFC paused.
///
/// What one capture point cannot see: the switch's DSCP→priority map and which
/// priorities it keeps lossless. Untagged RoCE's priority is therefore unknown, and
/// the checks that would need it (pauses on a priority without RoCE, RoCE off the
/// lossless priority) are not made for it: the summary line says so.
public struct QosObservation: Sendable, Equatable {
    public typealias Classes = FlowMarkings.Classes

    /// Over every flow, by kind of packet.
    public var data = Classes()
    public var acks = Classes()
    public var cnps = Classes()
    /// RoCE data per sending host.
    public var dataByHost: [NodeAddress: Classes] = [:]
    /// RoCE data per link (sender → receiver).
    public var dataByLink: [LinkKey: Classes] = [:]
    /// Priorities PFC frames paused (an XOFF seen), with the ports that sent them.
    public var pausedPriorities: [Int: Int] = [:]
    /// Flows that carried markings (summaries older than them carry none).
    public var flowsSeen = 0

    /// The General Services Interface QP, which carries CM's MADs.
    static let generalServicesQP: UInt32 = 1

    /// One direction of a host pair.
    public struct LinkKey: Hashable, Sendable, Comparable {
        public var source: NodeAddress
        public var destination: NodeAddress
        public init(source: NodeAddress, destination: NodeAddress) {
            self.source = source
            self.destination = destination
        }
        public static func < (a: LinkKey, b: LinkKey) -> Bool { (a.source, a.destination) < (b.source, b.destination) }
    }

    public init(_ summary: AnalysisSummary) {
        // By index, reading fields in place: a loop over the flows copied each one whole.
        // The link and host tables sized once (growing them rehashed every entry so far).
        let flows = summary.flows
        dataByLink.reserveCapacity(flows.count)
        dataByHost.reserveCapacity(flows.count)
        for index in flows.indices {
            guard let markings = flows[index].markings else { continue }
            let key = flows[index].key
            flowsSeen += 1
            if key.destQP != QosObservation.generalServicesQP { data.merge(markings.data) }
            acks.merge(markings.acks)
            cnps.merge(markings.cnps)
            // Communication Manager MADs (QP 1) go in the management class the GSI
            // agent uses, not RoCE data's: read as data, every rdma_cm connection
            // looked like a link of mixed classes.
            guard !markings.data.isEmpty, key.destQP != QosObservation.generalServicesQP else { continue }
            dataByHost[key.source, default: Classes()].merge(markings.data)
            dataByLink[LinkKey(source: key.source, destination: key.destination), default: Classes()]
                .merge(markings.data)
        }
        for pause in summary.pauses where pause.counters.xoffFrames > 0 {
            pausedPriorities[pause.key.priority, default: 0] += 1
        }
    }

    /// The priorities RoCE data travels on, when the wire says: tagged data only. An
    /// untagged packet's priority is the switch's DSCP→priority map, which no capture
    /// shows; checks that need it are not made (`prioritiesKnown` false) and say so.
    public var dataPriorities: Set<Int> { Set(data.priorityValues) }
    public var prioritiesKnown: Bool { !data.untagged && !data.priorityValues.isEmpty }
}

extension QosObservation {
    /// What the classes show, against `intent` when one is declared (fails) and against
    /// the capture itself (warnings): a host in a minority class, a link with mixed
    /// classes, CNPs in the data class, pauses on a priority RoCE does not use.
    public func findings(intent: QosIntent?) -> [FabricFinding] {
        guard flowsSeen > 0, !data.isEmpty else { return [] }
        var findings: [FabricFinding] = []
        let check = Metrics.qosClasses.name
        func finding(_ kind: String, _ severity: FabricFinding.Severity, host: NodeAddress? = nil, link: LinkKey? = nil,
                     count: Int = 1, _ message: String, _ advice: String) {
            findings.append(FabricFinding(check: check, kind: kind, severity: severity, src: link?.source.description,
                                          dst: link?.destination.description, host: host?.description, count: count,
                                          message: message, advice: advice))
        }
        // Sorted only where a sentence names hosts (a fleet's night has 10⁴ of them).
        var hosts: [NodeAddress] { dataByHost.keys.sorted() }
        if let intent {
            for host in hosts {
                let classes = dataByHost[host]!
                if let wanted = intent.dataDSCP, classes.dscpValues != [wanted] {
                    finding("data_dscp_off_intent", .fail, host: host,
                            "\(host) sends RoCE data on DSCP \(QosObservation.list(classes.dscpValues)), not the declared \(wanted)",
                            "set the NIC's RoCE traffic class on \(host) (e.g. cma_roce_tos, or NCCL_IB_TC = DSCP × 4)")
                }
                // Untagged frames carry no priority to check: the switch's DSCP map gives
                // them one, which the capture cannot see.
                if let wanted = intent.dataPriority, !classes.priorityValues.isEmpty, classes.priorityValues != [wanted] {
                    finding("data_pcp_off_intent", .fail, host: host,
                            "\(host) sends RoCE data with priority \(QosObservation.list(classes.priorityValues)), not the declared \(wanted)",
                            "set the VLAN egress priority (PCP) of \(host)'s RoCE interface, or trust DSCP on its switch port")
                }
            }
            if let wanted = intent.cnpDSCP, !cnps.isEmpty, cnps.dscpValues != [wanted] {
                finding("cnp_dscp_off_intent", .fail, "CNPs travel on DSCP \(QosObservation.list(cnps.dscpValues)), not the declared \(wanted)",
                        "set the NICs' CNP DSCP (mlx5: /sys/class/net/IF/ecn/roce_np/cnp_dscp)")
            }
            if let wanted = intent.cnpPriority, !cnps.priorityValues.isEmpty, cnps.priorityValues != [wanted] {
                finding("cnp_pcp_off_intent", .fail, "CNPs travel with priority \(QosObservation.list(cnps.priorityValues)), not the declared \(wanted)",
                        "set the NICs' CNP 802.1p priority (mlx5: /sys/class/net/IF/ecn/roce_np/cnp_802p_prio)")
            }
            if let wanted = intent.losslessPriority {
                for priority in pausedPriorities.keys.sorted() where priority != wanted {
                    finding("pause_off_lossless", .fail, count: pausedPriorities[priority]!,
                            "PFC pauses priority \(priority) (\(pausedPriorities[priority]!) port(s)); the declared lossless priority is \(wanted)",
                            "enable PFC on priority \(wanted) only, on the switches and the NICs (mlnx_qos --pfc)")
                }
                if prioritiesKnown, dataPriorities != [wanted] {
                    finding("data_off_lossless", .fail,
                            "RoCE data travels on priority \(QosObservation.list(dataPriorities.sorted())), "
                                + "not the declared lossless \(wanted): it is not protected by PFC",
                            "map RoCE's DSCP to priority \(wanted) on the switches (trust DSCP), or tag it so")
                }
            }
        }
        // Against the capture itself. A class most hosts agree on is the fabric's; a host
        // outside it is misconfigured (the likelier reading than the reverse).
        var votes: [Int: Int] = [:]
        for classes in dataByHost.values where classes.dscps.nonzeroBitCount == 1 { votes[classes.dscps.trailingZeroBitCount, default: 0] += 1 }
        let classesOfHosts = Set(dataByHost.values.map(\.dscps))
        if intent?.dataDSCP == nil, classesOfHosts.count > 1 {
            if dataByHost.count >= 3, let (common, agreeing) = votes.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }),
               agreeing * 2 > dataByHost.count {
                for host in hosts where dataByHost[host]!.dscps != 1 << UInt64(common) {
                    finding("minority_class", .warn, host: host,
                            "\(host) sends RoCE data on DSCP \(QosObservation.list(dataByHost[host]!.dscpValues)) while "
                                + "\(agreeing) other host(s) use DSCP \(common): its traffic is in another class",
                            "set \(host)'s RoCE traffic class to match the fabric's (DSCP \(common))")
                }
            } else {
                // No class most hosts share (two hosts, or a fabric split): name them all.
                let byClass = Dictionary(grouping: hosts) { dataByHost[$0]!.dscpValues }
                let text = byClass.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { classes, members in
                    "DSCP \(QosObservation.list(classes)) from \(members.prefix(4).map(\.description).joined(separator: ", "))"
                        + (members.count > 4 ? " and \(members.count - 4) more" : "")
                }
                finding("hosts_disagree", .warn, count: dataByHost.count,
                        "the hosts send RoCE data in different classes (\(text.joined(separator: "; "))): only one can be "
                            + "the lossless class",
                        "give every host the same RoCE traffic class (NCCL_IB_TC, or the rdma_cm ToS)")
            }
        }
        // Sorted only when some link is mixed (rare): sorting every link cost more than the rest.
        let mixed = dataByLink.filter { $0.value.dscps.nonzeroBitCount > 1 || ($0.value.priorities & 0xff).nonzeroBitCount > 1 }
        for (link, classes) in mixed.sorted(by: { $0.key < $1.key }) {
            finding("mixed_classes", .warn, link: link,
                    "\(link.source)→\(link.destination) carries RoCE data on DSCP \(QosObservation.list(classes.dscpValues))"
                        + (classes.priorityValues.count > 1 ? " and priority \(QosObservation.list(classes.priorityValues))" : "")
                        + ": its QPs are queued apart, and only one class can be the lossless one",
                    "give every QP on the link the same traffic class (NCCL_IB_TC, or the rdma_cm ToS)")
        }
        if intent?.cnpDSCP == nil, !cnps.isEmpty, !Set(cnps.dscpValues).isDisjoint(with: data.dscpValues) {
            finding("cnp_in_data_class", .warn,
                    "CNPs travel in RoCE data's class (DSCP \(QosObservation.list(cnps.dscpValues.filter(data.dscpValues.contains)))): "
                        + "they queue behind the congestion they report",
                    "give CNPs a strict-priority class of their own (NVIDIA's default: DSCP 48, priority 6)")
        }
        if intent?.losslessPriority == nil, prioritiesKnown {
            for priority in pausedPriorities.keys.sorted() where !dataPriorities.contains(priority) {
                finding("pause_without_roce", .warn, count: pausedPriorities[priority]!,
                        "PFC pauses priority \(priority) (\(pausedPriorities[priority]!) port(s)), which carries no RoCE data "
                            + "(RoCE is on priority \(QosObservation.list(dataPriorities.sorted()))): "
                            + "either RoCE is not in the lossless class or PFC protects the wrong one",
                        "enable PFC on the priority RoCE data uses, and only there")
            }
        }
        return findings
    }

    static func list(_ values: [Int]) -> String {
        values.isEmpty ? "none" : values.map(String.init).joined(separator: values.count == 2 ? " and " : ", ")
    }
}

extension QosObservation {
    /// "DSCP 26, priority 3; ACKs DSCP 26; CNPs DSCP 48, priority 6; PFC pauses priority 3".
    public var summaryLine: String {
        func classes(_ seen: Classes) -> String {
            var text = "DSCP " + QosObservation.list(seen.dscpValues)
            if !seen.priorityValues.isEmpty { text += ", priority " + QosObservation.list(seen.priorityValues) }
            if seen.untagged, !seen.priorityValues.isEmpty { text += " and untagged" }
            return text
        }
        var parts = [classes(data)]
        if !acks.isEmpty { parts.append("ACKs " + classes(acks)) }
        if !cnps.isEmpty { parts.append("CNPs " + classes(cnps)) }
        if !pausedPriorities.isEmpty { parts.append("PFC pauses priority " + QosObservation.list(pausedPriorities.keys.sorted())) }
        if !prioritiesKnown, !pausedPriorities.isEmpty {
            parts.append("untagged RoCE's priority is the switch's DSCP map, not in the capture: whether PFC protects it is not judged")
        }
        return parts.joined(separator: "; ")
    }
}
