"""Run every benchmarks/bench_*.py and print one summary table against the targets.

Each script runs in its own process with this interpreter; its output is shown as it
runs, then the numbers are read from it and listed with their targets.  A script that
fails (non-zero exit status) is reported and the others still run.

Numbers are read from lines of the form ``summary: <key> = <number> <unit>`` (every
script may print them; bench_import.py and bench_course.py do), and from the tables of
bench_power.py and bench_widgets.py.  A target whose number is missing is shown as
"not reported".

Run: python benchmarks/run_all.py [--only NAME ...] [--skip NAME ...] [--strict]
(``python3 scripts/dev.py bench`` runs the same scripts).  Exit status: 1 if a script
failed, or with ``--strict`` if a target is not met; 0 otherwise.  No assertions.
"""

from __future__ import annotations

import argparse
import operator
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

SUMMARY_LINE = re.compile(r"^summary:\s*([A-Za-z0-9_.-]+)\s*=\s*([-+0-9.eE]+|nan|inf)\s*(\S*)", re.M)
# bench_power.py:  n/arm  tables  library s  loop s  ratio  max |dp|  power ...
POWER_ROW = re.compile(r"^\s*(\d+)\s+[\d,]+\s+([\d.]+)\s+([\d.]+)\s+(\d+)x\s+([\d.eE+-]+)\s", re.M)
# bench_widgets.py:  control  n  median ms  worst ms
WIDGET_ROW = re.compile(r"^(\S.*?)\s+(\d+)\s+([\d.]+)\s+([\d.]+)(?:\s+<- above target)?\s*$", re.M)
# fallback for a browser script without summary lines: "... median ... <number> ms"
MEDIAN_MS = re.compile(r"median\D*?([\d.]+)\s*ms", re.I)


@dataclass(frozen=True)
class Target:
    key: str
    script: str
    label: str
    relation: str  # ">=" or "<="
    value: float
    unit: str


TARGETS = [
    Target("fisher_power_speedup_200", "bench_power.py",
           "exact Fisher power, 200/arm: speed-up vs fisher_exact loop", ">=", 100, "x"),
    Target("fisher_power_speedup_500", "bench_power.py",
           "exact Fisher power, 500/arm: speed-up (aim)", ">=", 100, "x"),
    Target("fisher_table_max_abs_diff", "bench_power.py",
           "Fisher p-values: max |library - fisher_exact|", "<=", 1e-12, ""),
    Target("widget_median_ms", "bench_widgets.py",
           "widget callbacks: largest median over controls", "<=", 30, "ms"),
    Target("widget_worst_ms", "bench_widgets.py",
           "widget callbacks: worst single callback", "<=", 100, "ms"),
    Target("import_appraise_ms", "bench_import.py",
           "`import appraise` (median, fresh process)", "<=", 100, "ms"),
    Target("import_appraise_heavy_modules", "bench_import.py",
           "heavy libraries loaded by `import appraise`", "<=", 0, ""),
    Target("course_nbval_s", "bench_course.py",
           "whole course, nbval end to end", "<=", 90, "s"),
    Target("course_nbval_exit_status", "bench_course.py",
           "nbval exit status (0 = outputs reproduced)", "<=", 0, ""),
    Target("browser_redraw_median_ms", "bench_browser.py",
           "browser: slider -> redraw, median", "<=", 300, "ms"),
    Target("logrank_range_200_s", "bench_survival.py",
           "log-rank p range, 200/arm (40% vs 60% deaths)", "<=", 1, "s"),
    Target("grimmer_n10000_ms", "bench_continuous.py",
           "GRIMMER at n = 10,000 (slowest case), median", "<=", 100, "ms"),
    Target("limits_worst_cpu_s", "bench_limits.py",
           "every public function at its largest input: slowest (CPU)", "<=", 2, "s"),
    Target("limits_worst_alloc_mb", "bench_limits.py",
           "every public function at its largest input: largest allocation", "<=", 500, "MB"),
    Target("limits_worst_rss_mb", "bench_limits.py",
           "every public function at its largest input: largest process", "<=", 500, "MB"),
]
# numbers shown without a target (context for the targets above)
INFO = {
    "import_scipy_stats_ms": ("`import scipy.stats` (median, fresh process)", "ms"),
    "first_load_trial_ms": ("first access to ap.load_trial", "ms"),
    "first_compare_proportions_ms": ("first access to ap.compare_proportions", "ms"),
    "course_nbclient_s": ("whole course, nbclient, sum over notebooks", "s"),
    "limits_worst_wall_s": ("every public function at its largest input: slowest (wall, shared machine)", "s"),
}

COMPARE = {">=": operator.ge, "<=": operator.le}


def parse(script: str, output: str) -> dict[str, float]:
    found = {key: float(value) for key, value, _ in SUMMARY_LINE.findall(output)}
    if script == "bench_power.py":
        for n, _lib, _loop, ratio, diff in POWER_ROW.findall(output):
            found.setdefault(f"fisher_power_speedup_{n}", float(ratio))
            key = "fisher_table_max_abs_diff"
            found[key] = max(found.get(key, 0.0), float(diff))
    elif script == "bench_widgets.py":
        rows = [(float(med), float(worst)) for _name, _n, med, worst in WIDGET_ROW.findall(output)]
        if rows:
            found.setdefault("widget_median_ms", max(med for med, _ in rows))
            found.setdefault("widget_worst_ms", max(worst for _, worst in rows))
    elif script == "bench_browser.py" and "browser_redraw_median_ms" not in found:
        match = MEDIAN_MS.search(output)
        if match:
            found["browser_redraw_median_ms"] = float(match.group(1))
    return found


def run_script(path: Path) -> tuple[int, str, float]:
    """Run one script, echoing its output line by line; return status, output, seconds."""
    print(f"\n=== {path.name} " + "=" * max(0, 60 - len(path.name)), flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(path)], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    status = proc.wait()
    elapsed = time.perf_counter() - start
    print(f"--- {path.name}: exit status {status}, {elapsed:.1f} s", flush=True)
    return status, "".join(lines), elapsed


def fmt(value: float, unit: str) -> str:
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e6):
        text = f"{value:.1e}"
    elif unit == "x" or float(value).is_integer():
        text = f"{value:.0f}"
    else:
        text = f"{value:.1f}"
    return f"{text} {unit}".strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scripts (e.g. bench_power)")
    parser.add_argument("--skip", nargs="+", metavar="NAME", default=[], help="skip these scripts")
    parser.add_argument("--strict", action="store_true", help="exit status 1 when a target is not met")
    args = parser.parse_args(argv)

    def stem(name: str) -> str:
        return Path(name).stem

    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [p for p in scripts if p.stem in {stem(n) for n in args.only}]
    scripts = [p for p in scripts if p.stem not in {stem(n) for n in args.skip}]
    if not scripts:
        print("run_all.py: no benchmark script selected", file=sys.stderr)
        return 1

    numbers: dict[str, float] = {}
    statuses: dict[str, tuple[int, float]] = {}
    for path in scripts:
        status, output, elapsed = run_script(path)
        statuses[path.name] = (status, elapsed)
        numbers.update(parse(path.name, output))

    print("\nSummary")
    header = f"{'measure':58s} {'value':>12s} {'target':>12s}  verdict"
    print(header)
    print("-" * len(header))
    missed = 0
    for target in TARGETS:
        if target.script not in statuses:
            continue
        goal = f"{target.relation} {fmt(target.value, target.unit)}"
        if target.key in numbers:
            value = numbers[target.key]
            met = COMPARE[target.relation](value, target.value)
            verdict = "met" if met else "NOT MET"
            missed += not met
            shown = fmt(value, target.unit)
        else:
            shown, verdict = "-", "not reported"
        print(f"{target.label:58s} {shown:>12s} {goal:>12s}  {verdict}")
    for key, (label, unit) in INFO.items():
        if key in numbers:
            print(f"{label:58s} {fmt(numbers[key], unit):>12s} {'':>12s}  (context)")
    print()
    failed = [name for name, (status, _) in statuses.items() if status != 0]
    for name, (status, elapsed) in statuses.items():
        print(f"{name:24s} exit status {status}, {elapsed:7.1f} s")
    if failed:
        print(f"run_all.py: failed scripts: {', '.join(failed)}")
        return 1
    if missed:
        print(f"run_all.py: {missed} target(s) not met")
        return 1 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
