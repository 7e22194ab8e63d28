#!/usr/bin/env bash
# Cost of `fabricscope compare` on two ~1 M-packet captures against analysing both
# (the issue's bar: no more than analysing both plus a small constant). Prints a
# table; the figures are recorded in docs/performance.md.
#
#   scripts/bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${BENCH_DIR:-bench-out}
mkdir -p "$work"
scripts/setup.sh >/dev/null
[[ -x /usr/bin/time ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
swift build -c release --static-swift-stdlib --product fabricscope >&2
bin=.build/release/fabricscope
for side in a b; do
  file="$work/compare-$side.pcap"
  seed=$([[ $side == a ]] && echo 1 || echo 2)
  [[ -f $file ]] || $bin generate "$file" --ranks 8 --size 256MiB --iterations 1 --snaplen 128 \
    --loss 0.0001 --ce 0.01 --pfc 20 --random-qps --seed "$seed" >&2
done
a=$work/compare-a.pcap b=$work/compare-b.pcap
packets=$($bin analyze -T json "$a" | python3 -c 'import json,sys; print(json.load(sys.stdin)["capture"]["packets"])')
sleep "${BENCH_SETTLE:-5}"
{
  read -r t_a med_a m_a
  read -r t_b med_b m_b
  read -r t_sa med_sa m_sa
  read -r t_sb med_sb m_sb
  read -r t_c med_c m_c
} < <(python3 scripts/bench/measure.py "${BENCH_RUNS:-5}" $bin analyze -T json "$a" :: $bin analyze -T json "$b" \
        :: $bin analyze "$a" --summary-out "$work/sa.json" --force -o /dev/null :: $bin analyze "$b" --summary-out "$work/sb.json" --force -o /dev/null \
        :: $bin compare "$a" "$b" -o /dev/null)
echo
echo "captures: $a, $b (about $packets packets each, 128-byte snaplen)"
printf "%-44s %8s %8s %9s\n" "command" "best s" "median s" "peak RSS"
row() { printf "%-44s %8s %8s %5s MiB\n" "$1" "$2" "$3" $(($4 / 1024)); }
row "analyze -T json A" "$t_a" "$med_a" "$m_a"
row "analyze -T json B" "$t_b" "$med_b" "$m_b"
row "analyze --summary-out A (per-window data)" "$t_sa" "$med_sa" "$m_sa"
row "analyze --summary-out B (per-window data)" "$t_sb" "$med_sb" "$m_sb"
row "compare A B" "$t_c" "$med_c" "$m_c"
awk -v c="$t_c" -v a="$t_a" -v b="$t_b" 'BEGIN{printf "compare / (analyze A + analyze B) = %.2f\n", c/(a+b)}'
