import FabricWire
import Foundation

extension FabricTopology {
    /// Reads `path`: FabricScope's JSON (with `lldpctl -f json` output inside it, by
    /// host, if wanted), or `ibnetdiscover` text. Every error names the file and the
    /// key or line.
    public static func read(path: String) throws(TopologyError) -> FabricTopology {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TopologyError("\(path): cannot read the topology: \((error as NSError).localizedDescription)")
        }
        let text = String(decoding: data, as: UTF8.self)
        do {
            if text.drop(while: \.isWhitespace).first == "{" { return try FabricTopology(json: data) }
            return try FabricTopology(ibnetdiscover: text)
        } catch {
            throw TopologyError("\(path): \(error.description)")
        }
    }

    /// FabricScope's format:
    /// `{"hosts": {ADDRESS: {"switch": S, "port": P}}, "uplinks": [{"switch": S, "port": P,
    /// "peer": S2, "peer_port": P2}], "port_macs": {MAC: {"switch": S, "port": P}},
    /// "lldp": {ADDRESS: <lldpctl -f json of that host>}}`.
    public init(json data: Data) throws(TopologyError) {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TopologyError("not a JSON object")
            }
            object = parsed
        } catch let error as TopologyError {
            throw error
        } catch {
            throw TopologyError("not JSON: \((error as NSError).localizedDescription)")
        }
        for key in object.keys where !["hosts", "uplinks", "port_macs", "lldp"].contains(key) {
            throw TopologyError("unknown key '\(key)' (known: hosts, uplinks, port_macs, lldp)")
        }
        var claimed: [FabricTopology.Attachment: String] = [:]
        func claim(_ attachment: FabricTopology.Attachment, by owner: String, at key: String) throws(TopologyError) {
            if let earlier = claimed[attachment] {
                throw TopologyError("\(key): \(attachment.name) is already \(earlier)'s; a port connects one thing")
            }
            claimed[attachment] = owner
        }
        func host(_ text: String, at key: String) throws(TopologyError) -> NodeAddress {
            guard let address = NodeAddress(text: text) else {
                throw TopologyError("\(key): '\(text)' is not a host address (IPv4, IPv6, GID or lid:N)")
            }
            return address
        }
        if let hosts = object["hosts"] {
            guard let hosts = hosts as? [String: Any] else { throw TopologyError("hosts: expected an object of host → {switch, port}") }
            for (text, value) in hosts.sorted(by: { $0.key < $1.key }) {
                let key = "hosts.\(text)"
                guard let entry = value as? [String: Any], let name = entry["switch"] as? String, !name.isEmpty,
                      let port = FabricTopology.portText(entry["port"]) else {
                    throw TopologyError("\(key): expected {\"switch\": NAME, \"port\": PORT}")
                }
                let attachment = Attachment(switchName: name, port: port)
                try claim(attachment, by: text, at: key)
                self.hosts[try host(text, at: key)] = attachment
            }
        }
        if let uplinks = object["uplinks"] {
            guard let uplinks = uplinks as? [Any] else { throw TopologyError("uplinks: expected an array") }
            for (index, value) in uplinks.enumerated() {
                let key = "uplinks[\(index)]"
                guard let entry = value as? [String: Any], let name = entry["switch"] as? String, let peer = entry["peer"] as? String,
                      let port = FabricTopology.portText(entry["port"]), let peerPort = FabricTopology.portText(entry["peer_port"]) else {
                    throw TopologyError("\(key): expected {\"switch\", \"port\", \"peer\", \"peer_port\"}")
                }
                guard name != peer else { throw TopologyError("\(key): a loop: \(name) to itself") }
                try claim(Attachment(switchName: name, port: port), by: "the uplink to \(peer)", at: key)
                try claim(Attachment(switchName: peer, port: peerPort), by: "the uplink from \(name)", at: key)
                self.uplinks.append(Uplink(switchName: name, port: port, peer: peer, peerPort: peerPort))
            }
        }
        if let macs = object["port_macs"] {
            guard let macs = macs as? [String: Any] else { throw TopologyError("port_macs: expected an object of MAC → {switch, port}") }
            for (text, value) in macs.sorted(by: { $0.key < $1.key }) {
                let key = "port_macs.\(text)"
                guard let mac = FabricTopology.mac(text) else { throw TopologyError("\(key): '\(text)' is not a MAC address (aa:bb:cc:dd:ee:ff)") }
                guard let entry = value as? [String: Any], let name = entry["switch"] as? String, !name.isEmpty,
                      let port = FabricTopology.portText(entry["port"]) else {
                    throw TopologyError("\(key): expected {\"switch\": NAME, \"port\": PORT}")
                }
                guard portMACs[mac] == nil else { throw TopologyError("\(key): given twice") }
                portMACs[mac] = Attachment(switchName: name, port: port)
            }
        }
        if let lldp = object["lldp"] {
            guard let lldp = lldp as? [String: Any] else { throw TopologyError("lldp: expected an object of host → lldpctl -f json output") }
            for (text, output) in lldp.sorted(by: { $0.key < $1.key }) {
                let key = "lldp.\(text)"
                let attachment = try FabricTopology.lldpNeighbour(output, at: key)
                try claim(attachment, by: text, at: key)
                self.hosts[try host(text, at: key)] = attachment
            }
        }
        // A leaf's uplink peer that also hangs off as a host's switch would make the
        // spine tier a leaf: a loop in the tiers.
        let leaves = Set(self.hosts.values.map(\.switchName))
        for (index, uplink) in self.uplinks.enumerated() where leaves.contains(uplink.peer) && leaves.contains(uplink.switchName) {
            throw TopologyError("uplinks[\(index)]: \(uplink.switchName) and \(uplink.peer) both have hosts: uplinks join leaves to spines")
        }
    }

    /// Six hexadecimal bytes separated by ':' or '-'.
    static func mac(_ text: String) -> UInt64? {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "-" })
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard part.count <= 2, let byte = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(byte)
        }
        return value
    }

    static func portText(_ value: Any?) -> String? {
        if let text = value as? String, !text.isEmpty { return text }
        if let number = value as? Int { return String(number) }
        return nil
    }

    /// The switch and port an `lldpctl -f json` output names for the host's RDMA port:
    /// `{"lldp": {"interface": {IF: {"chassis": {NAME: {…}}, "port": {"id": {"value": P}}}}}}`
    /// (lldpd writes a one-element list as the element itself, and several as a list of
    /// one-key objects). A host with several interfaces must name one switch port only.
    static func lldpNeighbour(_ output: Any, at key: String) throws(TopologyError) -> Attachment {
        guard let root = (output as? [String: Any])?["lldp"] as? [String: Any], let interfaces = root["interface"] else {
            throw TopologyError("\(key): not lldpctl -f json output (no lldp.interface)")
        }
        var found: [Attachment] = []
        let list = (interfaces as? [Any]) ?? [interfaces]
        for item in list {
            guard let byName = item as? [String: Any] else { continue }
            for (_, value) in byName {
                guard let entry = value as? [String: Any], let chassis = entry["chassis"] as? [String: Any],
                      let name = chassis.keys.sorted().first,
                      let port = entry["port"] as? [String: Any] else { continue }
                let id = (port["id"] as? [String: Any])?["value"] as? String ?? port["descr"] as? String
                if let id, !id.isEmpty { found.append(Attachment(switchName: name, port: id)) }
            }
        }
        guard let first = found.first else { throw TopologyError("\(key): lldpctl names no neighbour switch and port") }
        guard Set(found).count == 1 else {
            throw TopologyError("\(key): lldpctl names \(found.count) neighbours (\(found.map(\.name).joined(separator: ", "))); "
                + "keep the RDMA interface's only (lldpctl -f json IFNAME)")
        }
        return first
    }
}
