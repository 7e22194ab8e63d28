#!/usr/bin/env bash
# Throughput and memory of `fabricscope analyze` against the libpcap read limit (a
# plain pcap_loop over the same file, same 1 MiB stdio buffer), in one run on one
# machine. Prints a table; record the figures in docs/performance.md.
#
#   scripts/bench/bench.sh [PACKETS_SCALE]   (default 1: about 1.8 M packets)
#
# Timing is the best of 3 runs (wall clock; the file is in the page cache after the
# first), memory is peak RSS from GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-1}
work=${BENCH_DIR:-bench-out}
mkdir -p "$work"
scripts/setup.sh >/dev/null
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
swift build -c release --product fabricscope >&2
cc -O2 -o "$work/pcap_loop_baseline" scripts/bench/pcap_loop_baseline.c -lpcap
bin=.build/release/fabricscope

capture() {  # name, buffer size, iterations, extra options
  local file="$work/$1.pcap"
  if [[ ! -f $file ]]; then
    $bin generate "$file" --ranks 8 --size "$2" --iterations "$3" --mtu 4096 --snaplen 128 \
      --loss 0.0001 --ce 0.01 --pfc 20 --seed 42 "${@:4}" >&2
  fi
  echo "$file"
}

best_of_3() {  # prints "seconds peak_kib" of the fastest of three runs
  local best="" mem=""
  for _ in 1 2 3; do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -n 1)
    local t=${out% *} m=${out#* }
    if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; mem=$m; fi
  done
  echo "$best $mem"
}

size=$((512 * scale))MiB
one=$(capture "ring8-x1-$scale" "$size" 1)
two=$(capture "ring8-x2-$scale" "$size" 2)
records=$("$work/pcap_loop_baseline" "$one" | cut -d' ' -f1)
records2=$("$work/pcap_loop_baseline" "$two" | cut -d' ' -f1)
bytes=$(stat -c %s "$one")

read -r t_loop m_loop <<<"$(best_of_3 "$work/pcap_loop_baseline" "$one")"
read -r t_json m_json <<<"$(best_of_3 $bin analyze -T json "$one")"
read -r t_table m_table <<<"$(best_of_3 $bin analyze "$one")"
read -r t_two m_two <<<"$(best_of_3 $bin analyze -T json "$two")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN{printf "%.2f", n/t/1e6}'; }
echo
echo "file: $one ($records records, $((bytes / 1048576)) MiB, snaplen 128)"
printf "%-34s %9s %10s %12s %10s\n" "command" "seconds" "Mpkt/s" "vs pcap_loop" "peak RSS"
printf "%-34s %9s %10s %12s %8s MiB\n" "pcap_loop (libpcap read limit)" "$t_loop" "$(rate "$records" "$t_loop")" "1.00" $((m_loop / 1024))
printf "%-34s %9s %10s %12s %8s MiB\n" "fabricscope analyze -T json" "$t_json" "$(rate "$records" "$t_json")" "$(ratio "$t_json" "$t_loop")" $((m_json / 1024))
printf "%-34s %9s %10s %12s %8s MiB\n" "fabricscope analyze (table)" "$t_table" "$(rate "$records" "$t_table")" "$(ratio "$t_table" "$t_loop")" $((m_table / 1024))
echo
echo "memory vs packets (same 16 flows): $records records -> $m_json KiB; $records2 records -> $m_two KiB"
