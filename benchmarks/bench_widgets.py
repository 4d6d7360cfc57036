"""Callback time of every explorer control (targets: median <= 30 ms, worst <= 100 ms).

Run: python benchmarks/bench_widgets.py
Each control is moved through a sweep of values after the explorer is built; the time of
the whole observer chain (statistics, chart spec, JupyterChart update) is measured.  The
first sweeps are the lesson's usual moves; the later ones add the extremes (n = 1 and 300,
risks 0 and 1) and risks whose exact sample-size search runs far beyond the curve's grid.
"""

import statistics
import time

import appraise.widgets as wd
from appraise.trials import load_trial


def sweep(name, control, values, rows, *, click=False):
    times = []
    for v in values:
        t0 = time.perf_counter()
        if click:
            control.click()
        else:
            control.value = v
        times.append(1000 * (time.perf_counter() - t0))
    rows.append((name, len(times), statistics.median(times), max(times)))


def main():
    trial = load_trial("mensc-secretome-covid19")
    rows = []
    ss = wd.SampleSizeExplorer(trial, "intubation")
    sweep("SampleSizeExplorer.n (grid values)", ss.n, [5, 10, 14, 20, 30, 40, 50, 60, 100, 200, 300, 14], rows)
    sweep("SampleSizeExplorer.n (off-grid values)", ss.n, [52, 97, 151, 299], rows)
    sweep("SampleSizeExplorer.risk_treat", ss.risk_treat, [0.3, 0.4, 0.45, 0.5, 0.3], rows)
    sweep("SampleSizeExplorer.risk_ctrl", ss.risk_ctrl, [0.9, 0.7, 0.8, 0.9], rows)
    sweep("SampleSizeExplorer.n (extremes 1, 300)", ss.n, [1, 300, 1], rows)
    sweep("SampleSizeExplorer.risk_treat (0 and 1)", ss.risk_treat, [0.0, 1.0, 0.0], rows)
    sweep("SampleSizeExplorer.risk_treat (n 90-170)", ss.risk_treat, [0.6, 0.62, 0.66], rows)
    dance = wd.PValueDance(trial, "intubation", seed=1)
    sweep("PValueDance.n", dance.n, [5, 14, 30, 60, 100, 14], rows)
    sweep("PValueDance.reroll", dance.reroll, range(6), rows, click=True)
    tb = wd.TwoByTwoExplorer(*trial.outcome("intubation").counts)
    sweep("TwoByTwoExplorer.events_treat", tb.events_treat, [5, 6, 8, 9, 7], rows)
    sweep("TwoByTwoExplorer.n_ctrl", tb.n_ctrl, [16, 20, 30, 15], rows)
    fr = wd.FragilityExplorer(trial, "intubation")
    sweep("FragilityExplorer.flip_treat", fr.flip_treat, [-1, -2, -3, 1, 2, 0, -1, -2], rows)
    sweep("FragilityExplorer.flip_ctrl", fr.flip_ctrl, [1, 2, 3, -1, 0, 1], rows)
    pr = wd.PriorExplorer(trial, "intubation")
    sweep("PriorExplorer.prior", pr.prior, [-1.0, -0.5, 0.5, 1.0, 0.0, -1.0], rows)
    sweep("PriorExplorer.margin", pr.margin, [0.05, 0.1, 0.2, 0.3, 0.1], rows)
    rob = wd.RoB2Checklist()
    sweep("RoB2Checklist.dropdown 1.2", rob.dropdowns["1.2"], ["Y", "PY", "N", "NI", "Y"], rows)
    for q, v in {"1.1": "Y", "1.3": "N", "2.1": "N", "2.2": "N", "2.6": "Y", "3.1": "Y", "4.1": "N",
                 "4.2": "N", "4.3": "N", "5.1": "Y", "5.2": "N"}.items():
        rob.dropdowns[q].value = v
    sweep("RoB2Checklist.dropdown 5.3 (overall shown)", rob.dropdowns["5.3"], ["N", "PY", "NI", "N"], rows)
    print(f"{'control':44s} {'n':>3s} {'median ms':>10s} {'worst ms':>9s}")
    for name, n, med, worst in rows:
        flag = "" if med <= 30 and worst <= 100 else "  <- above target"
        print(f"{name:44s} {n:3d} {med:10.1f} {worst:9.1f}{flag}")


if __name__ == "__main__":
    main()
