"""Lesson 4: the p-value of the same risks as the trial grows, and the dance of the p-values."""

from __future__ import annotations

from typing import Sequence

import altair as alt
import numpy as np

from ._base import (ChartParts, as_float_array, check_alpha, check_prob, check_sizes,
                    check_unit, p_phrase, pct, pval, records, register, render,
                    same_length)
from .theme import PALETTE, THEME

__all__ = ["pvalue_vs_n_chart", "pvalue_dance_chart", "PVALUE_FLOOR"]

#: The lowest p-value the p-against-n axis shows.  Below it the curve runs along the
#: bottom edge (the reading says so): a log axis down to 1e-14 squeezes everything a
#: reader needs (0.001 to 1) into a sliver.
PVALUE_FLOOR = 1e-4

def pvalue_vs_n_chart(n_per_arm: Sequence[int], pvalues: Sequence[float], *, risk_treat: float,
                      risk_ctrl: float, current: tuple[int, int], current_pvalue: float,
                      alpha: float = 0.05, test_label: str = "Fisher's exact test") -> alt.LayerChart:
    """The p-value of the same observed risks as the number of patients per arm grows.

    Parameters
    ----------
    n_per_arm : sequence of int
        Patients per arm at which the p-value was computed.
    pvalues : sequence of float
        The p-value at each size (e.g. from :func:`appraise.power.pvalue_at_n`).
    risk_treat, risk_ctrl : float
        The observed risks kept fixed.
    current : (int, int)
        The trial's actual ``(n_treat, n_ctrl)``; marked on the chart.
    current_pvalue : float
        The p-value at the actual sizes.
    alpha : float
        Significance level drawn as a horizontal line.
    test_label : str
        Name of the test, for the axis title.

    Returns
    -------
    altair.LayerChart
        Line of p against n (log scale), a rule at ``alpha``, a point at the trial's size.
        The reading names the p-value at the trial's size and the first size in
        ``n_per_arm`` at which p falls below ``alpha``.

    Examples
    --------
    >>> chart = pvalue_vs_n_chart([14, 20, 30, 40], [0.128, 0.065, 0.0176, 0.0046],
    ...                           risk_treat=0.5, risk_ctrl=0.8, current=(14, 15),
    ...                           current_pvalue=0.128)
    >>> print(chart.description)
    At 14 vs 15 patients the observed 50% vs 80% gives p = 0.128; it would cross 0.05 at about 30 per arm.
    """
    return render(_pvalue_vs_n_parts(n_per_arm, pvalues, risk_treat=risk_treat, risk_ctrl=risk_ctrl,
                                      current=current, current_pvalue=current_pvalue, alpha=alpha,
                                      test_label=test_label))


def _pvalue_vs_n_parts(n_per_arm, pvalues, *, risk_treat, risk_ctrl, current, current_pvalue,
                       alpha=0.05, test_label="Fisher's exact test") -> ChartParts:
    ns = check_sizes("n_per_arm", as_float_array("n_per_arm", n_per_arm))
    ps = check_unit("pvalues", as_float_array("pvalues", pvalues))
    same_length(n_per_arm=ns, pvalues=ps)
    risk_treat = check_prob("risk_treat", risk_treat)
    risk_ctrl = check_prob("risk_ctrl", risk_ctrl)
    alpha = check_alpha(alpha)
    n_treat, n_ctrl = (int(v) for v in current)
    current_pvalue = check_prob("current_pvalue", current_pvalue)

    below = ns[ps < alpha]
    head = f"At {n_treat} vs {n_ctrl} patients the observed {pct(risk_treat)} vs {pct(risk_ctrl)} gives {p_phrase(current_pvalue)}"
    if current_pvalue < alpha:
        tail = f"; that is already below {alpha:g}."
    elif below.size:
        tail = f"; it would cross {alpha:g} at about {int(below[0])} per arm."
    else:
        tail = f"; it stays above {alpha:g} up to {int(ns.max())} per arm."
    description = head + tail
    if ps.min() < PVALUE_FLOOR:
        description += (f" The axis stops at {PVALUE_FLOOR:g}: smaller p-values (down to "
                        f"{ps.min():.1e}) are drawn along its bottom edge.")

    datasets = {
        "pvalue-by-n": records(**{"n per arm": ns.astype(int), "p-value": ps,
                                   "below alpha": np.where(ps < alpha, f"p < {alpha:g}", f"p ≥ {alpha:g}")}),
        "pvalue-alpha": [{"alpha": alpha, "label": f"α = {alpha:g}"}],
        "pvalue-trial": [{"n per arm": n_treat, "p-value": current_pvalue,
                          "label": f"this trial: {n_treat} vs {n_ctrl}"}],
    }
    return ChartParts(_pvalue_vs_n_structure, (str(test_label),), datasets,
                      f"Same risks ({pct(risk_treat)} vs {pct(risk_ctrl)}), more patients: the p-value falls",
                      description, THEME["width"], THEME["height"])


def _pvalue_vs_n_structure(data, test_label):
    y = alt.Y("p-value:Q", scale=alt.Scale(type="log", domainMin=PVALUE_FLOOR, domainMax=1, clamp=True),
              title=["Two-sided p-value (log scale)", str(test_label)])
    x = alt.X("n per arm:Q", title="Patients per arm (n)")
    tooltip = [alt.Tooltip("n per arm:Q", title="n per arm"), alt.Tooltip("p-value:Q", format=".4g")]
    line = alt.Chart(data("pvalue-by-n")).mark_line(
        color=PALETTE["exact"], interpolate="step-after").encode(x=x, y=y, tooltip=tooltip)
    rule = alt.Chart(data("pvalue-alpha")).mark_rule(
        color=PALETTE["reference"], strokeDash=[6, 4]).encode(
        y=alt.Y("alpha:Q"), tooltip=[alt.Tooltip("label:N", title="significance level")])
    now = alt.Chart(data("pvalue-trial")).mark_point(
        color=PALETTE["highlight"], size=120, filled=True, shape="diamond").encode(
        x="n per arm:Q", y="p-value:Q",
        tooltip=[alt.Tooltip("label:N", title="marker"), alt.Tooltip("p-value:Q", format=".4g")])
    return alt.layer(line, rule, now)




def pvalue_dance_chart(pvalues: Sequence[float], *, n_treat: int, n_ctrl: int, p_treat: float,
                       p_ctrl: float, alpha: float = 0.05) -> alt.LayerChart:
    """The "dance of the p-values": one dot per simulated replicate trial (log scale).

    Parameters
    ----------
    pvalues : sequence of float
        P-values of the simulated trials (:func:`appraise.power.simulate_pvalues`).
    n_treat, n_ctrl : int
        Patients per arm in each simulated trial.
    p_treat, p_ctrl : float
        The true risks the trials were simulated with.
    alpha : float
        Significance level, drawn as a vertical rule.

    Returns
    -------
    altair.LayerChart
        Dots (x: p-value on a log scale, y: replicate number), coloured *and* shaped by
        whether p < alpha.  The reading gives the share below alpha and the spread.

    Examples
    --------
    >>> chart = pvalue_dance_chart([0.01, 0.2, 0.5, 0.04], n_treat=14, n_ctrl=15,
    ...                            p_treat=0.5, p_ctrl=0.8)
    >>> print(chart.description)
    Of 4 simulated trials with 14 vs 15 patients and true risks 50% vs 80%, 2 (50%) gave p < 0.05; the p-values ran from 0.010 to 0.500 (median 0.120).
    """
    return render(_pvalue_dance_parts(pvalues, n_treat=n_treat, n_ctrl=n_ctrl, p_treat=p_treat,
                                       p_ctrl=p_ctrl, alpha=alpha))


def _pvalue_dance_parts(pvalues, *, n_treat, n_ctrl, p_treat, p_ctrl, alpha=0.05) -> ChartParts:
    ps = as_float_array("pvalues", pvalues)
    if np.any((ps < 0) | (ps > 1)) or np.any(~np.isfinite(ps)):
        raise ValueError(f"pvalues must lie in [0, 1], got values from {ps.min()!r} to {ps.max()!r}")
    alpha = check_alpha(alpha)
    p_treat = check_prob("p_treat", p_treat)
    p_ctrl = check_prob("p_ctrl", p_ctrl)
    sig = ps < alpha
    k = int(sig.sum())
    description = (f"Of {ps.size} simulated trials with {int(n_treat)} vs {int(n_ctrl)} patients and "
                   f"true risks {pct(p_treat)} vs {pct(p_ctrl)}, {k} ({pct(k / ps.size)}) gave "
                   f"p < {alpha:g}; the p-values ran from {pval(ps.min())} to {pval(ps.max())} "
                   f"(median {pval(float(np.median(ps)))}).")
    labels = (f"p < {alpha:g}", f"p ≥ {alpha:g}")
    datasets = {
        "dance-trials": records(trial=np.arange(1, ps.size + 1), **{"p-value": ps},
                                 result=np.where(sig, labels[0], labels[1])),
        "dance-alpha": [{"alpha": alpha, "label": f"α = {alpha:g}"}],
    }
    return ChartParts(_pvalue_dance_structure, labels, datasets,
                  f"Dance of the p-values: {ps.size} replicate trials, {int(n_treat)} vs {int(n_ctrl)}",
                      description, THEME["width"], THEME["height"])


def _pvalue_dance_structure(data, *labels):
    labels = list(labels)
    dots = alt.Chart(data("dance-trials")).mark_point(filled=True, size=30, opacity=0.8).encode(
        x=alt.X("p-value:Q", scale=alt.Scale(type="log"), title="Two-sided p-value (log scale)"),
        y=alt.Y("trial:Q", title="Simulated trial (number)"),
        color=alt.Color("result:N", scale=alt.Scale(domain=labels, range=[PALETTE["significant"],
                                                                          PALETTE["not significant"]]),
                        title="Result"),
        shape=alt.Shape("result:N", scale=alt.Scale(domain=labels, range=["diamond", "circle"]),
                        title="Result"),
        tooltip=[alt.Tooltip("trial:Q"), alt.Tooltip("p-value:Q", format=".4g"), "result:N"])
    rule = alt.Chart(data("dance-alpha")).mark_rule(
        color=PALETTE["reference"], strokeDash=[6, 4]).encode(
        x="alpha:Q", tooltip=[alt.Tooltip("label:N", title="significance level")])
    return alt.layer(dots, rule)


register(pvalue_vs_n_chart, _pvalue_vs_n_parts)
register(pvalue_dance_chart, _pvalue_dance_parts)
