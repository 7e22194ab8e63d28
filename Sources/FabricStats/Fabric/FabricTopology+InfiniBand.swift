import FabricWire
import Foundation

extension FabricTopology {
    /// `ibnetdiscover` output: each `Switch` block lists its ports, one line each,
    /// `[PORT] "H-GUID"[PEERPORT](…) # "DESCRIPTION" lid LID …` for a host channel
    /// adapter (the host is `lid:LID`, as native InfiniBand flows are keyed) or
    /// `[PORT] "S-GUID"[PEERPORT] # "DESCRIPTION" lid LID …` for another switch. A
    /// switch is named by its node description. `Ca` blocks repeat what the switches
    /// say and are skipped; a switch-to-switch link, listed by both ends, is kept once.
    public init(ibnetdiscover text: String) throws(TopologyError) {
        struct Port { var switchName: String; var guid: String; var port: String; var peerGUID: String; var peerPort: String; var peerLID: Int? }
        var names: [String: String] = [:]  // switch GUID → description
        var ports: [Port] = []
        var current: (name: String, guid: String)?
        var sawSwitch = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if line.hasPrefix("Switch") {
                guard let guid = FabricTopology.quoted(line, after: 0), guid.hasPrefix("S-") else {
                    throw TopologyError("line \(number): a Switch line without its \"S-GUID\"")
                }
                let description = FabricTopology.comment(line).flatMap { FabricTopology.quoted($0, after: 0) } ?? guid
                current = (description, guid)
                names[guid] = description
                sawSwitch = true
            } else if line.hasPrefix("Ca") || line.hasPrefix("Rt") {
                current = nil
            } else if line.hasPrefix("["), let owner = current {
                // [PORT]  "H-…"[PEERPORT](…)  # "…" lid N …
                guard let close = line.firstIndex(of: "]"), let peer = FabricTopology.quoted(line, after: 0),
                      let afterPeer = line.range(of: "\"" + peer + "\"["),
                      let peerClose = line[afterPeer.upperBound...].firstIndex(of: "]") else {
                    throw TopologyError("line \(number): expected [PORT] \"GUID\"[PEERPORT] (got '\(line.prefix(60))')")
                }
                let port = String(line[line.index(after: line.startIndex)..<close])
                let peerPort = String(line[afterPeer.upperBound..<peerClose])
                let lid = FabricTopology.comment(line).flatMap(FabricTopology.lid)
                ports.append(Port(switchName: owner.name, guid: owner.guid, port: port, peerGUID: peer, peerPort: peerPort, peerLID: lid))
            }
        }
        guard sawSwitch else { throw TopologyError("neither FabricScope JSON nor ibnetdiscover output (no Switch line)") }
        var seenLinks = Set<[String]>()
        for port in ports {
            if port.peerGUID.hasPrefix("H-") {
                guard let lid = port.peerLID else { throw TopologyError("\(port.switchName) port \(port.port): the host's lid is missing") }
                hosts[.lid(UInt16(truncatingIfNeeded: lid))] = Attachment(switchName: port.switchName, port: port.port)
            } else if port.peerGUID.hasPrefix("S-") {
                let peerName = names[port.peerGUID] ?? port.peerGUID
                let ends = [port.guid + ":" + port.port, port.peerGUID + ":" + port.peerPort].sorted()
                guard seenLinks.insert(ends).inserted else { continue }
                uplinks.append(Uplink(switchName: port.switchName, port: port.port, peer: peerName, peerPort: port.peerPort))
            }
        }
        // Leaves first: the end of a switch link with hosts is the uplink's own switch.
        let leaves = Set(hosts.values.map(\.switchName))
        uplinks = uplinks.map { link in
            leaves.contains(link.peer) && !leaves.contains(link.switchName)
                ? Uplink(switchName: link.peer, port: link.peerPort, peer: link.switchName, peerPort: link.port) : link
        }
    }

    /// The first "…" after `offset` characters of `text`.
    static func quoted(_ text: String, after offset: Int) -> String? {
        let rest = text.dropFirst(offset)
        guard let open = rest.firstIndex(of: "\"") else { return nil }
        let after = rest[rest.index(after: open)...]
        guard let close = after.firstIndex(of: "\"") else { return nil }
        return String(after[..<close])
    }

    /// What follows `#` on a line.
    static func comment(_ line: String) -> String? {
        line.firstIndex(of: "#").map { String(line[line.index(after: $0)...]) }
    }

    /// The number after the last "lid " of a comment (the peer's, after its description).
    static func lid(_ comment: String) -> Int? {
        guard let range = comment.range(of: " lid ", options: .backwards) ?? comment.range(of: "lid ", options: .backwards) else { return nil }
        return Int(comment[range.upperBound...].prefix { $0.isNumber })
    }
}
