"""Lesson 8: the appraisal's flags as traffic lights by severity (colour and symbol)."""

from __future__ import annotations

from typing import Iterable, Sequence

import altair as alt

from appraise._format import escape_chart_text
from ._base import ChartParts, register, render
from .theme import OKABE_ITO

__all__ = ["flags_traffic_light_chart", "SEVERITY_STYLE"]

#: Flag severity -> (colour, text symbol, order).
SEVERITY_STYLE = {
    "info": (OKABE_ITO["sky blue"], "i", 0),
    "caution": (OKABE_ITO["yellow"], "!", 1),
    "serious": (OKABE_ITO["vermillion"], "×", 2),
}

def flags_traffic_light_chart(flags: Sequence) -> alt.LayerChart:
    """The appraisal's flags as traffic lights by severity (colour and symbol).

    Parameters
    ----------
    flags : sequence of Flag
        :func:`appraise.flags.appraise` result.

    Returns
    -------
    altair.LayerChart
        One row per flag (its title), one light in the severity column.

    Examples
    --------
    >>> from types import SimpleNamespace as F
    >>> chart = flags_traffic_light_chart([F(code="a", severity="serious", title="A", message=""),
    ...                                    F(code="b", severity="info", title="B", message="")])
    >>> print(chart.description)
    2 flags: 1 serious, 0 caution, 1 info; serious: a.
    """
    return render(_flags_parts(flags))


def _flags_parts(flags) -> ChartParts:
    if isinstance(flags, (str, bytes)) or not isinstance(flags, Iterable):
        raise TypeError(f"flags must be a sequence of Flag (appraise.flags.appraise), got {flags!r}")
    flags = list(flags)
    for f in flags:
        if not all(hasattr(f, a) for a in ("code", "severity", "title", "message")):
            raise TypeError(f"flags must hold Flag items, got {f!r}")
    if not flags:
        raise ValueError("flags is empty: nothing to draw")
    order = {k: v[2] for k, v in SEVERITY_STYLE.items()}
    for f in flags:
        if f.severity not in SEVERITY_STYLE:
            raise ValueError(f"flag {f.code!r} has severity {f.severity!r}; expected one of {list(SEVERITY_STYLE)}")
    flags.sort(key=lambda f: (-order[f.severity], f.code))
    rows = [{"flag": escape_chart_text(f.title), "code": str(f.code), "severity": f.severity,
             "symbol": SEVERITY_STYLE[f.severity][1], "message": escape_chart_text(f.message)} for f in flags]
    counts = {k: sum(f.severity == k for f in flags) for k in ("serious", "caution", "info")}
    description = (f"{len(flags)} flags: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    serious = [f.code for f in flags if f.severity == "serious"]
    if serious:
        description += "; serious: " + ", ".join(serious)
    description += "."
    return ChartParts(_flags_structure, (tuple(r["flag"] for r in rows),), {"flags": rows},
                      "What a careful reader should question", description, 240, 28 * len(flags))


def _flags_structure(data, titles):
    levels = list(SEVERITY_STYLE)
    x = alt.X("severity:N", sort=levels, scale=alt.Scale(domain=levels), title="Severity",
              axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("flag:N", sort=list(titles), title="Flag", axis=alt.Axis(labelLimit=360))
    tooltip = ["code:N", "severity:N", "message:N"]
    base = alt.Chart(data("flags"))
    dots = base.mark_circle(size=500, opacity=1).encode(
        x=x, y=y, color=alt.Color("severity:N", scale=alt.Scale(
            domain=levels, range=[SEVERITY_STYLE[k][0] for k in levels]), title="Severity"),
        tooltip=tooltip)
    text = base.mark_text(fontSize=14, fontWeight="bold", color="black").encode(
        x=x, y=y, text="symbol:N", tooltip=tooltip)
    return alt.layer(dots, text)


register(flags_traffic_light_chart, _flags_parts)
