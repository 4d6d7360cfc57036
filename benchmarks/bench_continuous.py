"""Speed of the continuous-outcome checks (GRIM, GRIMMER, DEBIT, t-test p-value ranges).

Each measurement is the median (and the worst) of several calls in this process, after
one warm-up call, timed with ``time.perf_counter``.  The cases:

* ``grimmer`` at n = 10,000 with a mean and SD printed to 2 decimals: the 101 whole-number
  totals that fit the mean are all examined when the SD fits none of them (the slowest
  case at that n).  Target: under 100 ms.
* ``grimmer`` and ``debit`` at the largest accepted work (about 20,000 totals).
* ``grim`` at n = 10**9.
* ``ttest_from_summary`` with its p-value range: Student's (four corners of the rounding
  box) and Welch's (numerical search over the SDs).
* ``between_from_within`` over a range of correlations.

Run: python benchmarks/bench_continuous.py [--runs N]   (prints a table and ``summary:``
lines read by run_all.py; no assertions)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appraise.continuous import (between_from_within, debit, grim, grimmer,  # noqa: E402
                                 ttest_from_summary)

CASES = [
    ("grimmer_n10000_ms", "grimmer n=10,000, inconsistent SD (101 totals)",
     lambda: grimmer("5.21", "0.00", 10_000)),
    ("grimmer_n10000_consistent_ms", "grimmer n=10,000, consistent",
     lambda: grimmer("5.21", "1.60", 10_000)),
    ("grimmer_largest_ms", "grimmer n=1,999,000 (19,991 totals), inconsistent",
     lambda: grimmer("5.21", "0.00", 1_999_000)),
    ("debit_largest_ms", "debit n=1,999,000 (19,991 counts), inconsistent",
     lambda: debit("0.50", "0.00", 1_999_000)),
    ("grim_ms", "grim n=10**9", lambda: grim("5.123456789012", 10 ** 9)),
    ("ttest_range_student_ms", "ttest_from_summary + p range, Student",
     lambda: ttest_from_summary("61.00", "17.87", 12, "57.86", "15.79", 29)),
    ("ttest_range_welch_ms", "ttest_from_summary + p range, Welch",
     lambda: ttest_from_summary("61.00", "17.87", 12, "57.86", "15.79", 29, equal_var=False)),
    ("between_from_within_ms", "between_from_within, r 0 to 0.9",
     lambda: between_from_within(52, 11, 40, 9, 14, 50, 12, 47, 13, 15)),
]


def measure(func, runs: int) -> tuple[float, float]:
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times), max(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed calls per case (default 7)")
    args = parser.parse_args(argv)
    print(f"{'case':58s} {'median ms':>10s} {'worst ms':>10s}")
    results = {}
    for key, label, func in CASES:
        med, worst = measure(func, args.runs)
        results[key] = med
        print(f"{label:58s} {med:10.2f} {worst:10.2f}")
    print()
    for key, value in results.items():
        print(f"summary: {key} = {value:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
