#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the tests
# need (libpcap-dev, tshark, Python's jsonschema), then `swift test` (XCTest; the
# suite has no swift-testing tests, so that runner is off and cannot close the log
# with a misleading "0 tests" line). Ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --disable-swift-testing "$@" 2>&1 | tee "$log" || status=$?
summary=$(grep -E "^\s+Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n 1 || true)
if [[ -n $summary ]]; then
  total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
  echo "$((total - failed)) passed, $failed failed"
fi
exit $status
