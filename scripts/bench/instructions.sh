#!/usr/bin/env bash
# The instruction gate (issue 26): what a noisy machine cannot fool. Counts, under
# valgrind's callgrind, the instructions of three jobs on fixed generated inputs —
#   analyze_per_record  `analyze -T json` of a 16-rank ring (about 123,000 records) less
#                       that of the same ring at 1/64 of the size, per record: the
#                       per-packet cost, without start-up
#   merge_per_summary   `merge -T json` of 100 summaries of small rings less that of 10,
#                       per summary
#   compare             `compare -T json` of two summaries of an 8-rank ring, whole
# — and fails when one exceeds scripts/bench/instruction-budget.json by more than 3 %
# (for analyze, about 40 instructions a record). It also reports analyze's cost above
# the libpcap read loop (scripts/bench/pcap_loop_baseline.c on the same two files,
# counted the same way), the figure issue 26 sets its 950 target on.
# Counted: everything but glibc and the dynamic loader, whose code depends on the CPU
# (ifunc-selected memcpy, strlen…) and would move the figure between machines; our
# code, the Swift runtime and libpcap are the same on every machine with this
# toolchain and Debian's packages. Repeated runs here agree within 0.3 %.
#
#   scripts/bench/instructions.sh            check against the budget (CI)
#   scripts/bench/instructions.sh --update   write this build's counts as the budget
#
# Lower the budget whenever an improvement lands (docs/performance.md, "Instruction gate").
set -euo pipefail
cd "$(dirname "$0")/../.."
budget=scripts/bench/instruction-budget.json
tolerance=1.03
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
swift build -c release --product fabricscope >&2
bin=$(swift build -c release --show-bin-path)/fabricscope
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The libpcap read loop (a plain pcap_loop over the same file), counted the same way:
# issue 26 states its per-record target above this loop.
cc=$(command -v cc || command -v clang) || { echo "instructions.sh: no C compiler (cc or the toolchain's clang)" >&2; exit 1; }
"$cc" -O2 -o "$work/pcap_loop_baseline" scripts/bench/pcap_loop_baseline.c -lpcap

"$bin" generate "$work/ring16.pcap" --ranks 16 --size 16MiB --mtu 4096 --snaplen 128 --seed 42 2>/dev/null
"$bin" generate "$work/ring16-small.pcap" --ranks 16 --size 256KiB --mtu 4096 --snaplen 128 --seed 42 2>/dev/null
# The malformed corpus (issue 26, bad input): the same ring, every record damaged one
# of the ways field captures are (scripts/bench/make_malformed.py), at two sizes large
# enough that each flow's bounded lists (retransmission episodes) are full in both: the
# difference is then the cost per record alone.
"$bin" generate "$work/ring16x2.pcap" --ranks 16 --size 32MiB --mtu 4096 --snaplen 128 --seed 42 2>/dev/null
python3 scripts/bench/make_malformed.py "$work/ring16.pcap" "$work/ring16-bad.pcap" 7
python3 scripts/bench/make_malformed.py "$work/ring16x2.pcap" "$work/ring16x2-bad.pcap" 7
for seed in 43 44; do
  "$bin" generate "$work/side-$seed.pcap" --ranks 8 --size 4MiB --iterations 4 --mtu 4096 --snaplen 128 --seed $seed 2>/dev/null
  "$bin" analyze -T json -o /dev/null --summary-out "$work/side-$seed.json" "$work/side-$seed.pcap"
done
for i in $(seq 0 99); do
  "$bin" generate "$work/small-$i.pcap" --ranks 4 --size 256KiB --mtu 4096 --snaplen 128 --seed $((100 + i)) \
    --host-offset $((4 * i)) 2>/dev/null
  "$bin" analyze -T json -o /dev/null --summary-out "$work/small-$i.json" "$work/small-$i.pcap"
done

# Work is split by the CPUs a process may use (folding threads, merge batches, JSON
# waves, whether to spin): pinned to two, as the budget was measured, so that a CI
# machine with more cores counts the same work. Folding on one thread, explicitly.
pin=()
if (( $(nproc) >= 2 )); then
  pin=(taskset -c 0,1)
else
  echo "instructions.sh: only one CPU here; the budget was measured on two, counts may differ" >&2
fi

# Instructions of one run, without glibc and the loader.
count() { count_program "$bin" "$@"; }
count_program() {
  "${pin[@]}" valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" >/dev/null 2>"$work/cg.err" \
    || { cat "$work/cg.err" >&2; exit 1; }
  callgrind_annotate --inclusive=no --auto=no --threshold=100 "$work/cg.out" 2>/dev/null | python3 -c '
import re, sys
total = 0
for line in sys.stdin:
    m = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$", line)
    if not m or "PROGRAM TOTALS" in line:
        continue
    obj = re.search(r"\[([^\]]+)\]\s*$", m.group(2))
    name = obj.group(1).rsplit("/", 1)[-1] if obj else ""
    if name.startswith(("libc.so", "ld-linux")):
        continue
    total += int(m.group(1).replace(",", ""))
print(total)'
}

records() { "$bin" analyze -T json "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["capture"]["packets"])'; }
big=$(count analyze -T json --threads 1 -o /dev/null "$work/ring16.pcap")
small=$(count analyze -T json --threads 1 -o /dev/null "$work/ring16-small.pcap")
analyze=$(( (big - small) / ($(records "$work/ring16.pcap") - $(records "$work/ring16-small.pcap")) ))
loop_big=$(count_program "$work/pcap_loop_baseline" "$work/ring16.pcap")
loop_small=$(count_program "$work/pcap_loop_baseline" "$work/ring16-small.pcap")
loop=$(( (loop_big - loop_small) / ($(records "$work/ring16.pcap") - $(records "$work/ring16-small.pcap")) ))
bad=$(count analyze -T json --threads 1 -o /dev/null "$work/ring16-bad.pcap")
bad_twice=$(count analyze -T json --threads 1 -o /dev/null "$work/ring16x2-bad.pcap")
malformed=$(( (bad_twice - bad) / ($(records "$work/ring16x2.pcap") - $(records "$work/ring16.pcap")) ))
all=$(count merge -T json -o /dev/null "$work"/small-*.json)
ten=$(count merge -T json -o /dev/null "$work"/small-[0-9].json)
merge=$(( (all - ten) / 90 ))
compare=$(count compare -T json -o /dev/null "$work/side-43.json" "$work/side-44.json")

python3 - "$budget" "$tolerance" "${1:-}" "$analyze" "$merge" "$compare" "$malformed" "$loop" <<'PY'
import json, sys
path, tolerance, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
measured = dict(zip(["analyze_per_record", "merge_per_summary", "compare"], map(int, sys.argv[4:7])))
malformed, loop = int(sys.argv[7]), int(sys.argv[8])
# Issue 26's target, reported (not failed on: not yet met; the budget holds the line).
above = measured["analyze_per_record"] - loop
print(f"{'above_read_loop':18} {above:>12,} instructions a record: analyze {measured['analyze_per_record']:,} less "
      f"the libpcap read loop's {loop:,}; issue 26's target 950: {'met' if above <= 950 else 'not met'}")
if mode == "--update":
    json.dump(measured, open(path, "w"), indent=2, sort_keys=True)
    open(path, "a").write("\n")
    print("instructions.sh: budget written:", measured)
    sys.exit(0)
budget = json.load(open(path))
failed = False
for job, count in measured.items():
    limit = budget[job] * tolerance
    verdict = "ok" if count <= limit else "OVER BUDGET"
    failed |= count > limit
    print(f"{job:18} {count:>12,} instructions, budget {budget[job]:>12,} (+3 %: {int(limit):,}): "
          f"{count / budget[job] - 1:+.2%} {verdict}")
# Hostile records may cost no more than well-formed ones, measured in this same run.
limit = measured["analyze_per_record"] * tolerance
verdict = "ok" if malformed <= limit else "DEARER THAN WELL-FORMED"
failed |= malformed > limit
print(f"{'malformed_per_record':18} {malformed:>12,} instructions, well-formed {measured['analyze_per_record']:>7,} "
      f"(+3 %: {int(limit):,}): {malformed / measured['analyze_per_record'] - 1:+.2%} {verdict}")
if failed:
    print("instructions.sh: a job exceeds its instruction budget by more than 3 %; find the cost "
          "(docs/performance.md) or, for a change that is worth it, raise the budget on purpose", file=sys.stderr)
sys.exit(1 if failed else 0)
PY
