import Foundation

/// The frames scapy built (scripts/vectors/scapy_*_vectors.py), with scapy's own reading
/// of each: shared by the decoder's tests, the generator's and the statistics'.
public enum ScapyVectors {
    public static let roce: [ScapyRoCEVector] = {
        let data = try! Data(contentsOf: TestPaths.vectors("scapy-roce.json"))
        return try! JSONDecoder().decode([ScapyRoCEVector].self, from: data)
    }()

    public static let tunnels: [ScapyTunnelVector] = {
        let data = try! Data(contentsOf: TestPaths.vectors("scapy-tunnels.json"))
        return try! JSONDecoder().decode([ScapyTunnelVector].self, from: data)
    }()
}

public struct ScapyRoCEVector: Decodable, Sendable {
    public struct BTH: Decodable, Sendable {
        public let opcode: UInt8, solicited: Int, migreq: Int, padcount: UInt8, version: UInt8, pkey: UInt16
        public let fecn: Int, becn: Int, dqpn: UInt32, ackreq: Int, psn: UInt32
    }
    public struct AETH: Decodable, Sendable { public let syndrome: UInt8, msn: UInt32 }
    public struct IP: Decodable, Sendable { public let src: String, dst: String, tos: UInt8, len: Int }
    public struct UDP: Decodable, Sendable { public let sport: UInt16, dport: UInt16, len: Int }
    public struct GRH: Decodable, Sendable { public let sgid: String, dgid: String, paylen: Int }
    public struct RETH: Decodable, Sendable { public let va: UInt64, rkey: UInt32, length: UInt32 }
    public struct PFC: Decodable, Sendable { public let source_mac: String, enabled: UInt8, quanta: [UInt16] }
    public let name: String
    public let hex: String
    public let bth: BTH?
    public let aeth: AETH?
    public let ip: IP?
    public let udp: UDP?
    public let grh: GRH?
    public let reth: RETH?
    public let pfc: PFC?
    public let payload_length: Int?
    public let vlan: UInt16?
    public let immediate: UInt32?
}

public struct ScapyTunnelVector: Decodable, Sendable {
    public struct Inner: Decodable, Sendable { public let src: String, dst: String, dqpn: UInt32, psn: UInt32, opcode: UInt8, tos: UInt8 }
    public let name: String
    public let hex: String
    public let inner_length: Int?
    public let inner: Inner?
    public let kind: String?
    public let session: UInt32?
    public let sequence: UInt32?
    public let vlan: UInt16?
    public let granularity: UInt8?
    public let timestamp: UInt32?
    public let truncated: Bool?
    public let `switch`: String?
    public let reason: String?
    public let scapy_session: UInt32?
    public let scapy_sequence: UInt32?
    public let scapy_vni: UInt32?
    public let scapy_timestamp: UInt32?
    public let scapy_gra: UInt8?
}
