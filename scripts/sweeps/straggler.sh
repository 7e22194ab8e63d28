#!/usr/bin/env bash
# False alarms and power of the straggler rule on generated rings of 6 ranks (6 MiB,
# 128-byte snaplen), seeds 1…N (default 20): with every link even, how often a
# straggler is named (false alarms); with one link FACTOR times slower (--slow-link),
# how often exactly that link is named (power), for factors 1.1, 1.25 and 2.
# docs/models.md records the result.
#
#   scripts/sweeps/straggler.sh [fabricscope binary] [seeds]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release/fabricscope}
seeds=${2:-20}
[[ -x $bin ]] || swift build -c release --product fabricscope >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
named() {  # prints the straggler's "src dst", or "none"
  "$bin" analyze -T json "$work/s.pcap" | python3 -c "
import json, sys
c = json.load(sys.stdin)['collectives']
s = c[0].get('straggler') if c else None
print(f\"{s['src']} {s['dst']}\" if s else 'none')"
}
alarms=0
for seed in $(seq 1 "$seeds"); do
  "$bin" generate "$work/s.pcap" --ranks 6 --size 6MiB --snaplen 128 --seed "$seed" --force >/dev/null 2>&1
  [[ $(named) == none ]] || alarms=$((alarms + 1))
done
echo "even links: a straggler named in $alarms of $seeds captures"
for factor in 1.1 1.25 2; do
  found=0
  for seed in $(seq 1 "$seeds"); do
    "$bin" generate "$work/s.pcap" --ranks 6 --size 6MiB --snaplen 128 --seed "$seed" --slow-link "3:$factor" \
      --force >/dev/null 2>&1
    [[ $(named) == "10.0.0.4 10.0.0.5" ]] && found=$((found + 1))
  done
  echo "link 3 slower by $factor: named in $found of $seeds captures"
done
