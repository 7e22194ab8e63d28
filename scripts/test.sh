#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the tests
# need (libpcap-dev, tshark, Python's jsonschema and HdrHistogram_py), then `swift test`
# (XCTest; the suite has no swift-testing tests, so that runner is off and cannot close
# the log with a misleading "0 tests" line). Ends with one "N passed, N failed, N skipped"
# line. Skips are counted, never folded into "passed"; under CI (CI set) a skipped test
# is a failure, because a skip there means an independent checker (tshark, jsonschema,
# HdrHistogram_py, the shared real captures) is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# The explicit dependency check: a target that imports a module it does not declare fails the build.
swift test --disable-swift-testing --explicit-target-dependency-import-check error "$@" 2>&1 | tee "$log" || status=$?
# XCTest closes with "Executed N tests, with [K tests skipped and ]F failures (…)".
summary=$(grep -E "^\s+Executed [0-9]+ tests?, with " "$log" | tail -n 1 || true)
if [[ -z $summary ]]; then
  echo "test.sh: no XCTest summary line in the output" >&2
  exit $((status == 0 ? 1 : status))
fi
total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failed=$(sed -E 's/.* ([0-9]+) failures? \(.*/\1/' <<<"$summary")
skipped=0
if grep -qE "[0-9]+ tests? skipped" <<<"$summary"; then
  skipped=$(sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/' <<<"$summary")
fi
if [[ -n ${CI:-} && $skipped -gt 0 ]]; then
  echo "test.sh: $skipped test(s) skipped under CI; a checker the tests rely on is missing:" >&2
  grep -E "skipped|XCTSkip|is not installed|is missing" "$log" | grep -v "Executed" | sort -u >&2 || true
  status=1
fi
passed=$(grep -cE "^Test Case '.*' passed \(" "$log" || true)
if ((total == 0 || passed == 0)); then
  echo "test.sh: no test passed (of $total run)" >&2
  status=$((status == 0 ? 1 : status))
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
