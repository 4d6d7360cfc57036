"""Lessons 2 and 8: risk difference and risk ratio with their intervals, one row per outcome."""

from __future__ import annotations

import math
from typing import Mapping

import altair as alt

from ._base import ChartParts, pct, register, render
from .theme import PALETTE

__all__ = ["forest_chart"]

#: Width of each panel; the outcome names are written once, left of the first panel, so
#: both panels and the names fit a notebook's output area.
PANEL_WIDTH = 250

def forest_chart(comparisons: Mapping[str, object]) -> alt.HConcatChart:
    """Risk difference and risk ratio with their intervals, one row per outcome.

    Parameters
    ----------
    comparisons : mapping of str to Comparison
        Outcome label -> :func:`appraise.proportions.compare_proportions` result (anything
        with ``risk_difference`` and ``risk_ratio`` :class:`~appraise._results.Estimate`).

    Returns
    -------
    altair.HConcatChart
        Two panels, since the scales differ: risk difference in percentage points (line of
        no effect at 0) and risk ratio on a log scale (line at 1).  A ratio that is not
        finite (zero events) is left out of the right panel and said so in the reading.

    Examples
    --------
    >>> print(forest_chart({"Intubation": _demo_comparison()}).description)
    Intubation: risk difference -30.0 points (95% CI -58.0 to 3.0), risk ratio 0.62 (0.37 to 1.05); every interval includes no effect.
    """
    return render(_forest_parts(comparisons))


def _forest_parts(comparisons) -> ChartParts:
    if not isinstance(comparisons, Mapping) or not comparisons:
        raise TypeError(f"comparisons must be a non-empty mapping of label -> Comparison, got {comparisons!r}")
    rows = {"risk difference": [], "risk ratio": []}
    sentences, crosses = [], []
    for label, cmp in comparisons.items():
        rd, rr = cmp.risk_difference, cmp.risk_ratio
        level = getattr(rd, "confidence_level", 0.95)
        rows["risk difference"].append({"outcome": str(label), "measure": "risk difference",
                                        "estimate": 100 * rd.estimate, "low": 100 * rd.low,
                                        "high": 100 * rd.high})
        rd_text = (f"risk difference {100 * rd.estimate:.1f} points ({pct(level).rstrip('%')}% CI "
                   f"{100 * rd.low:.1f} to {100 * rd.high:.1f})")
        crosses.append(rd.low <= 0 <= rd.high)
        if all(math.isfinite(v) and v > 0 for v in (rr.estimate, rr.low, rr.high)):
            rows["risk ratio"].append({"outcome": str(label), "measure": "risk ratio",
                                       "estimate": rr.estimate, "low": rr.low, "high": rr.high})
            rr_text = f"risk ratio {rr.estimate:.2f} ({rr.low:.2f} to {rr.high:.2f})"
            crosses.append(rr.low <= 1 <= rr.high)
        else:
            rr_text = "risk ratio not estimable (zero events)"
        sentences.append(f"{label}: {rd_text}, {rr_text}")
    verdict = ("every interval includes no effect" if all(crosses) else
               "no interval includes no effect" if not any(crosses) else
               "some intervals include no effect")
    description = "; ".join(sentences) + f"; {verdict}."
    datasets = {"forest-rd": rows["risk difference"], "forest-rr": rows["risk ratio"],
                "forest-null-rd": [{"null": 0.0, "label": "no effect"}],
                "forest-null-rr": [{"null": 1.0, "label": "no effect"}]}
    return ChartParts(_forest_structure, (tuple(str(k) for k in comparisons),), datasets,
                      "Effect estimates with 95% confidence intervals", description)


def _forest_structure(data, outcomes):
    tooltip = ["outcome:N", "measure:N", alt.Tooltip("estimate:Q", format=".2f"),
               alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")]
    height = 40 * len(outcomes) + 40

    def panel(name, title, scale, *, labels):
        y = alt.Y("outcome:N", sort=list(outcomes), scale=alt.Scale(domain=list(outcomes)),
                  title="Outcome" if labels else None,
                  axis=alt.Axis(labelLimit=220) if labels else alt.Axis(labels=False, ticks=False))
        base = alt.Chart(data(f"forest-{name}"))
        bars = base.mark_rule(strokeWidth=2, color=PALETTE["exact"]).encode(
            x=alt.X("low:Q", title=title, scale=scale), x2="high:Q", y=y, tooltip=tooltip)
        dots = base.mark_point(filled=True, size=80, shape="square", color=PALETTE["exact"]).encode(
            x=alt.X("estimate:Q", scale=scale), y=y, tooltip=tooltip)
        line = alt.Chart(data(f"forest-null-{name}")).mark_rule(
            color=PALETTE["reference"], strokeDash=[4, 4]).encode(
            x="null:Q", tooltip=[alt.Tooltip("label:N", title="line")])
        return alt.layer(line, bars, dots).properties(width=PANEL_WIDTH, height=height)

    # two-line axis titles: one line would be wider than its panel
    left = panel("rd", ["Risk difference (percentage points)", "treatment − control"],
                 alt.Scale(zero=False), labels=True)
    right = panel("rr", ["Risk ratio (log scale)", "treatment / control"], alt.Scale(type="log"),
                  labels=False)
    return alt.hconcat(left, right, spacing=24)


def _demo_comparison():
    """A stand-in comparison for the doctests (the seed trial's intubation figures)."""
    from types import SimpleNamespace as NS

    from .._results import Estimate

    return NS(risk_difference=Estimate(-0.30, -0.58, 0.03, "newcombe"),
              risk_ratio=Estimate(0.625, 0.37, 1.05, "log"))


register(forest_chart, _forest_parts)
