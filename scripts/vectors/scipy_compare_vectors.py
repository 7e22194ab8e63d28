#!/usr/bin/env python3
"""Reference answers from scipy for FabricCompare's statistics.

Writes Tests/Vectors/scipy-compare.json:
  - Student's t: two-sided p-values (scipy.stats.t.sf * 2) and quantiles
    (scipy.stats.t.ppf) at integer and fractional degrees of freedom (Welch's test
    gives fractional ones);
  - Welch's t-test on two samples (scipy.stats.ttest_ind(equal_var=False)): the
    statistic, degrees of freedom and p-value, which FabricCompare computes from the
    variances of two means;
  - Benjamini-Hochberg adjusted p-values (scipy.stats.false_discovery_control).
CI does not need scipy: regenerate with
    python3 scripts/vectors/scipy_compare_vectors.py > Tests/Vectors/scipy-compare.json
"""
import json

import numpy as np
import scipy
from scipy import stats

t_cases = []
for df in [1, 2, 3.5, 7, 12.25, 30, 46.7, 200, 1e5]:
    for t in [0.0, 0.3, 1.0, 1.96, 2.5, 4.0, 8.0]:
        t_cases.append({"t": t, "df": df, "two_sided_p": float(2 * stats.t.sf(abs(t), df))})
quantiles = []
for df in [1, 2, 3.5, 7, 12.25, 30, 46.7, 200, 1e5]:
    for p in [0.5, 0.8, 0.9, 0.975, 0.995, 0.9995]:
        quantiles.append({"p": p, "df": df, "t": float(stats.t.ppf(p, df))})

rng = np.random.default_rng(20261201)
welch = []
for n1, n2, shift, scale in [(5, 5, 0.0, 1.0), (8, 12, 0.7, 2.0), (24, 22, 0.1, 0.5), (3, 9, 2.0, 3.0)]:
    a = rng.normal(10, 1, size=n1)
    b = rng.normal(10 + shift, scale, size=n2)
    result = stats.ttest_ind(b, a, equal_var=False)
    va, vb = a.var(ddof=1) / n1, b.var(ddof=1) / n2
    df = (va + vb) ** 2 / (va ** 2 / (n1 - 1) + vb ** 2 / (n2 - 1))
    welch.append({"a": a.tolist(), "b": b.tolist(), "statistic": float(result.statistic), "df": float(df),
                  "p": float(result.pvalue)})

p_sets = [[0.01, 0.04, 0.03, 0.005, 0.5, 0.2], [0.001] * 3 + [0.9, 0.02], [0.8], [0.04, 0.04, 0.04, 0.04]]
bh = [{"p": ps, "adjusted": stats.false_discovery_control(ps, method="bh").tolist()} for ps in p_sets]

print(json.dumps({"scipy": scipy.__version__, "student_t": t_cases, "t_quantiles": quantiles, "welch": welch,
                  "benjamini_hochberg": bh}, indent=1))
