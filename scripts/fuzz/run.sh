#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 30) from seeds made from the fixtures,
# and fails if any input crashes, leaks past 2 GiB, or runs longer than 10 s.
#
#   scripts/fuzz/run.sh [SECONDS]        # CI runs it short; docs/robustness.md has long runs
#
# Findings are written to .build-fuzz/artifacts/; replay one with the ordinary build:
#   swift build --product fuzz-packets && .build/debug/fuzz-packets .build-fuzz/artifacts/crash-…
# Each target's final libFuzzer line (executions, exec/s, coverage) is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
bin=$(scripts/fuzz/build.sh)
work=.build-fuzz/work
rm -rf "$work"
mkdir -p "$work" .build-fuzz/artifacts
python3 scripts/fuzz/make_seeds.py "$work/seeds"
status=0
for target in packets summary; do
  corpus="$work/corpus-$target"
  mkdir -p "$corpus"
  log="$work/$target.log"
  echo "fuzz-$target: ${seconds}s" >&2
  if ! "$bin/fuzz-$target" "$corpus" "$work/seeds/$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix=.build-fuzz/artifacts/ \
      > "$log" 2>&1; then
    echo "fuzz-$target: FOUND A PROBLEM (see $log and .build-fuzz/artifacts/)" >&2
    tail -40 "$log" >&2
    status=1
  fi
  grep -E "^#[0-9]+.*(DONE|cov:)" "$log" | tail -1 | sed "s/^/fuzz-$target: /"
  grep -E "stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" | sed "s/^/fuzz-$target: /"
done
exit $status
