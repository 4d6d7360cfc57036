"""Every public statistics function at the largest input it accepts: time and peak memory.

Each call runs in a fresh process (``python bench_limits.py --one NAME``) after the
package and its dependencies are imported and one small warm-up call has been made, so
that the numbers are those of the call itself:

* ``wall s`` and ``cpu s``: elapsed and CPU time of the call (``time.perf_counter``,
  ``time.process_time``).  The machine is shared; CPU time is what the call costs, wall
  time what a user waits on a quiet machine only when the two agree.
* ``alloc MB``: peak of the memory the call allocates (``tracemalloc``, which sees
  numpy's arrays as well as Python objects).
* ``rss MB``: the process's peak resident memory after the call
  (``resource.getrusage``), imports of numpy, scipy, pandas and statsmodels included.

Targets (appraise/_limits.py): every call within 2 s and 500 MB.  The largest inputs
are the limits of ``appraise._limits`` (a count of a billion, Fisher tables of 2000 per
arm, Barnard/Boschloo at 200 per arm, a sample-size search of 1000 per arm, a million
simulated trials, a grid of 10,001 points, a percentage over ten million patients, a
card of 500 claims).  Past them each function refuses with a ValueError (see
tests/test_bad_input.py).

Run: python benchmarks/bench_limits.py   (prints a table and ``summary:`` lines; no
assertions).  ``--only NAME`` runs one case.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_S, TARGET_MB = 2.0, 500.0
BILLION = 1_000_000_000


def _seed_card_text() -> str:
    import appraise.cards as cards

    return (Path(cards.__file__).parent / "mensc-secretome-covid19.toml").read_text(encoding="utf-8")


def _card(kind: str) -> str:
    """A valid card at a size limit, written to a temporary file; returns its path."""
    import tempfile

    text = _seed_card_text()
    if kind == "2000-per-arm":
        for old, new in (("n_analysed = 14", "n_analysed = 2000"), ("n_analysed = 15", "n_analysed = 2000"),
                         ("n_treat = 14", "n_treat = 2000"), ("n_ctrl = 15", "n_ctrl = 2000"),
                         ("events_treat = 7", "events_treat = 1000"), ("events_ctrl = 12", "events_ctrl = 1600"),
                         ("events_treat = 8", "events_treat = 1140"), ("events_ctrl = 4", "events_ctrl = 560"),
                         ("denominator = 14", "denominator = 2000"), ("events = 9\n", "events = 1280\n")):
            text = text.replace(old, new)
    else:  # as many p-value claims as a card may hold
        from appraise._limits import MAX_CARD_CLAIMS

        present = text.count("[[claims]]")
        extra = "".join(
            f'\n[[claims]]\nid = "extra-p-{i}"\nkind = "p-value"\ntext = "P = 0.{i % 97 + 1:02d}"\n'
            f'outcome = "{"intubation" if i % 2 else "survival"}"\ncomparison = "between-arms"\n'
            f'where = "Table {i}"\n' for i in range(MAX_CARD_CLAIMS - present))
        cut = text.index("[[registrations]]")
        text = text[:cut] + extra + text[cut:]
    folder = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    path = folder / "mensc-secretome-covid19.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def cases() -> dict:
    """name -> (setup returning a zero-argument call, description of the input)."""
    import appraise as ap
    from appraise import simulate
    from appraise.power import solve_two_proportions

    def report(kind):
        def setup():
            trial = ap.load_trial(_card(kind))
            return lambda: ap.report(trial)
        return setup

    def load(kind):
        def setup():
            path = _card(kind)
            return lambda: ap.load_trial(path)
        return setup

    half = BILLION // 2
    return {
        "proportion_ci": (lambda: lambda: ap.proportion_ci(half, BILLION), "n = 1e9"),
        "compare_proportions": (lambda: lambda: ap.compare_proportions(half, BILLION, half + 7000, BILLION),
                                "1e9 per arm"),
        "compare_proportions_200": (lambda: lambda: ap.compare_proportions(100, 200, 120, 200),
                                    "200 per arm (Barnard/Boschloo computed)"),
        "tests_2x2": (lambda: lambda: ap.tests_2x2(half, BILLION, half + 7000, BILLION), "1e9 per arm"),
        "tests_2x2_200": (lambda: lambda: ap.tests_2x2(100, 200, 110, 200), "200 per arm, all five tests"),
        "fisher_pvalue_table": (lambda: lambda: ap.fisher_pvalue_table(2000, 2000), "2000 x 2000"),
        "hypergeometric_table": (lambda: lambda: ap.hypergeometric_table(1000, 2000, 1000, 2000), "2000 per arm"),
        "check_percentage": (lambda: lambda: ap.check_percentage("28%", 10**7), "n = 1e7"),
        "parse_percentage": (lambda: lambda: ap.parse_percentage("28.571428571428571428%"), "20 decimals"),
        "check_reported_p": (lambda: lambda: ap.check_reported_p("P = 0.12", 100, 200, 110, 200),
                             "200 per arm (five tests + smallest attainable)"),
        "check_reported_p_1e9": (lambda: lambda: ap.check_reported_p("P < 0.0001", half, BILLION, half + 9000,
                                                                      BILLION), "1e9 per arm"),
        "check_reported_p_one_sample": (lambda: lambda: ap.check_reported_p_one_sample("P < 0.05", half + 40000,
                                                                                        BILLION), "n = 1e9"),
        "parse_reported_p": (lambda: lambda: ap.parse_reported_p("P = 0." + "0" * 300 + "1"), "301 decimals"),
        "min_attainable_pvalues": (lambda: lambda: ap.min_attainable_pvalues(200, 200), "200 per arm"),
        "smallest_attainable_p": (lambda: lambda: ap.smallest_attainable_p(BILLION, BILLION, total_events=BILLION),
                                  "1e9 per arm"),
        "power_two_proportions": (lambda: lambda: ap.power_two_proportions(0.5, 0.55, n_treat=2000, n_ctrl=2000),
                                  "Fisher, 2000 per arm"),
        "power_two_proportions_normal": (lambda: lambda: ap.power_two_proportions(
            0.5, 0.5001, n_treat=BILLION, test="normal"), "normal, 1e9 per arm"),
        "sample_size_two_proportions": (lambda: lambda: ap.sample_size_two_proportions(0.5, 0.567),
                                        "Fisher, about 1000 per arm"),
        "sample_size_stable": (lambda: lambda: ap.sample_size_two_proportions(0.5, 0.72, stable=True),
                               "Fisher, stable, first crossing near 100"),
        "solve_p_treat": (lambda: lambda: solve_two_proportions(p_ctrl=0.5, n_per_arm=2000, power=0.8),
                          "Fisher, 2000 per arm"),
        "pvalue_at_n": (lambda: lambda: ap.pvalue_at_n(0.5, 0.5001, n_treat=BILLION, n_ctrl=BILLION),
                        "1e9 per arm (scipy)"),
        "simulate_pvalues": (lambda: lambda: ap.simulate_pvalues(0.5, 0.55, n_treat=2000, n_ctrl=2000,
                                                                 n_trials=1_000_000), "1e6 trials, 2000 per arm"),
        "retrodesign_from_counts": (lambda: lambda: ap.retrodesign_from_counts(0.001, half, BILLION, half, BILLION),
                                    "1e9 per arm"),
        "zero_event_bound": (lambda: lambda: ap.zero_event_bound(BILLION), "n = 1e9"),
        "fragility_index": (lambda: lambda: ap.fragility_index(800, 2000, 1000, 2000), "2000 per arm"),
        "reverse_fragility_index": (lambda: lambda: ap.reverse_fragility_index(1000, 2000, 1001, 2000),
                                    "2000 per arm"),
        "probability_of_benefit": (lambda: lambda: ap.probability_of_benefit(half, BILLION, half, BILLION),
                                   "1e9 per arm"),
        "posterior_risk_difference": (lambda: lambda: ap.posterior_risk_difference(
            half, BILLION, half + 9000, BILLION, grid_size=10_001), "1e9 per arm, grid 10,001"),
        "posterior_density": (lambda: lambda: ap.posterior_density(7, 14, 12, 15, grid_size=10_001),
                              "grid 10,001"),
        "simulate_within_group_trials": (lambda: lambda: simulate.simulate_within_group_trials(
            n_treat=14, n_ctrl=15, n_trials=1_000_000 // 29, enrol_above=110), "1e6 patients"),
        "simulate_baseline_followup": (lambda: lambda: simulate.simulate_baseline_followup(
            n_treat=500_000, n_ctrl=500_000), "1e6 patients"),
        "load_trial_500_claims": (load("500-claims"), "card with 500 claims"),
        "report_500_claims": (report("500-claims"), "card with 500 claims"),
        "report_2000_per_arm": (report("2000-per-arm"), "card with 2000 per arm"),
    }


def run_one(name: str) -> dict:
    import resource
    import tracemalloc

    import appraise as ap

    ap.compare_proportions(7, 14, 12, 15)   # warm-up: lazy imports done before timing
    ap.probability_of_benefit(7, 14, 12, 15)
    setup, what = cases()[name]
    call = setup()
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    alloc = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {"name": name, "input": what, "wall": wall, "cpu": cpu, "alloc": alloc, "rss": rss}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    names = args.only or list(cases())
    header = f"{'function':<30} {'input':<46} {'wall s':>7} {'cpu s':>7} {'alloc MB':>9} {'rss MB':>7}"
    print("Every public function at its largest accepted input (fresh process per call)")
    print(header)
    print("-" * len(header))
    rows, failed = [], []
    for name in names:
        proc = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        if proc.returncode != 0:
            failed.append(name)
            print(f"{name:<30} FAILED: {proc.stderr.strip().splitlines()[-1] if proc.stderr else proc.returncode}")
            continue
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        over = row["cpu"] > TARGET_S or row["alloc"] > TARGET_MB or row["rss"] > TARGET_MB
        print(f"{name:<30} {row['input']:<46} {row['wall']:>7.2f} {row['cpu']:>7.2f} {row['alloc']:>9.1f} "
              f"{row['rss']:>7.0f}{'  <- above target' if over else ''}", flush=True)
    if rows:
        worst_cpu = max(rows, key=lambda r: r["cpu"])
        worst_alloc = max(rows, key=lambda r: r["alloc"])
        worst_rss = max(rows, key=lambda r: r["rss"])
        print(f"\nslowest: {worst_cpu['name']} ({worst_cpu['cpu']:.2f} s CPU); largest allocation: "
              f"{worst_alloc['name']} ({worst_alloc['alloc']:.0f} MB); largest process: {worst_rss['name']} "
              f"({worst_rss['rss']:.0f} MB)")
        print(f"summary: limits_worst_cpu_s = {worst_cpu['cpu']:.3f} s")
        print(f"summary: limits_worst_wall_s = {max(r['wall'] for r in rows):.3f} s")
        print(f"summary: limits_worst_alloc_mb = {worst_alloc['alloc']:.1f} MB")
        print(f"summary: limits_worst_rss_mb = {worst_rss['rss']:.1f} MB")
        print(f"summary: limits_cases_over_target = {sum(r['cpu'] > TARGET_S or r['alloc'] > TARGET_MB or r['rss'] > TARGET_MB for r in rows)} ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
