"""Lesson 3: the log-rank range: the p of every ordering of the deaths against the
reported p (lesson 3).

Built the package's one way (:mod:`appraise.charts._base`: checked inputs -> parts ->
one Altair chart), with the project theme, tooltips, a colour-blind-safe palette, a
second cue (dash and label) for the reported p, and a one-line reading computed from
the data (:func:`appraise.charts.reading`).
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np

from ._base import ChartParts, pval, records, register, render
from .theme import PALETTE, THEME

__all__ = ["logrank_orderings_chart"]

#: Points drawn along the curve of p over orderings (evenly spaced ranks, the most and
#: least extreme always included): enough for a smooth curve, few enough for the page.
CURVE_POINTS = 201


def logrank_orderings_chart(result, *, reported_p, pvalues=None) -> alt.LayerChart:
    """The log-rank p over orderings of the deaths, most extreme first, and the reported p.

    Parameters
    ----------
    result : appraise.survival.LogrankRange
        From :func:`appraise.survival.logrank_pvalue_range`.
    reported_p : str or float
        The p the paper printed, e.g. ``"P < 0.0001"``.
    pvalues : sequence of float, optional
        The p of every ordering (:func:`appraise.survival.logrank_pvalues_over_orderings`,
        for small counts).  Without it only the range (most and least extreme) is drawn.

    Returns
    -------
    altair.LayerChart
        Line of p (log scale) against the share of orderings, most extreme first; a
        dashed, labelled rule at the reported p.  The reading says where the reported p
        falls.

    Examples
    --------
    >>> from appraise.survival import logrank_pvalue_range, logrank_pvalues_over_orderings
    >>> r = logrank_pvalue_range(6, 14, 11, 15)
    >>> chart = logrank_orderings_chart(r, reported_p="P < 0.0001",
    ...                                 pvalues=logrank_pvalues_over_orderings(6, 14, 11, 15))
    >>> print(chart.description)
    Over all 12,376 orders in which 6 of 14 treated and 11 of 15 control patients could have died, the log-rank p runs from 0.010 to 0.42 (median 0.11); the reported P < 0.0001 is below every one of them, so no log-rank test on these counts gives it.
    """
    return render(_logrank_orderings_parts(result, reported_p=reported_p, pvalues=pvalues))


def _logrank_orderings_parts(result, *, reported_p, pvalues=None) -> ChartParts:
    from ..consistency import parse_reported_p
    from ..survival import LogrankRange

    if not isinstance(result, LogrankRange):
        raise TypeError(f"result must be a LogrankRange (from logrank_pvalue_range), got {type(result).__name__}")
    reported = parse_reported_p(reported_p)
    if pvalues is None:
        ps = np.array([result.low, result.high])
        listed = False
    else:
        ps = np.sort(np.asarray(pvalues, dtype=float).ravel())
        if ps.size != result.orderings:
            raise ValueError(f"pvalues must hold one p per ordering ({result.orderings:,}), got {ps.size:,}")
        if not (math.isclose(ps[0], result.low, rel_tol=1e-6) and math.isclose(ps[-1], result.high, rel_tol=1e-6)):
            raise ValueError("pvalues must come from the same counts as result: their extremes differ "
                             f"({ps[0]!r}, {ps[-1]!r} against {result.low!r}, {result.high!r})")
        listed = True
    ranks = np.unique(np.round(np.linspace(0, ps.size - 1, min(CURVE_POINTS, ps.size))).astype(int))
    share = 100.0 * ranks / max(ps.size - 1, 1)
    floor = 1e-300  # a log axis cannot show 0 (a p below the smallest float)
    shown = np.maximum(ps[ranks], floor)
    counts = (f"{result.events_treat} of {result.n_treat} treated and {result.events_ctrl} of "
              f"{result.n_ctrl} control patients")
    where_low, where_high = reported.value < result.low, reported.value > result.high
    if reported.relation in ("<", "<=") and where_low:
        verdict = "is below every one of them, so no log-rank test on these counts gives it"
    elif reported.relation in (">", ">=") and where_high:
        verdict = "is above every one of them, so no log-rank test on these counts gives it"
    elif reported.relation == "=" and (where_low or where_high):
        verdict = (f"is {'below' if where_low else 'above'} every one of them, so no log-rank test "
                   "on these counts gives it")
    else:
        verdict = "lies within that range"
    spread = (f"runs from {pval(ps[0])} to {pval(ps[-1])}"
              + (f" (median {pval(float(np.median(ps)))})" if listed else ""))
    if listed:
        scope = f"Over all {result.orderings:,} orders in which {counts} could have died"
    else:
        scope = f"Over the {result.orderings:.3g} orders in which {counts} could have died"
    description = f"{scope}, the log-rank p {spread}; the reported {reported.text} {verdict}."
    label = f"reported {reported.text}"
    datasets = {
        "logrank-orderings": records(**{"share of orderings (%)": share, "p-value": shown,
                                        "ordering rank": ranks + 1}),
        "logrank-reported": [{"p-value": max(reported.value, floor), "label": label}],
    }
    title = f"Log-rank p over every order of the deaths: {result.events_treat}/{result.n_treat} vs " \
            f"{result.events_ctrl}/{result.n_ctrl}"
    return ChartParts(_logrank_orderings_structure, (listed,), datasets, title, description,
                      THEME["width"], THEME["height"])


def _logrank_orderings_structure(data, listed):
    x_title = ("Orderings of the deaths, most extreme first (% of all)" if listed
               else "Most extreme ordering (0%) to least extreme (100%)")
    y = alt.Y("p-value:Q", scale=alt.Scale(type="log"), title="Two-sided log-rank p (log scale)")
    curve = alt.Chart(data("logrank-orderings")).mark_line(
        point=not listed, color=PALETTE["exact"]).encode(
        x=alt.X("share of orderings (%):Q", title=x_title, scale=alt.Scale(domain=[0, 100], nice=False)),
        y=y,
        tooltip=[alt.Tooltip("ordering rank:Q", format=","), alt.Tooltip("share of orderings (%):Q", format=".1f"),
                 alt.Tooltip("p-value:Q", format=".3g")])
    rule = alt.Chart(data("logrank-reported")).mark_rule(
        strokeDash=[6, 4], color=PALETTE["highlight"], size=2).encode(
        y=y, tooltip=[alt.Tooltip("label:N", title="Reported"), alt.Tooltip("p-value:Q", format=".3g")])
    text = alt.Chart(data("logrank-reported")).mark_text(
        align="left", dx=4, dy=-8, color=PALETTE["highlight"]).encode(
        x=alt.value(4), y=y, text="label:N", tooltip=[alt.Tooltip("label:N", title="Reported")])
    return alt.layer(curve, rule, text)


register(logrank_orderings_chart, _logrank_orderings_parts)
