#!/usr/bin/env bash
# Renders a FabricScope HTML report in headless Chromium and saves a screenshot, to
# look at what a person will see (the report must render with no network access).
#   scripts/report-screenshot.sh [CAPTURE_OR_SUMMARY] [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-}
out=${2:-bench-out/report.png}
mkdir -p "$(dirname "$out")" bench-out
command -v chromium >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
swift build --product fabricscope >&2
bin=.build/debug/fabricscope
if [[ -z $input ]]; then
  input=bench-out/report-demo.pcap
  $bin generate --force "$input" --ranks 6 --size 8MiB --iterations 3 --loss 0.0005 --ce 0.03 --pfc 3 \
    --jitter 2us --slow-link 2:1.5 --snaplen 128
fi
$bin report --force "$input" -o bench-out/report.html --window 20us
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,3400 \
  --screenshot="$out" "file://$PWD/bench-out/report.html" 2>/dev/null
echo "screenshot: $out"
