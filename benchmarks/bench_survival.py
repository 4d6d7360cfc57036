"""Log-rank p range over orderings of deaths: exact search vs listing every ordering.

For n patients per arm with 40% of the treated and 60% of the controls dying, times
``appraise.survival.logrank_pvalue_range`` (median of 3 runs) and, where it fits in
memory, listing every ordering at once with NumPy (``E`` and ``V`` of all
``comb(deaths, treated deaths)`` orderings, the brute force).  Where listing is out of
reach its time is extrapolated from the time per ordering measured at the largest size
listed, and the table says so.  The two agree on the smallest and largest p wherever
both ran.

Run: python benchmarks/bench_survival.py   (prints a table and summary lines; no
assertions)
"""

from __future__ import annotations

import math
import statistics
import time

from scipy import stats

from appraise import _logrank_paths as paths
from appraise.survival import logrank_pvalue_range

SIZES = (10, 15, 20, 50, 100, 200, 500)
LIST_MAX_CELLS = 20_000_000
# equal deaths (E can pass O: meet in the middle, then exchange search), all deaths at
# the size limit, unequal arms
EXTRA = ((10, 20, 10, 20), (17, 40, 17, 40), (250, 500, 250, 500), (399, 400, 399, 400),
         (398, 400, 399, 1000), (30, 500, 300, 300))


def library(n: int, d1: int, d0: int):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = logrank_pvalue_range(d1, n, d0, n)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def listing(n: int, d1: int, d0: int):
    start = time.perf_counter()
    big_e, big_v, _ = paths.all_orderings(n, n, d1, d0)
    p = stats.chi2.sf((d1 - big_e) ** 2 / big_v, 1)
    return time.perf_counter() - start, float(p.min()), float(p.max())


def main() -> None:
    header = (f"{'n/arm':>6} {'deaths':>8} {'orderings':>10} {'exact s':>9} {'listing s':>11} "
              f"{'ratio':>10}  {'low p':>9} {'high p':>9}  method / listing")
    print("Log-rank p range over orderings, 40% vs 60% deaths")
    print(header)
    print("-" * len(header))
    per_ordering = None
    for n in SIZES:
        d1, d0 = round(0.4 * n), round(0.6 * n)
        count = math.comb(d1 + d0, d1)
        exact_s, result = library(n, d1, d0)
        if count * (d1 + d0) <= LIST_MAX_CELLS:
            list_s, low, high = listing(n, d1, d0)
            per_ordering = list_s / count
            agree = math.isclose(low, result.low, rel_tol=1e-9) and math.isclose(high, result.high, rel_tol=1e-9)
            note = "all listed, " + ("same range" if agree else "RANGES DIFFER")
            shown = f"{list_s:11.3f}"
        else:
            list_s = per_ordering * count
            note = "listing extrapolated"
            shown = f"{list_s:11.3g}"
        ratio = list_s / exact_s
        print(f"{n:>6} {f'{d1}/{d0}':>8} {count:>10.3g} {exact_s:>9.4f} {shown} {ratio:>9.3g}x  "
              f"{result.low:>9.3g} {result.high:>9.3g}  {result.method} / {note}", flush=True)
        print(f"summary: logrank_range_{n}_s = {exact_s:.4f} s")
    print("\nOther shapes (events_treat/n_treat vs events_ctrl/n_ctrl), median of 3 runs:")
    worst = 0.0
    for d1, n1, d0, n0 in EXTRA:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = logrank_pvalue_range(d1, n1, d0, n0)
            times.append(time.perf_counter() - start)
        worst = max(worst, statistics.median(times))
        print(f"  {d1}/{n1} vs {d0}/{n0}: {statistics.median(times):.3f} s, {result.method}, "
              f"high {'proved' if result.high_exact else 'not proved (largest p between high and 1)'}, "
              f"p from {result.low:.3g} to {result.high!r}")
    print(f"summary: logrank_range_other_worst_s = {worst:.3f} s")
    seed = logrank_pvalue_range(6, 14, 11, 15)
    print(f"seed trial (6/14 vs 11/15 deaths): log-rank p from {seed.low:.4f} to {seed.high:.3f}")


if __name__ == "__main__":
    main()
