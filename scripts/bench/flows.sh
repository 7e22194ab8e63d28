#!/usr/bin/env bash
# Cost per flow: `analyze` on 1 M RoCEv2 packets (WRITE + ACK round robin over C
# connections, 128-byte snaplen; scripts/bench/make_flows.py) for 16 → 100,000 flows,
# against the libpcap read loop: once writing the whole JSON report (every flow and
# every health check), once with --top 100 (the same analysis and checks, 100 flows
# listed); then `merge` of N node summaries (16 flows each).
# With BENCH_CALLGRIND="8 512" it also counts instructions (valgrind's callgrind) of
# `analyze -T json` for those connection counts (slow: ~50× the run time).
# Then `nightly` at fabric scale: seven earlier nights of the C-connection capture
# in a history database as the baseline, tonight's capture judged against them with
# every export (JSON verdict, Prometheus textfile, JUnit); C from BENCH_NIGHTLY
# (default 5000: 10,000 flows, 5,000 links; empty skips it).
# Then, with BENCH_FLOOR (default: the same connection counts; empty skips it), the
# floor under any per-flow analysis (scripts/bench/flow_state_floor.c): the read loop
# plus a flow lookup and an update of 1, 4 or 8 cache lines of a 1 KiB per-flow state
# for every packet, in one thread, against the read loop in the same rounds.
# Prints tables; record them in docs/performance.md.
#
#   scripts/bench/flows.sh ["8 512 5000 50000"] ["100 1000"]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-"8 512 5000 50000"}
nodes=${2:-"100 1000"}
work=${BENCH_DIR:-bench-out}/flows
mkdir -p "$work"
scripts/setup.sh >/dev/null
[[ -x /usr/bin/time ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
swift build -c release --static-swift-stdlib --product fabricscope >&2
cc -O2 -o "$work/pcap_loop_baseline" scripts/bench/pcap_loop_baseline.c -lpcap
cc -O2 -o "$work/flow_state_floor" scripts/bench/flow_state_floor.c -lpcap
bin=.build/release/fabricscope
printf "%-8s %9s %9s %10s %8s %10s %10s %8s %10s\n" "flows" "records" "loop s" "json s" "vs loop" "json RSS" \
  "top100 s" "vs loop" "top RSS"
for c in $connections; do
  file="$work/flows-$c.pcap"
  [[ -f $file ]] || python3 scripts/bench/make_flows.py "$file" "$c"
  { read -r t_loop _ _; read -r t_an _ m_an; read -r t_top _ m_top; } < <(python3 scripts/bench/measure.py "${BENCH_RUNS:-3}" \
      "$work/pcap_loop_baseline" "$file" :: $bin analyze -T json "$file" :: $bin analyze -T json --top 100 "$file")
  records=$("$work/pcap_loop_baseline" "$file" | cut -d' ' -f1)
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1fx", a/b}'; }
  printf "%-8s %9s %9s %10s %8s %6s MiB %10s %8s %6s MiB\n" $((2 * c)) "$records" "$t_loop" "$t_an" "$(ratio "$t_an" "$t_loop")" \
    $((m_an / 1024)) "$t_top" "$(ratio "$t_top" "$t_loop")" $((m_top / 1024))
done
if [[ -n ${BENCH_FLOOR-$connections} ]]; then
  printf "\n%-8s %9s %16s %16s %16s\n" "flows" "loop s" "1 line (vs loop)" "4 lines" "8 lines"
  for c in ${BENCH_FLOOR-$connections}; do
    file="$work/flows-$c.pcap"
    floor=("$work/flow_state_floor" "$file")
    { read -r t_loop _ _; read -r t1 _ _; read -r t4 _ _; read -r t8 _ _; } < <(python3 scripts/bench/measure.py "${BENCH_RUNS:-3}" \
        "$work/pcap_loop_baseline" "$file" :: "${floor[@]}" 1 1024 :: "${floor[@]}" 4 1024 :: "${floor[@]}" 8 1024)
    cell() { awk -v a="$1" -v b="$t_loop" 'BEGIN{printf "%.3f (%.1fx)", a, a/b}'; }
    printf "%-8s %9s %16s %16s %16s\n" $((2 * c)) "$t_loop" "$(cell "$t1")" "$(cell "$t4")" "$(cell "$t8")"
  done
fi
# valgrind cannot read the static binary's DWARF ("possibly corrupted debuginfo"):
# it counts a stripped copy, which runs the same instructions.
[[ -z ${BENCH_CALLGRIND:-} ]] || strip -o "$work/fabricscope-stripped" $bin
for c in ${BENCH_CALLGRIND:-}; do
  file="$work/flows-$c.pcap"
  [[ -x /usr/bin/valgrind ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
  for command in "$work/pcap_loop_baseline $file" "$work/fabricscope-stripped analyze -T json $file"; do
    instructions=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $command 2>&1 >/dev/null \
      | sed -nE 's/.*Collected : ([0-9]+).*/\1/p' || true)
    printf "instructions, %6s flows: %15s  %s\n" $((2 * c)) "${instructions:-failed}" "${command%% *}"
  done
done
for n in $nodes; do
  dir="$work/nodes-$n"
  if [[ ! -f $dir/done ]]; then
    mkdir -p "$dir"
    for i in $(seq 0 $((n - 1))); do
      [[ -f $dir/node-$i.json ]] && continue
      python3 scripts/bench/make_flows.py "$dir/node-$i.pcap" 8 20000 $((i * 16))
      $bin analyze "$dir/node-$i.pcap" --summary-out "$dir/node-$i.json" -o /dev/null --force
      rm "$dir/node-$i.pcap"
    done
    touch "$dir/done"
  fi
  read -r t_merge _ m_merge < <(python3 scripts/bench/measure.py 1 $bin merge -T json "$dir"/node-*.json)
  printf "merge of %5s node summaries (16 flows each): %8s s, %8s ms per summary, peak RSS %s MiB\n" "$n" "$t_merge" \
    "$(awk -v t="$t_merge" -v n="$n" 'BEGIN{printf "%.1f", t/n*1000}')" $((m_merge / 1024))
done
for c in ${BENCH_NIGHTLY-5000}; do
  file="$work/flows-$c.pcap"
  [[ -f $file ]] || python3 scripts/bench/make_flows.py "$file" "$c"
  db="$work/nightly-$c.db"
  rm -f "$db" "$db-wal" "$db-shm"
  $bin analyze "$file" --summary-out "$work/nightly-$c.summary.json" -o /dev/null --force
  read -r t_add _ m_add < <(python3 scripts/bench/measure.py 1 $bin history add --db "$db" --force --label night-1 "$work/nightly-$c.summary.json")
  for i in 2 3 4 5 6 7; do $bin history add --db "$db" --label "night-$i" "$work/nightly-$c.summary.json" 2>/dev/null; done
  read -r t_night _ m_night < <(python3 scripts/bench/measure.py "${BENCH_RUNS:-3}" $bin nightly --db "$db" --label tonight \
      --replace -T json -o /dev/null --force --prometheus "$work/nightly.prom" --junit "$work/nightly.xml" "$file")
  printf "history add of a %s-flow summary: %8s s, peak RSS %s MiB\n" $((2 * c)) "$t_add" $((m_add / 1024))
  printf "nightly of %s flows against 7 nights, every export: %8s s, peak RSS %s MiB\n" $((2 * c)) "$t_night" $((m_night / 1024))
done
