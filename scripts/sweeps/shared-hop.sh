#!/usr/bin/env bash
# Issue 27's shared-hop targets on generated leaf/spine fabrics (`generate --leaves`):
# 64 hosts on 8 leaves under 4 spines, a ring all-reduce across them (NCCL's order:
# consecutive ranks, so most ring links stay inside a leaf and one leaves by each
# end). Per seed, twice:
#   - degraded: one leaf, drawn from the seed, CE-marks every link through it with a
#     probability drawn from 10–40 %; the shared hop must name that leaf;
#   - healthy: the same fabric without it; no shared hop may be named.
# Prints one line per miss and a tally. Takes a minute or two with a release build.
#
#   scripts/sweeps/shared-hop.sh [seeds] [fabricscope binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=${1:-20}
bin=${2:-.build/release/fabricscope}
[[ -x $bin ]] || swift build -c release --product fabricscope >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$bin" "$work" "$seeds" <<'PY'
import json, random, subprocess, sys
binary, work, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3])
found = alarms = 0
for seed in range(1, seeds + 1):
    draw = random.Random(seed)
    leaf, probability = draw.randrange(8), draw.uniform(0.10, 0.40)
    for degraded in (True, False):
        capture, topology = f"{work}/s{seed}-{degraded}.pcap", f"{work}/s{seed}.json"
        extra = ["--congested-leaf", f"{leaf}:{probability:.3f}"] if degraded else []
        subprocess.run([binary, "generate", "--ranks", "64", "--leaves", "8", "--spines", "4", "--size", "1MiB",
                        "--seed", str(seed), "--random-qps", "--topology-out", topology, "--force", capture] + extra,
                       check=True, capture_output=True)
        out = subprocess.run([binary, "analyze", "-T", "json", capture, "--topology", topology],
                             capture_output=True, text=True)
        document = json.loads(out.stdout)
        hop = [c for c in document["health"]["checks"] if c["name"] == "shared_hop"]
        if degraded:
            if hop and f"cross leaf{leaf + 1} " in hop[0]["message"]:
                found += 1
            else:
                print(f"seed {seed}: leaf{leaf + 1} at CE {probability:.0%} not named: {hop}")
        elif hop:
            alarms += 1
            print(f"seed {seed}: healthy, yet: {hop[0]['message']}")
print(f"shared hop named: {found} of {seeds} degraded fabrics; false alarms: {alarms} of {seeds} healthy ones")
sys.exit(0 if found == seeds and alarms == 0 else 1)
PY
