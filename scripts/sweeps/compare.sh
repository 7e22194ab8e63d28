#!/usr/bin/env bash
# False-alarm rate and power of `fabricscope compare`, over fixed seeds (the numbers
# in docs/compare.md come from this script). Release build; about a minute on 2 cores.
#
#   same configuration: PAIRS pairs of 4-rank rings with different seeds and QP
#     numbers; each must read no_change.
#   injected changes (PAIRS seeds each), each must be found on the right link, in
#     the right direction, with the interval covering the true change:
#     tail  --tail-link 1:3  ACK delay 3 µs + Exp(0.5 µs) → 3 µs + Exp(1.5 µs) on 10.0.0.2→10.0.0.3:
#           p50 +20.7 %, p99 +86.8 % (quantiles of the shifted exponential)
#     ce    --ce-link 2:0.05 CE-marked requests 0 → 5 % on 10.0.0.3→10.0.0.4
#     slow  --slow-link 3:1.5 rate within messages −33.3 % on 10.0.0.4→10.0.0.1
#     small --tail-link 1:1.5 p99 +21.7 % on 10.0.0.2→10.0.0.3 (power at a smaller change)
#   mirror: swapping the sides of every injected pair mirrors the verdict.
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs=${1:-20}
swift build -c release --product fabricscope >/dev/null
fs=$PWD/.build/release/fabricscope
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--size 64KiB --iterations 100 --iteration-gap 100us --random-qps --snaplen 128 --force)
gen() { "$fs" generate "$work/$1.pcap" "${common[@]}" --seed "$2" "${@:3}" >/dev/null 2>&1; }
for i in $(seq 1 "$pairs"); do
  gen "base$i" $((1000 + i))
  gen "same$i" $((2000 + i))
  gen "tail$i" $((3000 + i)) --tail-link 1:3
  gen "ce$i" $((4000 + i)) --ce-link 2:0.05
  gen "slow$i" $((5000 + i)) --slow-link 3:1.5
  gen "small$i" $((6000 + i)) --tail-link 1:1.5
  for kind in same tail ce slow small; do
    "$fs" compare "$work/base$i.pcap" "$work/$kind$i.pcap" -T json > "$work/$kind$i.json"
  done
  for kind in tail ce slow small; do
    "$fs" compare "$work/$kind$i.pcap" "$work/base$i.pcap" -T json > "$work/$kind$i.swapped.json"
  done
done
python3 - "$work" "$pairs" <<'PY'
import json, sys, math
work, pairs = sys.argv[1], int(sys.argv[2])
def load(name): return json.load(open(f"{work}/{name}.json"))
false_alarms = [i for i in range(1, pairs + 1) if load(f"same{i}")["verdict"] != "no_change"]
print(f"same configuration: {pairs - len(false_alarms)}/{pairs} no_change; false alarms: {len(false_alarms)}"
      + (f" (pairs {false_alarms})" if false_alarms else ""))
for i in false_alarms:
    for c in load(f"same{i}")["changes"]:
        if c["significant"]: print("   ", c["scope"], c["src"], c["dst"], c["metric"], c["relative_change"], c["p_adjusted"])
tail_p50 = (3000 + 1500 * math.log(2)) / (3000 + 500 * math.log(2)) - 1
tail_p99 = (3000 + 1500 * math.log(100)) / (3000 + 500 * math.log(100)) - 1
effects = {
  "tail": [("10.0.0.2", "10.0.0.3", "ack_latency_p50_ns", "worse", tail_p50),
           ("10.0.0.2", "10.0.0.3", "ack_latency_p99_ns", "worse", tail_p99)],
  "ce":   [("10.0.0.3", "10.0.0.4", "ce_fraction", "worse", None)],
  "slow": [("10.0.0.4", "10.0.0.1", "message_rate_bps", "worse", 1 / 1.5 - 1)],
  # A smaller tail change: p99 +21.7 % (p50 +5.2 %, about the margin: not required).
  "small": [("10.0.0.2", "10.0.0.3", "ack_latency_p99_ns", "worse",
             (3000 + 750 * math.log(100)) / (3000 + 500 * math.log(100)) - 1)],
}
mirror = {"regression": "improvement", "improvement": "regression", "mixed": "mixed", "no_change": "no_change"}
for kind, expected in effects.items():
    found = covered = tested = mirrored = 0
    wrong_links = 0
    for i in range(1, pairs + 1):
        doc = load(f"{kind}{i}")
        ok = True
        for src, dst, metric, direction, truth in expected:
            row = next((c for c in doc["changes"] if c["src"] == src and c["dst"] == dst and c["metric"] == metric), None)
            if row is None or row["assessment"] != direction: ok = False; continue
            if truth is not None:
                tested += 1
                if row["ci_low"] <= truth <= row["ci_high"]: covered += 1
        found += ok
        others = [c for c in doc["changes"] if c["significant"] and c["scope"] == "link"
                  and (c["src"], c["dst"]) not in {(e[0], e[1]) for e in expected}]
        for c in others:
            print(f"  {kind} pair {i}: also {c['src']}→{c['dst']} {c['metric']} {c['assessment']} "
                  f"{c['relative_change']:+.3f} [{c['ci_low']:+.3f}, {c['ci_high']:+.3f}]")
        wrong_links += len(others)
        mirrored += mirror[doc["verdict"]] == load(f"{kind}{i}.swapped")["verdict"]
    cover = f"; interval covers the true change in {covered}/{tested}" if tested else ""
    if kind == "small":
        print(f"small (p99 +21.7 %): detected in {found}/{pairs}{cover}; significant changes on other links: {wrong_links}")
        continue
    print(f"{kind}: found on the right link and direction in {found}/{pairs}{cover}; "
          f"significant changes on other links: {wrong_links}; swapped sides mirror the verdict in {mirrored}/{pairs}")
PY
