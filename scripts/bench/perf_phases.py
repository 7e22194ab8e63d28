#!/usr/bin/env python3
"""Where a run's time went, phase by phase, from a `perf record -g` profile.

    perf record -e cpu-clock -g -o run.data fabricscope merge -T json --top 10 S.json -o /dev/null
    scripts/bench/perf_phases.py run.data [bucket seconds, default 0.1]

Each sample (on any thread) is put in the first phase whose pattern one of its stack
frames matches, and counted per time bucket: a line per bucket shows what both cores
were doing then, so a stretch where one core works alone stands out. Phases name the
functions of reading a summary and building its report (docs/performance.md,
"Reading a 10⁵-flow summary: the report side"); samples matching none are "other"
(allocation and the kernel's page faults, whose stacks perf often cannot walk).
"""
import collections
import re
import subprocess
import sys

PHASES = [
    ("parse", r"TapeParser"),
    ("readfile", r"TapeStorage|parsingContentsOf"),
    ("flows", r"FlowList|FlowV4tape"),
    ("validate", r"checkFlows|validate"),
    ("output", r"JSONByteWriter|jsonBytes|OutputFile"),
    ("traffic", r"RunMetricsV7traffic"),
    ("document", r"AnalysisDocumentV7summary11collectives"),
    ("ring", r"FabricModels"),
    ("report", r"AnalysisDocument"),
    ("merge", r"SummaryMerger"),
]


def samples(data):
    text = subprocess.run(["perf", "script", "-i", data, "-F", "tid,time,ip,sym"],
                          capture_output=True, text=True, check=True).stdout
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        head = lines[0].split()
        yield float(head[1].rstrip(":")), [line.strip().split(None, 1)[-1] for line in lines[1:]]


def main():
    data = sys.argv[1]
    bucket = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    grid = collections.defaultdict(collections.Counter)
    total = collections.Counter()
    start = None
    for time, frames in samples(data):
        start = time if start is None else start
        phase = next((name for name, pattern in PHASES if any(re.search(pattern, f) for f in frames)), "other")
        grid[int((time - start) / bucket)][phase] += 1
        total[phase] += 1
    for index in sorted(grid):
        print(f"{index * bucket:5.1f}s", " ".join(f"{k}:{v}" for k, v in grid[index].most_common()))
    print("all:", " ".join(f"{k}:{v}" for k, v in total.most_common()))


if __name__ == "__main__":
    main()
