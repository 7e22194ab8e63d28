#!/usr/bin/env bash
# How often `analyze` finds the right number of ring iterations from the pauses in the
# traffic (no --idle-gap), over generated rings: 3, 4 and 8 ranks; 1 and 2 QPs; no loss
# and 1 % loss; 10 µs, 100 µs and 2 ms between iterations; 1 and 3 iterations; seeds
# fixed so the result is reproducible. Prints one line per miss and a tally per loss
# rate; docs/models.md records the result. Takes a few minutes with a release build.
#
#   scripts/sweeps/iterations.sh [fabricscope binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release/fabricscope}
[[ -x $bin ]] || swift build -c release --product fabricscope >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A ok total
seed=0
for ranks in 3 4 8; do for qps in 1 2; do for loss in 0 0.01; do for gap in 10us 100us 2ms; do for it in 1 3; do
  seed=$((seed + 1))
  "$bin" generate "$work/s.pcap" --ranks $ranks --qps $qps --loss $loss --iteration-gap $gap --iterations $it \
    --size 256KiB --seed $seed --force >/dev/null 2>&1
  got=$("$bin" analyze -T json "$work/s.pcap" | python3 -c "
import json, sys
c = json.load(sys.stdin)['collectives']
print(c[0]['iterations'] if c else 0, c[0]['iterations_certain'] if c else '-')")
  total[$loss]=$(( ${total[$loss]:-0} + 1 ))
  if [[ ${got%% *} == "$it" ]]; then ok[$loss]=$(( ${ok[$loss]:-0} + 1 ))
  else echo "miss: ranks=$ranks qps=$qps loss=$loss gap=$gap iterations=$it seed=$seed → found ${got%% *} (certain: ${got##* })"; fi
done; done; done; done; done
for loss in 0 0.01; do echo "loss $loss: ${ok[$loss]:-0} of ${total[$loss]} right"; done
