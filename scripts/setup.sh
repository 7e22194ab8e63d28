#!/usr/bin/env bash
# Installs the Debian packages FabricScope builds and tests with, if missing.
# Usage: scripts/setup.sh [--test]   (--test adds tshark, the independent decoder the tests
# compare with; Python's jsonschema, which validates the JSON output against its schema;
# HdrHistogram_py, which reads the histogram encodings; the sqlite3 shell, which reads
# the run history; Prometheus (promtool checks the metrics text and the alert rules; the
# server and node_exporter run the monitoring-stack test); and Slurm with
# munge, on which the fan-out recipe is run for real)
set -euo pipefail
# The one prerequisite this script cannot install: a Swift toolchain (6.0 or later;
# swift.org/install or swiftly). Said plainly rather than as a build failure later.
if ! command -v swift >/dev/null; then
  echo "setup.sh: no Swift toolchain on PATH: FabricScope builds with Swift 6.0 or later" \
    "(install it from https://swift.org/install, then run this again)" >&2
  exit 2
fi
packages=(libpcap-dev zlib1g-dev pkg-config libsqlite3-dev)
if [[ "${1:-}" == "--test" ]]; then packages+=(tshark sqlite3 prometheus prometheus-node-exporter slurm-wlm munge); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ "${1:-}" == "--test" ]] && ! python3 -c "import jsonschema, hdrh" 2>/dev/null; then
  # The tests' independent checkers: a JSON Schema validator and HdrHistogram_py.
  python3 -m pip install --quiet jsonschema hdrhistogram
fi
