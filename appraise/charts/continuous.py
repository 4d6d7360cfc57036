"""Lesson 7: the between-arm p of a change from baseline against the unknown correlation.

A paper that prints baseline and follow-up mean +/- SD per arm leaves the correlation
between a patient's two measurements unknown; :func:`appraise.continuous.between_from_within`
computes the between-arm and within-arm p-values over a range of correlations, and
:func:`between_within_correlation_chart` draws them (it computes no statistic itself).
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np

from .._format import format_p
from .._validate import check_alpha, check_real
from ._base import ChartParts, p_phrase, register, render
from .pvalues import PVALUE_FLOOR
from .theme import PALETTE, THEME

__all__ = ["between_within_correlation_chart"]

_SERIES = ("between arms", "within treated arm", "within control arm")


def between_within_correlation_chart(result, *, alpha=0.05, correlation=None) -> alt.LayerChart:
    """Between-arm and within-arm p-values of the change against the correlation ``r``.

    Parameters
    ----------
    result : BetweenFromWithin
        :func:`appraise.continuous.between_from_within` result.
    alpha : float, keyword-only
        Significance level drawn as a horizontal rule.
    correlation : float, optional, keyword-only
        A correlation to mark with a vertical rule (e.g. a slider's value); it must lie
        in the result's range.

    Returns
    -------
    altair.LayerChart
        One line per p-value (colour and dash), log p axis floored at
        :data:`appraise.charts.pvalues.PVALUE_FLOOR` (the reading says when a curve runs
        below it), a rule at ``alpha``.  The reading gives each p-value's range and the
        smallest charted correlation at which the between-arm p falls below ``alpha``.

    Examples
    --------
    >>> from appraise.continuous import between_from_within
    >>> r = between_from_within(50, 12, 40, 12, 14, 50, 12, 48, 12, 15)
    >>> print(between_within_correlation_chart(r).description)
    As the correlation between baseline and follow-up runs from 0.00 to 0.90, the between-arm p for the change runs from p = 0.215 down to p = 0.00043, the treated arm's within-arm p from p = 0.046 down to p < 0.0001 and the control arm's from p = 0.655 down to p = 0.171; the between-arm p falls below 0.05 from r = 0.62 on. Below 0.0001 a curve runs along the bottom edge.
    """
    return render(_parts(result, alpha=alpha, correlation=correlation))


def _parts(result, *, alpha=0.05, correlation=None) -> ChartParts:
    needed = ("correlations", "pvalues_between", "pvalues_within_treat", "pvalues_within_ctrl",
              "correlation_low", "correlation_high")
    if not all(hasattr(result, name) for name in needed):
        raise TypeError(f"result must be a between_from_within() result, got {type(result).__name__}")
    alpha = check_alpha(alpha)
    lo, hi = result.correlation_low, result.correlation_high
    if correlation is not None:
        correlation = check_real("correlation", correlation, low=lo, high=hi)
    rs = np.asarray(result.correlations, dtype=float)
    curves = dict(zip(_SERIES, (np.asarray(result.pvalues_between), np.asarray(result.pvalues_within_treat),
                                np.asarray(result.pvalues_within_ctrl))))
    rows = [{"r": float(r), "series": name, "p": float(max(p, PVALUE_FLOOR)), "p_exact": format_p(p)}
            for name, ps in curves.items() for r, p in zip(rs, ps)]
    between = curves["between arms"]

    def run(ps):   # (value at the lowest r, value at the highest r)
        return p_phrase(ps[0]), p_phrase(ps[-1])

    b0, b1 = run(between)
    way = "down to" if between[0] >= between[-1] else "up to"
    t0, t1 = run(curves["within treated arm"])
    c0, c1 = run(curves["within control arm"])
    below = rs[between < alpha]
    if below.size == 0:
        cross = f"the between-arm p stays at or above {alpha:g} over the whole range"
    elif below.size == rs.size:
        cross = f"the between-arm p is below {alpha:g} over the whole range"
    else:
        cross = f"the between-arm p falls below {alpha:g} from r = {below.min():.2f} on"
    description = (f"As the correlation between baseline and follow-up runs from {lo:.2f} to {hi:.2f}, "
                   f"the between-arm p for the change runs from {b0} {way} {b1}, the "
                   f"treated arm's within-arm p from {t0} down to {t1} and the control arm's from {c0} "
                   f"down to {c1}; {cross}.")
    if min(float(np.min(ps)) for ps in curves.values()) < PVALUE_FLOOR:
        description += f" Below {PVALUE_FLOOR:g} a curve runs along the bottom edge."
    marks = [] if correlation is None else [{"r": correlation}]
    title = "Between-arm p of the change depends on an unreported correlation"
    key = (float(alpha), correlation is not None, math.isclose(lo, hi))
    return ChartParts(_structure, key, {"correlation-curves": rows, "correlation-mark": marks,
                                        "correlation-alpha": [{"alpha": float(alpha)}]},
                      title, description, THEME["width"], THEME["height"])


def _structure(data, alpha, marked, single):
    colour = alt.Color("series:N", title="p-value", scale=alt.Scale(
        domain=list(_SERIES), range=[PALETTE["treatment"], PALETTE["highlight"], PALETTE["muted"]]))
    dash = alt.StrokeDash("series:N", title="p-value", scale=alt.Scale(
        domain=list(_SERIES), range=[[1, 0], [6, 4], [2, 2]]))
    x = alt.X("r:Q", title="Correlation between baseline and follow-up (r)")
    y = alt.Y("p:Q", title="Two-sided p-value (log scale)",
              scale=alt.Scale(type="log", domain=[PVALUE_FLOOR, 1]))
    mark = alt.Chart(data("correlation-curves")).mark_line(strokeWidth=2.5, point=single)
    lines = mark.encode(x=x, y=y, color=colour, strokeDash=dash,
                        tooltip=["series:N", alt.Tooltip("r:Q", format=".2f"),
                                 alt.Tooltip("p_exact:N", title="p")])
    rule = alt.Chart(data("correlation-alpha")).mark_rule(color=PALETTE["reference"], strokeDash=[3, 3]).encode(
        y="alpha:Q", tooltip=[alt.Tooltip("alpha:Q", title="significance level")])
    layers = [lines, rule]
    if marked:
        layers.append(alt.Chart(data("correlation-mark")).mark_rule(color=PALETTE["reference"]).encode(
            x="r:Q", tooltip=[alt.Tooltip("r:Q", format=".2f", title="chosen r")]))
    return alt.layer(*layers)


register(between_within_correlation_chart, _parts)
