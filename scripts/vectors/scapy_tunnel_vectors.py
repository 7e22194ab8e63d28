#!/usr/bin/env python3
"""Builds mirrored and tunnelled RoCEv2 frames with scapy (ERSPAN types I, II, III from
scapy.contrib.erspan, GRE, VXLAN, Geneve from scapy.contrib.geneve): an encoder
independent of FabricScope. Prints, as JSON, each frame with what scapy reads in it:
the tunnel's fields and the inner packet's.

The output is committed as Tests/Vectors/scapy-tunnels.json; CI does not need
scapy. Regenerate with scapy 2.8.0 (pip install scapy):
    python3 scripts/vectors/scapy_tunnel_vectors.py > Tests/Vectors/scapy-tunnels.json
Frames FabricScope must refuse (with a reason) are listed with "reason".
"""
import json

from scapy.all import Ether, IP, IPv6, UDP, GRE, Dot1Q, Raw, raw
from scapy.contrib.erspan import ERSPAN_I, ERSPAN_II, ERSPAN_III, ERSPAN_PlatformSpecific
from scapy.contrib.geneve import GENEVE
from scapy.contrib.roce import BTH, AETH
from scapy.layers.vxlan import VXLAN

SWITCH, COLLECTOR = "198.51.100.7", "198.51.100.200"


def inner_frame(psn, vlan=None):
    frame = Ether(src="24:8a:07:a8:fa:22", dst="24:8a:07:a8:fa:33")
    if vlan is not None:
        frame = frame / Dot1Q(vlan=vlan, prio=3)
    return raw(frame / IP(src="10.1.0.1", dst="10.1.0.2", tos=0x6a) / UDP(sport=0xc0de, dport=4791)
               / BTH(opcode="RC_SEND_ONLY", dqpn=0x1234, psn=psn, ackreq=1) / Raw(b"\x00" * 256))


def outer(proto=47, ipv6=False):
    eth = Ether(src="02:cc:00:00:00:01", dst="02:cc:00:00:00:02")
    return eth / (IPv6(src="2001:db8::7", dst="2001:db8::c8", nh=proto) if ipv6 else IP(src=SWITCH, dst=COLLECTOR, proto=proto))


def vector(name, frame, inner, **expected):
    data = raw(frame)
    out = {"name": name, "hex": data.hex(), "inner_length": len(inner)}
    parsed = Ether(data)
    # scapy's own reading of the innermost packet.
    ips = [layer for layer in parsed.iterpayloads() if isinstance(layer, IP)]
    bths = [layer for layer in parsed.iterpayloads() if isinstance(layer, BTH)]
    if not bths:
        # scapy picks the ERSPAN version from the first nibble after GRE, which for type I
        # is the inner destination MAC: it reads the inner frame from its own bytes instead.
        parsed_inner = Ether(inner)
        ips = [layer for layer in parsed_inner.iterpayloads() if isinstance(layer, IP)]
        bths = [layer for layer in parsed_inner.iterpayloads() if isinstance(layer, BTH)]
        out["inner_read_alone"] = True
    if bths:
        out["inner"] = {"src": ips[-1].src, "dst": ips[-1].dst, "dqpn": bths[-1].dqpn, "psn": bths[-1].psn,
                        "opcode": bths[-1].opcode, "tos": ips[-1].tos}
    if ERSPAN_II in parsed:
        out["scapy_session"] = parsed[ERSPAN_II].session_id
    if ERSPAN_III in parsed:
        e = parsed[ERSPAN_III]
        out["scapy_session"], out["scapy_timestamp"], out["scapy_gra"], out["scapy_t"] = e.session_id, e.timestamp, e.gra, e.t
    if GRE in parsed and parsed[GRE].seqnum_present:
        out["scapy_sequence"] = parsed[GRE].seqence_number if hasattr(parsed[GRE], "seqence_number") else parsed[GRE].sequence_number
    if VXLAN in parsed:
        out["scapy_vni"] = parsed[VXLAN].vni
    if GENEVE in parsed:
        out["scapy_vni"] = parsed[GENEVE].vni
    if out.get("inner_read_alone"):  # scapy's reading of the tunnel itself is then wrong too
        out = {k: v for k, v in out.items() if not k.startswith("scapy_")}
    out.update(expected)
    return out


vectors = []
f = inner_frame(100)
vectors.append(vector("erspan1", outer() / GRE(proto=0x88BE) / ERSPAN_I() / Raw(f), f, kind="erspan1", session=0))
vectors.append(vector("erspan2", outer() / GRE(proto=0x88BE, seqnum_present=1, sequence_number=77)
                      / ERSPAN_II(session_id=513, vlan=20) / Raw(f), f, kind="erspan2", session=513, sequence=77))
f = inner_frame(200, vlan=30)
vectors.append(vector("erspan3_vlan_inner", outer() / GRE(proto=0x22EB, seqnum_present=1, sequence_number=4294967295)
                      / ERSPAN_III(session_id=1023, timestamp=0xDEADBEEF, gra=1, ft=0) / Raw(f), f,
                      kind="erspan3", session=1023, sequence=4294967295, vlan=30, granularity=1, timestamp=0xDEADBEEF))
vectors.append(vector("erspan3_platform_ipv6_outer", outer(ipv6=True) / GRE(proto=0x22EB, seqnum_present=1, sequence_number=9)
                      / ERSPAN_III(session_id=5, timestamp=12345, gra=2, o=1) / ERSPAN_PlatformSpecific(platf_id=3)
                      / Raw(f), f, kind="erspan3", session=5, sequence=9, vlan=30, granularity=2, timestamp=12345,
                      switch="2001:db8::7"))
f = inner_frame(300)
truncated = f[:120]
vectors.append(vector("erspan3_truncated_by_switch", outer() / GRE(proto=0x22EB, seqnum_present=1, sequence_number=1)
                      / ERSPAN_III(session_id=7, t=1, gra=0) / Raw(truncated), f, kind="erspan3", session=7, sequence=1,
                      truncated=True, granularity=0, timestamp=0))
vectors.append(vector("gre_teb_key_checksum", outer() / GRE(proto=0x6558, chksum_present=1, key_present=1, key=0xABCD,
                      seqnum_present=1, sequence_number=3) / Raw(f), f, kind="gre", session=0xABCD, sequence=3))
vectors.append(vector("vxlan", outer(17) / UDP(sport=51000, dport=4789) / VXLAN(vni=0x123456) / Raw(f), f,
                      kind="vxlan", session=0x123456))
vectors.append(vector("geneve_with_option", outer(17) / UDP(sport=51000, dport=6081)
                      / GENEVE(vni=77, proto=0x6558, optionlen=2, options=Raw(b"\x01" * 8)) / Raw(f), f,
                      kind="geneve", session=77))
# Nested: ERSPAN II carried inside GRE transparent bridging (two layers; the outer names the mirror).
inner_erspan = raw(Ether(src="02:dd:00:00:00:01", dst="02:dd:00:00:00:02") / IP(src="203.0.113.1", dst="203.0.113.2")
                   / GRE(proto=0x88BE, seqnum_present=1, sequence_number=5) / ERSPAN_II(session_id=9) / Raw(f))
vectors.append(vector("gre_in_gre", outer() / GRE(proto=0x6558, seqnum_present=1, sequence_number=11) / Raw(inner_erspan),
                      f, kind="gre", session=0, sequence=11, inner_length_override=len(f)))

# Refused, each with its reason.
deep = f
for i in range(5):
    deep = raw(Ether(src="02:dd:00:00:00:01", dst="02:dd:00:00:00:02") / IP(src="203.0.113.%d" % (i + 1), dst="203.0.113.99")
               / GRE(proto=0x6558) / Raw(deep))
vectors.append({"name": "gre_nested_five_deep", "hex": deep.hex(), "reason": "tunnel_too_deep"})
bad = raw(outer() / GRE(proto=0x88BE, seqnum_present=1, sequence_number=1) / ERSPAN_III(session_id=1) / Raw(f))
vectors.append({"name": "erspan2_proto_with_version_2_header", "hex": bad.hex(), "reason": "unknown_erspan_version"})
bad = raw(outer() / GRE(proto=0x22EB, seqnum_present=1, sequence_number=1) / ERSPAN_III(session_id=1, ft=5) / Raw(f))
vectors.append({"name": "erspan3_unknown_frame_type", "hex": bad.hex(), "reason": "unknown_erspan_frame_type"})
bad = raw(outer() / GRE(proto=0x88BE, seqnum_present=1, sequence_number=1))[:-2]
vectors.append({"name": "gre_sequence_cut", "hex": bad.hex(), "reason": "tunnel_header_truncated"})
bad = raw(outer() / GRE(proto=0x6558, version=1) / Raw(f))
vectors.append({"name": "gre_version_1", "hex": bad.hex(), "reason": "unsupported_gre"})
bad = raw(outer(17) / UDP(sport=51000, dport=4789) / VXLAN(flags=0, vni=1) / Raw(f))
vectors.append({"name": "vxlan_without_vni_flag", "hex": bad.hex(), "reason": "tunnel_payload_not_ethernet"})
bad = raw(outer(17) / UDP(sport=51000, dport=6081) / GENEVE(vni=1, proto=0x8847) / Raw(f))
vectors.append({"name": "geneve_mpls", "hex": bad.hex(), "reason": "tunnel_payload_not_ethernet"})
print(json.dumps(vectors, indent=1))
