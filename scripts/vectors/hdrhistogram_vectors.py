#!/usr/bin/env python3
"""Known HdrHistogram encodings from another implementation (HdrHistogram_py, PyPI
package `hdrhistogram`), for FabricScope's V2 encoder/decoder tests.

Writes Tests/Vectors/hdrhistogram-python.json: for each seeded sample set,
the compressed base64 V2 encoding HdrHistogram_py writes (lowest value 1, highest
one hour in ns, 3 significant digits), its total count, and the (value, count) pairs
of its recorded buckets. Regenerate with:
    pip install hdrhistogram
    python3 scripts/vectors/hdrhistogram_vectors.py > Tests/Vectors/hdrhistogram-python.json
"""
import json
import random

from hdrh.histogram import HdrHistogram

random.seed(20261129)
cases = {
    "empty": [],
    "one_value": [1000],
    "small_exact": [0, 1, 2, 3, 1023, 1024, 2047, 2048, 2049, 4095],
    "ack_latency_like": [int(random.lognormvariate(8.0, 0.4)) for _ in range(3000)],
    "wide_range": [random.randint(1, 10) * 10 ** random.randint(0, 11) for _ in range(2000)],
}
out = []
for name, samples in cases.items():
    histogram = HdrHistogram(1, 3600 * 10**9, 3)
    for value in samples:
        histogram.record_value(value)
    buckets = []
    for item in histogram.get_recorded_iterator():
        buckets.append([histogram.get_lowest_equivalent_value(item.value_iterated_to), item.count_at_value_iterated_to])
    out.append({
        "name": name,
        "encoded": histogram.encode().decode("ascii"),
        "total": histogram.get_total_count(),
        "buckets": buckets,
        "samples": samples,
    })
print(json.dumps(out))
