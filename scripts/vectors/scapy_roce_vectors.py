#!/usr/bin/env python3
"""Builds RoCE and PFC frames with scapy's contrib layers (an encoder independent
of FabricScope) and prints them with scapy's own reading of their fields, as JSON.

The output is committed as Tests/Vectors/scapy-roce.json; CI does not need
scapy. Regenerate with Debian's python3-scapy (2.5.0 was used):
    /usr/bin/python3 scripts/vectors/scapy_roce_vectors.py > Tests/Vectors/scapy-roce.json
Headers scapy does not model (RETH) are appended as raw bytes with struct, and their
expected values are listed beside them.
"""
import json
import struct

from scapy.all import Ether, IP, IPv6, UDP, Dot1Q, Raw, raw
from scapy.contrib.roce import BTH, AETH, GRH, cnp
from scapy.contrib.mac_control import MACControlClassBasedFlowControl

MAC_A, MAC_B = "24:8a:07:a8:fa:22", "24:8a:07:a8:fa:33"


def reth(va, rkey, length):
    return struct.pack("!QII", va, rkey, length)


def vector(name, frame, extra=None):
    pkt = Ether(raw(frame))
    out = {"name": name, "hex": raw(pkt).hex()}
    if BTH in pkt:
        b = pkt[BTH]
        out["bth"] = {
            "opcode": b.opcode, "solicited": int(b.solicited), "migreq": int(b.migreq),
            "padcount": b.padcount, "version": b.version, "pkey": b.pkey, "fecn": int(b.fecn),
            "becn": int(b.becn), "dqpn": b.dqpn, "ackreq": int(b.ackreq), "psn": b.psn,
        }
        out["icrc"] = b.icrc
    if AETH in pkt:
        out["aeth"] = {"syndrome": pkt[AETH].syndrome, "msn": pkt[AETH].msn}
    if IP in pkt:
        out["ip"] = {"src": pkt[IP].src, "dst": pkt[IP].dst, "tos": pkt[IP].tos, "len": pkt[IP].len}
    if IPv6 in pkt:
        out["ip"] = {"src": pkt[IPv6].src, "dst": pkt[IPv6].dst, "tos": pkt[IPv6].tc, "len": pkt[IPv6].plen + 40}
    if UDP in pkt:
        out["udp"] = {"sport": pkt[UDP].sport, "dport": pkt[UDP].dport, "len": pkt[UDP].len}
    if GRH in pkt:
        out["grh"] = {"sgid": "%032x" % pkt[GRH].sgid, "dgid": "%032x" % pkt[GRH].dgid, "paylen": pkt[GRH].paylen}
    out.update(extra or {})
    return out


vectors = []
# scapy's own UC SEND_ONLY example (roce.uts): ICRC 0x78f353f3.
vectors.append(vector("uc_send_only_ipv4", Ether(dst=MAC_A, src=MAC_A)
    / IP(tos=0x1, id=1144, flags="DF", ttl=64, src="192.168.0.7", dst="192.168.0.7")
    / UDP(sport=49152, dport=4791)
    / BTH(opcode="UC_SEND_ONLY", migreq=1, padcount=2, pkey=0xffff, dqpn=211, psn=13571856)
    / Raw(b"F0\x81\x8b\xe2\x895\xd9\x0e\x9a\x95PT\x01\xbe\x88^P\x00\x00"),
    {"payload_length": 18}))
vectors.append(vector("rc_nak_psn_sequence_ipv4", Ether(dst=MAC_A, src=MAC_B)
    / IP(tos=0x02, src="10.1.0.2", dst="10.1.0.1") / UDP(sport=0xc123, dport=4791)
    / BTH(opcode="RC_ACKNOWLEDGE", dqpn=0x48, psn=5) / AETH(syndrome=0x60, msn=7),
    {"payload_length": 0}))
vectors.append(vector("rc_ack_ce_ipv4", Ether(dst=MAC_A, src=MAC_B)
    / IP(tos=0x6b, src="10.1.0.2", dst="10.1.0.1") / UDP(sport=69, dport=4791)
    / BTH(opcode="RC_ACKNOWLEDGE", dqpn=0x45, psn=0xffffff) / AETH(syndrome=0x05, msn=0x123456),
    {"payload_length": 0}))
vectors.append(vector("rc_rnr_nak_ipv6", Ether(dst=MAC_A, src=MAC_B)
    / IPv6(tc=0x02, src="fd00::2", dst="2001:db8:0:0:1:0:0:1") / UDP(sport=0xd000, dport=4791)
    / BTH(opcode="RC_ACKNOWLEDGE", dqpn=0x1234, psn=77) / AETH(syndrome=0x2e, msn=9),
    {"payload_length": 0}))
vectors.append(vector("cnp_ipv4", Ether(dst=MAC_A, src=MAC_B)
    / IP(src="22.22.22.8", dst="22.22.22.7", id=0x98c6, flags="DF", ttl=0x20, tos=0x89)
    / UDP(sport=56238, dport=4791, chksum=0) / cnp(dqpn=0xd2),
    {"payload_length": 0}))
vectors.append(vector("rc_write_first_vlan_ipv4", Ether(dst=MAC_A, src=MAC_B)
    / Dot1Q(vlan=100, prio=3) / IP(tos=0x6a, src="10.0.0.1", dst="10.0.0.2")
    / UDP(sport=0xc001, dport=4791)
    / BTH(opcode="RC_RDMA_WRITE_FIRST", dqpn=0x2000, psn=0xfffffe)
    / Raw(reth(0x7f0000001000, 0xabcd, 65536) + bytes(range(64))),
    {"payload_length": 64, "vlan": 100,
     "reth": {"va": 0x7f0000001000, "rkey": 0xabcd, "length": 65536}}))
vectors.append(vector("rocev1_write_only_imm", Ether(dst=MAC_A, src=MAC_B, type=0x8915)
    / GRH(sgid=0xfe800000000000000000000000000001, dgid=0xfe800000000000000000000000000002,
          nexthdr=0x1b, hoplmt=1, paylen=12 + 16 + 4 + 5 + 3 + 4)
    / BTH(opcode="RC_RDMA_WRITE_ONLY_WITH_IMMEDIATE", dqpn=0x10a, ackreq=1, padcount=3, psn=42)
    / Raw(reth(0x1000, 0x77, 5) + struct.pack("!I", 0xdeadbeef) + b"hello" + b"\0\0\0"),
    {"payload_length": 5, "immediate": 0xdeadbeef,
     "reth": {"va": 0x1000, "rkey": 0x77, "length": 5}}))
pfc = Ether(dst="01:80:c2:00:00:01", src="02:aa:00:00:00:07") / MACControlClassBasedFlowControl(
    c3_enabled=1, c3_pause_time=0xffff, c5_enabled=1, c5_pause_time=0)
vectors.append({"name": "pfc_prio3_xoff_prio5_xon", "hex": raw(pfc).hex(),
                "pfc": {"source_mac": "02:aa:00:00:00:07", "enabled": 0x28,
                        "quanta": [0, 0, 0, 0xffff, 0, 0, 0, 0]}})
print(json.dumps(vectors, indent=1))
