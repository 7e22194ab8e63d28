#!/usr/bin/env python3
"""Writes a hostile copy of a pcap for the instruction gate (issue 26, bad input):
every record of IN damaged one of the ways captures from the field are, chosen by a
seeded draw, so that `analyze` on it can be held to cost no more per record than on
the well-formed file.

    make_malformed.py IN OUT [SEED]

Per record, one of: bytes flipped in the headers (Ethernet to BTH), the IP or UDP
length set past the record, the BTH opcode set to an undefined one, the capture cut
short inside the headers (caplen shrunk, the original length kept), or the record left
as it was. Standard library only; pcap (microsecond or nanosecond), either byte order.
"""
import random
import struct
import sys


# Untagged Ethernet, IPv4, UDP, BTH: source and destination address, destination QP.
FLOW_KEY = set(range(26, 34)) | set(range(47, 50))


def main(source, target, seed):
    draw = random.Random(seed)
    data = open(source, "rb").read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out = bytearray(data[:24])
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, caplen, length = struct.unpack(endian + "IIII", data[offset:offset + 16])
        record = bytearray(data[offset + 16:offset + 16 + caplen])
        offset += 16 + caplen
        kind = draw.randrange(6)
        if kind == 0 and len(record) > 8:  # flipped header bytes
            for _ in range(draw.randint(1, 4)):
                at = draw.randrange(min(len(record), 70))
                # Not the addresses or the destination QP: a flip there is a new flow,
                # a cost per flow (its state, its line in the report), which the gate's
                # flow benchmarks hold; this file holds the cost per record.
                if at in FLOW_KEY:
                    continue
                record[at] ^= 1 << draw.randrange(8)
        elif kind == 1 and len(record) >= 18:  # IPv4 total length past the record
            record[16:18] = struct.pack(">H", 0xffff)
        elif kind == 2 and len(record) >= 40:  # UDP length past the record
            record[38:40] = struct.pack(">H", 0xfff0)
        elif kind == 3 and len(record) >= 43:  # an undefined BTH opcode
            record[42] = draw.choice([0x1e, 0x3f, 0x7c, 0xe0, 0xff])
        elif kind == 4 and len(record) > 20:  # cut inside the headers
            record = record[:draw.randrange(14, min(len(record), 60))]
        out += struct.pack(endian + "IIII", seconds, fraction, len(record), length) + record
    open(target, "wb").write(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
