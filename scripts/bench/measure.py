#!/usr/bin/env python3
"""Times several commands in interleaved rounds (output discarded) and prints one
line per command: "best_seconds median_seconds peak_rss_kib". Wall-clock best and
median over the rounds, then the peak RSS of one more run measured by GNU time
(Python's own rusage would include the forked interpreter).

    measure.py N COMMAND [ARGS...] [:: COMMAND [ARGS...]] ...

Why interleaved: on a shared virtual machine the CPU the host grants drifts from
second to second (and a burst such as a build can leave the VM throttled for a
while). Running the commands round-robin exposes each to the same conditions, so
their ratio stays meaningful even when the absolute times move."""
import statistics
import subprocess
import sys
import tempfile
import time

runs = int(sys.argv[1])
commands, current = [], []
for token in sys.argv[2:]:
    if token == "::":
        commands.append(current)
        current = []
    else:
        current.append(token)
commands.append(current)

times = [[] for _ in commands]
for _ in range(runs):
    for index, command in enumerate(commands):
        start = time.perf_counter()
        status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times[index].append(time.perf_counter() - start)
        if status != 0:
            sys.exit(f"command failed with status {status}: {command}")
for index, command in enumerate(commands):
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        peak = int(report.read().strip().splitlines()[-1])
    print(f"{min(times[index]):.4f} {statistics.median(times[index]):.4f} {peak}")
