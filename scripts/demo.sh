#!/usr/bin/env bash
# Analyses a bundled fixture: installs libpcap-dev if missing, builds, runs `analyze`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --static-swift-stdlib --product fabricscope >&2
.build/release/fabricscope analyze "${@:-Fixtures/generated/ring4-faults.pcap}"
