#!/usr/bin/env python3
"""Reference statistics from numpy for FabricScope's Distribution type.

Writes Tests/Vectors/numpy-distributions.json: seeded samples (integer ns)
and numpy's answers: count, min, max, mean, population std, and nearest-rank
percentiles, the sample of rank ceil(p/100 * n). The rank is computed in exact
rational arithmetic: numpy's own "inverted_cdf" method computes p/100 * n in floating
point, and 0.999 * 10000 = 9990.000000000002 then lands one rank too high. The order
statistic itself comes from numpy's sort. CI does not need numpy: regenerate with
    python3 scripts/vectors/numpy_distribution_vectors.py > Tests/Vectors/numpy-distributions.json
"""
import json
import math
from fractions import Fraction

import numpy as np

rng = np.random.default_rng(20261129)
cases = {
    # RoCE ACK latency: a few µs with a long tail.
    "lognormal_ack_latency": np.round(rng.lognormal(mean=np.log(3000), sigma=0.35, size=5000)).astype(np.int64),
    # A mostly constant service time with rare 100× outliers.
    "bimodal_tail": np.concatenate([rng.integers(990, 1010, size=9990), rng.integers(100_000, 200_000, size=10)]),
    # Exponential jitter on a fixed base, wide range (up to ms).
    "exponential_jitter": (5000 + np.round(rng.exponential(scale=20_000, size=20000))).astype(np.int64),
    "single_sample": np.array([42], dtype=np.int64),
}
percentiles = [50, 90, 99, 99.9, 99.99]
out = []
for name, samples in cases.items():
    out.append({
        "name": name,
        "samples": [int(v) for v in samples],
        "count": int(samples.size),
        "min": int(samples.min()),
        "max": int(samples.max()),
        "mean": float(samples.mean()),
        "std": float(samples.std()),
        "percentiles": {str(p): int(np.sort(samples)[math.ceil(Fraction(str(p)) * samples.size / 100) - 1])
                        for p in percentiles},
    })
print(json.dumps(out))
