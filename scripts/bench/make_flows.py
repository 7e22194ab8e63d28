#!/usr/bin/env python3
"""Writes a RoCEv2 pcap for the flows benchmark: PACKETS packets of RDMA WRITE_ONLY
(AckReq) and their ACKs, round robin over CONNECTIONS connections, so the capture has
2 x CONNECTIONS flows whatever its length. ns timestamps, 128-byte snaplen (as a
truncating mirror), 4 KiB payload on the wire.

    make_flows.py OUT.pcap CONNECTIONS [PACKETS [HOST_BASE]]   (default 1,000,000 packets, base 0)

Each connection is a pair of hosts 10.a.b.c -> 10.d.e.f with its own QPs; requests
and ACKs alternate, and every connection's PSNs advance by one per request."""
import struct
import sys

out, connections = sys.argv[1], int(sys.argv[2])
packets = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
base = int(sys.argv[4]) if len(sys.argv) > 4 else 0  # a node's hosts, for merge benchmarks
snaplen = 128
payload = 4096


def ip(n):
    return bytes([10, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF])


def checksum(header):
    total = sum(struct.unpack("!10H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


headers = {}  # (src, dst, dest QP, length) -> Ethernet + IPv4 + UDP, which no PSN changes


def frame(src, dst, opcode, dest_qp, psn, ack_req, extension, payload_len):
    bth = struct.pack("!BBHI I", opcode, 0x40, 0xFFFF, dest_qp & 0xFFFFFF,
                      ((0x80 if ack_req else 0) << 24) | (psn & 0xFFFFFF))
    l4_len = 8 + len(bth) + len(extension) + payload_len + 4
    total = 20 + l4_len
    key = (src, dst, dest_qp, l4_len)
    if key not in headers:
        udp = struct.pack("!HHHH", 0xC000 | (dest_qp & 0x3FFF), 4791, l4_len, 0)
        ip_header = struct.pack("!BBHHHBBH4s4s", 0x45, 0x02, total, 0, 0x4000, 64, 17, 0, src, dst)
        ip_header = ip_header[:10] + struct.pack("!H", checksum(ip_header)) + ip_header[12:]
        eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
        headers[key] = eth + ip_header + udp
    return headers[key] + bth + extension, 14 + total


with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, 1))
    t = 1_767_225_600_000_000_000
    psn = [0] * connections
    reth = struct.pack("!QII", 0x1000, 0x1234, payload)
    for i in range(packets):
        c = (i // 2) % connections
        src, dst = ip(base + 2 * c + 1), ip(base + 2 * c + 2)
        if i % 2 == 0:
            data, wire = frame(src, dst, 0x0A, 0x100000 + c, psn[c], True, reth, payload)
        else:
            aeth = struct.pack("!I", (0x1F << 24) | psn[c])
            data, wire = frame(dst, src, 0x11, 0x200000 + c, psn[c], False, aeth, 0)
            psn[c] += 1
        data = data[:snaplen]
        f.write(struct.pack("<IIII", t // 1_000_000_000, t % 1_000_000_000, len(data), wire))
        f.write(data)
        t += 90 if i % 2 == 0 else 10
