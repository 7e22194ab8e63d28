#!/usr/bin/env bash
# Stops what start-cluster.sh started.
set -uo pipefail
pkill -x slurmd; pkill -x slurmctld
for _ in $(seq 50); do pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || break; sleep 0.1; done
echo "slurm: stopped"
