#!/usr/bin/env bash
# False-alarm rate and detection of `fabricscope nightly`, over fixed seeds (the
# numbers in docs/nightly.md come from this script). Release build; a few minutes.
#
#   normal: NIGHTS normal nights of the same job (new seeds and QP numbers each
#     night) into one history; every night judged against up to 7 earlier ones must
#     pass (status ok). A night that warns or fails is a false alarm.
#   degraded: SEQUENCES sequences of 7 normal nights and an 8th with a fault; the
#     8th must fail, naming the right link and metric:
#     tail  --tail-link 1:3       10.0.0.2→10.0.0.3, baseline/ack_latency_p99_ns
#     slow  --slow-link 3:1.5     10.0.0.4→10.0.0.1, baseline/message_rate_bps
#     ce    --ce-link 2:0.25      10.0.0.3→10.0.0.4, threshold/ce_fraction
set -euo pipefail
cd "$(dirname "$0")/../.."
nights=${1:-30}
sequences=${2:-10}
swift build -c release --product fabricscope >/dev/null
fs=$PWD/.build/release/fabricscope
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
job=(--size 64KiB --iterations 100 --iteration-gap 100us --snaplen 128 --force)

"$fs" generate "$work/normal" --nights "$nights" --seed 4242 "${job[@]}" 2>/dev/null
for i in $(seq 1 "$nights"); do
  "$fs" nightly --db "$work/normal.db" --label "n$i" "$(printf '%s/normal/night-%02d.pcap' "$work" "$i")" -T json \
    > "$work/normal-$i.json" || true
done

for kind in tail slow ce; do
  case $kind in
    tail) fault=(--tail-link 1:3); base=1000 ;;
    slow) fault=(--slow-link 3:1.5); base=2000 ;;
    ce) fault=(--ce-link 2:0.25); base=3000 ;;
  esac
  for s in $(seq 1 "$sequences"); do
    dir="$work/$kind-$s"
    "$fs" generate "$dir" --nights 8 --degrade-from 8 --seed $((base + s * 17)) "${job[@]}" "${fault[@]}" 2>/dev/null
    for i in $(seq 1 8); do
      "$fs" nightly --db "$dir.db" --label "n$i" "$(printf '%s/night-%02d.pcap' "$dir" "$i")" -T json > "$dir-$i.json" || true
    done
  done
done

python3 - "$work" "$nights" "$sequences" <<'PY'
import json, sys
work, nights, sequences = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
judged = alarms = 0
for i in range(1, nights + 1):
    d = json.load(open(f"{work}/normal-{i}.json"))
    if len(d["baseline"]) < 2: continue
    judged += 1
    if d["status"] != "ok":
        alarms += 1
        print("  false alarm:", d["label"], [(c["name"], c["src"], c["dst"], c["status"]) for c in d["checks"] if c["status"] != "ok"])
print(f"normal nights judged against a baseline: {judged}; false alarms (warn or fail): {alarms}")
expect = {"tail": ("10.0.0.2", "10.0.0.3", "baseline/ack_latency_p99_ns"),
          "slow": ("10.0.0.4", "10.0.0.1", "baseline/message_rate_bps"),
          "ce": ("10.0.0.3", "10.0.0.4", "threshold/ce_fraction")}
for kind, (src, dst, name) in expect.items():
    caught = wrong = early = 0
    for s in range(1, sequences + 1):
        for i in range(1, 8):
            e = json.load(open(f"{work}/{kind}-{s}-{i}.json"))
            if e["status"] != "ok":
                early += 1
                print("  alarm on a normal night:", kind, s, e["label"], [(c["name"], c["src"], c["dst"], c["status"], c["message"]) for c in e["checks"] if c["status"] != "ok"])
        d = json.load(open(f"{work}/{kind}-{s}-8.json"))
        failing = [c for c in d["checks"] if c["status"] == "fail"]
        if d["status"] == "fail" and any(c["src"] == src and c["dst"] == dst and c["name"] == name for c in failing): caught += 1
        wrong += sum(1 for c in failing if c["scope"] == "link" and (c["src"], c["dst"]) != (src, dst))
    print(f"{kind}: night 8 fails naming {src}→{dst} {name} in {caught}/{sequences}; "
          f"failing checks on other links: {wrong}; alarms on the 7 normal nights before: {early}")
PY
