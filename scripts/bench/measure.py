#!/usr/bin/env python3
"""Runs a command N times (output discarded) and prints "best_seconds median_seconds
peak_rss_kib": wall-clock best and median of the runs, then the peak RSS of one more
run measured by GNU time (Python's own rusage would include the forked interpreter).
    measure.py N COMMAND [ARGS...]"""
import resource
import statistics
import subprocess
import sys
import tempfile
import time

runs = int(sys.argv[1])
times = []
for _ in range(runs):
    start = time.perf_counter()
    process = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = process.wait()
    times.append(time.perf_counter() - start)
    if status != 0:
        sys.exit(f"command failed with status {status}: {sys.argv[2:]}")
with tempfile.NamedTemporaryFile("r") as report:
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + sys.argv[2:],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    peak = int(report.read().strip().splitlines()[-1])
print(f"{min(times):.4f} {statistics.median(times):.4f} {peak}")
