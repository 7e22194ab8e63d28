#!/usr/bin/env bash
# Stops what start-cluster.sh started: slurmd, slurmctld, and munged when it was the
# one that started munged. Safe to run when nothing is running (tests call it on
# every path, also after a failed start).
#   scripts/slurm/stop-cluster.sh [STATE_DIR]    (default /tmp/fabricscope-slurm)
set -uo pipefail
state=${1:-/tmp/fabricscope-slurm}
daemons=(slurmd slurmctld)
[[ -e $state/run/munged.started ]] && daemons+=(munged)
for daemon in "${daemons[@]}"; do pkill -x "$daemon"; done
for _ in $(seq 50); do
  running=0
  for daemon in "${daemons[@]}"; do pgrep -x "$daemon" >/dev/null && running=1; done
  ((running)) || break
  sleep 0.1
done
for daemon in "${daemons[@]}"; do pgrep -x "$daemon" >/dev/null && pkill -9 -x "$daemon"; done
rm -f "$state/run/munged.started"
echo "slurm: stopped"
