#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the tests
# need (libpcap-dev, tshark), then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
swift test "$@"
