"""Lesson 4: exact power against patients per arm, with the normal approximation."""

from __future__ import annotations

from typing import Sequence

import altair as alt
import numpy as np

from ._base import (ChartParts, as_float_array, check_alpha, check_prob, check_sizes,
                    check_unit, pct, records, register, render, same_length)
from .theme import PALETTE, THEME

__all__ = ["power_curve_chart"]

def power_curve_chart(n_per_arm: Sequence[int], power_exact: Sequence[float], *,
                      p_treat: float, p_ctrl: float, power_normal: Sequence[float] | None = None,
                      alpha: float = 0.05, current_n: int | None = None,
                      targets: Sequence[float] = (0.8, 0.9)) -> alt.LayerChart:
    """Exact power of Fisher's test against patients per arm, with the normal approximation.

    Parameters
    ----------
    n_per_arm : sequence of int
        Patients per arm.
    power_exact : sequence of float
        Exact power at each size (:func:`appraise.power.power_two_proportions`,
        ``test="fisher"``); its sawtooth is drawn as is.
    p_treat, p_ctrl : float
        The true risks assumed.
    power_normal : sequence of float, optional
        Normal-approximation power at the same sizes, drawn dashed.
    alpha : float
        Significance level, for the reading.
    current_n : int, optional
        The trial's size per arm, marked with a vertical rule.
    targets : sequence of float
        Power targets drawn as horizontal rules (default 80% and 90%).

    Returns
    -------
    altair.LayerChart
        The reading gives the power at ``current_n`` and the first size in ``n_per_arm``
        at which the exact power reaches each target (as a range when the sizes skip
        values there, since the exact power between plotted sizes is not known).

    Examples
    --------
    >>> chart = power_curve_chart([14, 30, 45, 60], [0.19, 0.55, 0.80, 0.91],
    ...                           p_treat=0.5, p_ctrl=0.8, current_n=14)
    >>> print(chart.description)
    With true risks 50% vs 80%, Fisher's exact test has 19% power at 14 per arm; it first reaches 80% between 31 and 45 per arm and 90% between 46 and 60 per arm.
    """
    return render(_power_curve_parts(n_per_arm, power_exact, p_treat=p_treat, p_ctrl=p_ctrl,
                                      power_normal=power_normal, alpha=alpha, current_n=current_n,
                                      targets=targets))


_POWER_METHODS = ["exact (Fisher, enumeration)", "normal approximation"]


def _power_curve_parts(n_per_arm, power_exact, *, p_treat, p_ctrl, power_normal=None, alpha=0.05,
                       current_n=None, targets=(0.8, 0.9)) -> ChartParts:
    ns = check_sizes("n_per_arm", as_float_array("n_per_arm", n_per_arm))
    exact = check_unit("power_exact", as_float_array("power_exact", power_exact))
    same_length(n_per_arm=ns, power_exact=exact)
    p_treat = check_prob("p_treat", p_treat)
    p_ctrl = check_prob("p_ctrl", p_ctrl)
    check_alpha(alpha)
    ints = ns.astype(int)
    rows = records(**{"n per arm": ints, "power": exact, "method": [_POWER_METHODS[0]] * ns.size})
    if power_normal is not None:
        normal = check_unit("power_normal", as_float_array("power_normal", power_normal))
        same_length(n_per_arm=ns, power_normal=normal)
        rows += records(**{"n per arm": ints, "power": normal, "method": [_POWER_METHODS[1]] * ns.size})

    parts = []
    if current_n is not None:
        idx = np.nonzero(ns == current_n)[0]
        if idx.size:
            parts.append(f"Fisher's exact test has {pct(exact[idx[0]])} power at {int(current_n)} per arm")
    reach = []
    for target in targets:
        hits = np.nonzero(exact >= target)[0]
        if not hits.size:
            reach.append(f"never {pct(target)} up to {int(ns.max())} per arm")
            continue
        i = int(hits[0])
        if i > 0 and ns[i] - ns[i - 1] > 1:
            # the curve was computed on a coarser grid here: say what is known
            reach.append(f"{pct(target)} between {int(ns[i - 1]) + 1} and {int(ns[i])} per arm")
        else:
            reach.append(f"{pct(target)} at {int(ns[i])} per arm")
    head = f"With true risks {pct(p_treat)} vs {pct(p_ctrl)}, "
    if parts:
        description = head + parts[0] + "; it first reaches " + " and ".join(reach) + "."
    else:
        description = head + "Fisher's exact test first reaches " + " and ".join(reach) + "."
    description = description.replace("reaches never", "never reaches")

    datasets = {"power-curves": rows,
                "power-targets": [{"target": float(t), "label": f"{pct(t)} power"} for t in targets]}
    if current_n is not None:
        datasets["power-trial"] = [{"n per arm": int(current_n),
                                    "label": f"this trial: {int(current_n)} per arm"}]
    return ChartParts(_power_curve_structure, (current_n is not None,), datasets,
                      f"Power to detect {pct(p_treat)} vs {pct(p_ctrl)} (α = {alpha:g})",
                      description, THEME["width"], THEME["height"])


def _power_curve_structure(data, with_current):
    domain = _POWER_METHODS
    curves = alt.Chart(data("power-curves")).mark_line(interpolate="linear").encode(
        x=alt.X("n per arm:Q", title="Patients per arm (n)"),
        y=alt.Y("power:Q", title="Power (probability of p < α)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("method:N", scale=alt.Scale(domain=domain,
                                                    range=[PALETTE["exact"], PALETTE["approximation"]]),
                        title="Power computed by", legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("method:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4]]),
                                  title="Power computed by", legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("n per arm:Q"), alt.Tooltip("power:Q", format=".1%"),
                 alt.Tooltip("method:N")])
    lines = alt.Chart(data("power-targets")).mark_rule(
        color=PALETTE["muted"], strokeDash=[2, 2]).encode(
        y="target:Q", tooltip=[alt.Tooltip("label:N", title="target")])
    layers = [curves, lines]
    if with_current:
        layers.append(alt.Chart(data("power-trial"))
                      .mark_rule(color=PALETTE["highlight"]).encode(
                          x="n per arm:Q", tooltip=[alt.Tooltip("label:N", title="marker")]))
    return alt.layer(*layers)


register(power_curve_chart, _power_curve_parts)
