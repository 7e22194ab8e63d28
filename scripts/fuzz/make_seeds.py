#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the fixtures (standard library only).

    make_seeds.py OUT_DIR   → OUT_DIR/packets/*, OUT_DIR/summary/*

packets: each fixture capture re-encoded as fuzz-packets records: [link-type index]
[length / 2][time delta / 100 ns][frame bytes], link-type indexes in LinkType's order
(EN10MB 0, LINUX_SLL 1, LINUX_SLL2 2, RAW 3, IPV4 4, IPV6 5, ERF 6, INFINIBAND 7).
summary: the committed summaries, valid and hostile, and topology files (the target reads
its input as both).
Also one packets seed per scapy-built tunnel vector (Tests/Vectors/scapy-tunnels.json).
"""
import glob
import os
import shutil
import struct
import sys

LINK = {1: 0, 113: 1, 276: 2, 101: 3, 228: 4, 229: 5, 197: 6, 247: 7}


def records(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return None, []
    magic, = struct.unpack("<I", data[:4])
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        return None, []
    link, = struct.unpack("<I", data[20:24])
    offset, out = 24, []
    while offset + 16 <= len(data):
        sec, frac, caplen, length = struct.unpack("<IIII", data[offset:offset + 16])
        out.append(data[offset + 16:offset + 16 + caplen])
        offset += 16 + caplen
    return LINK.get(link), out


def main():
    out = sys.argv[1]
    os.makedirs(f"{out}/packets", exist_ok=True)
    os.makedirs(f"{out}/summary", exist_ok=True)
    for path in sorted(glob.glob("Fixtures/*/*.pcap")):
        link, frames = records(path)
        if link is None:
            continue
        seed = b"".join(bytes([link, min(len(f), 510) // 2, 1]) + f[:min(len(f), 510) // 2 * 2] for f in frames[:64])
        open(f"{out}/packets/{os.path.basename(path)}.seed", "wb").write(seed)
    # Every mirror and tunnel encapsulation (ERSPAN I/II/III, GRE, VXLAN, Geneve, nested)
    # and every refused one (cut headers, unknown versions, too deep), one seed each.
    import json
    for vector in json.load(open("Tests/Vectors/scapy-tunnels.json")):
        frame = bytes.fromhex(vector["hex"])[:510]
        seed = bytes([LINK[1], len(frame) // 2, 1]) + frame[:len(frame) // 2 * 2]
        open(f"{out}/packets/tunnel-{vector['name']}.seed", "wb").write(seed)
    for path in sorted(glob.glob("Fixtures/summaries/*.json") + glob.glob("Fixtures/hostile/summary-*.json")
                       + glob.glob("Tests/Vectors/topology/*")):
        shutil.copy(path, f"{out}/summary/{os.path.basename(path)}")
    # A topology in FabricScope's JSON, with lldpctl output inside (the summary target
    # also reads its input as a topology file).
    with open(f"{out}/summary/topology.json", "w") as f:
        f.write('{"hosts": {"10.0.0.1": {"switch": "leaf1", "port": "Ethernet1"}, '
                '"10.0.0.2": {"switch": "leaf2", "port": 2}}, '
                '"uplinks": [{"switch": "leaf1", "port": "e9", "peer": "spine1", "peer_port": "e1"}], '
                '"lldp": {"10.0.0.3": {"lldp": {"interface": {"eth0": {"chassis": {"leaf1": {}}, '
                '"port": {"id": {"type": "ifname", "value": "swp3"}}}}}}}}')


if __name__ == "__main__":
    main()
