#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine, without systemd: munged,
# slurmctld and slurmd from Debian's slurm-wlm and munge packages, configured under
# a state directory. For the fan-out test (and to try docs/nightly.md's recipe on a
# laptop). Needs root (slurmd runs jobs as their users).
#
#   scripts/slurm/start-cluster.sh [STATE_DIR]    (default /tmp/fabricscope-slurm)
#   scripts/slurm/stop-cluster.sh [STATE_DIR]
#
# Facts this relies on (Slurm 22.05, Debian 12):
#   - slurmd needs a cgroup.conf; with no cgroup hierarchy mounted (containers),
#     CgroupPlugin=cgroup/v1 lets it start, and proctrack/linuxproc + task/none
#     keep it from using cgroups at all.
#   - A host name that does not resolve: SlurmctldHost=HOST(127.0.0.1),
#     NodeAddr=127.0.0.1 and munged --origin=127.0.0.1.
#   - MinJobAge=5 and batch_sched_delay=0 keep 'sbatch --wait' quick.
set -euo pipefail
# The daemons outlive this script: they must not hold its caller's descriptors (a
# test runner that waits for its child's pipes would wait for them forever).
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
done
state=${1:-/tmp/fabricscope-slurm}
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
for program in munged slurmctld slurmd sbatch; do
  command -v "$program" >/dev/null || { echo "start-cluster: $program is missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
mkdir -p "$state"/{spool/ctld,spool/d,log,run,munge}
conf=/etc/slurm
mkdir -p "$conf"

# munge: a key, and a daemon reachable on its default socket (Slurm's clients use it).
if [[ ! -s /etc/munge/munge.key ]]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge 2>/dev/null || true
chmod 700 /etc/munge; chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
if ! pgrep -x munged >/dev/null; then
  origin=()
  getent hosts "$host" >/dev/null || origin=(--origin=127.0.0.1)
  runuser -u munge -- munged --force "${origin[@]}" </dev/null >/dev/null 2>&1 || munged --force "${origin[@]}" </dev/null >/dev/null 2>&1
  # Started here, so stop-cluster.sh stops it too (a munged that was already running is left alone).
  touch "$state/run/munged.started"
fi
for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
munge -n | unmunge >/dev/null

address=127.0.0.1
cat > "$conf/slurm.conf" <<CONF
ClusterName=fabricscope
SlurmctldHost=$host($address)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=5
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
NodeName=$host NodeAddr=$address CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
cat > "$conf/cgroup.conf" <<CONF
CgroupPlugin=cgroup/v1
CONF

pgrep -x slurmctld >/dev/null || slurmctld </dev/null >/dev/null 2>&1
pgrep -x slurmd >/dev/null || slurmd </dev/null >/dev/null 2>&1
# Ready when the node takes jobs.
for _ in $(seq 100); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
    echo "slurm: single-node cluster up ($host, $cpus CPUs; state in $state)"
    exit 0
  fi
  scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true
  sleep 0.2
done
echo "start-cluster: the node did not become idle; logs in $state/log" >&2
sinfo >&2 || true
tail -n 20 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
exit 1
