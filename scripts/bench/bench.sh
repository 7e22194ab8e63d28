#!/usr/bin/env bash
# Throughput and memory of `fabricscope analyze` against the libpcap read limit (a
# plain pcap_loop over the same file, same 1 MiB stdio buffer), in one run on one
# machine. Prints a table; record the figures in docs/performance.md.
#
#   scripts/bench/bench.sh [PACKETS_SCALE]   (default 1: about 1.8 M packets)
#
# Timing is wall clock, best (and median) of 11 interleaved rounds (measure.py says
# why interleaved); the file is in the page cache
# after the first run, so this measures CPU work, not the disk. Memory is peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-1}
work=${BENCH_DIR:-bench-out}
mkdir -p "$work"
scripts/setup.sh >/dev/null
[[ -x /usr/bin/time ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
swift build -c release --static-swift-stdlib --product fabricscope >&2
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

runs=${BENCH_RUNS:-11}

size=$((512 * scale))MiB
one=$(capture "ring8-x1-$scale" "$size" 1)
two=$(capture "ring8-x2-$scale" "$size" 2)
records=$("$work/pcap_loop_baseline" "$one" | cut -d' ' -f1)
records2=$("$work/pcap_loop_baseline" "$two" | cut -d' ' -f1)
bytes=$(stat -c %s "$one")

# Let the machine settle after the build (a shared VM can stay throttled for a
# while after a burst), then time the baseline and analyze in interleaved rounds.
sleep "${BENCH_SETTLE:-10}"
{
  read -r t_loop med_loop m_loop
  read -r t_json med_json m_json
  read -r t_table med_table m_table
} < <(python3 scripts/bench/measure.py "$runs" "$work/pcap_loop_baseline" "$one" \
        :: $bin analyze -T json "$one" :: $bin analyze "$one")
read -r t_two med_two m_two < <(python3 scripts/bench/measure.py 3 $bin analyze -T json "$two")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN{printf "%.2f", n/t/1e6}'; }
echo
echo "file: $one ($records records, $((bytes / 1048576)) MiB, snaplen 128)"
printf "%-32s %8s %8s %8s %13s %9s\n" "command" "best s" "median s" "Mpkt/s" "vs pcap_loop" "peak RSS"
row() { printf "%-32s %8s %8s %8s %13s %5s MiB\n" "$1" "$2" "$3" "$(rate "$records" "$2")" "$(ratio "$2" "$t_loop")" $(($4 / 1024)); }
row "pcap_loop (libpcap read limit)" "$t_loop" "$med_loop" "$m_loop"
row "fabricscope analyze -T json" "$t_json" "$med_json" "$m_json"
row "fabricscope analyze (table)" "$t_table" "$med_table" "$m_table"
echo
echo "memory vs packets (same 16 flows): $records records -> $m_json KiB; $records2 records -> $m_two KiB"
