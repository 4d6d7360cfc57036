"""Lesson 8: the RoB 2 traffic-light plot (colour and a written symbol per judgement)."""

from __future__ import annotations

from typing import Mapping

import altair as alt

from ._base import ChartParts, register, render
from .theme import OKABE_ITO

__all__ = ["traffic_light_chart", "ROB2_STYLE"]

#: RoB 2 judgement -> (colour, text symbol, order).
ROB2_STYLE = {
    "low": (OKABE_ITO["bluish green"], "+", 0),
    "some concerns": (OKABE_ITO["yellow"], "−", 1),
    "high": (OKABE_ITO["vermillion"], "×", 2),
    "no information": ("#BBBBBB", "?", 3),
}

def traffic_light_chart(judgements: Mapping, *, overall: str | None = None,
                        study: str = "This trial") -> alt.LayerChart:
    """RoB 2 traffic-light plot: domain x judgement, with colour and a text symbol.

    Parameters
    ----------
    judgements : mapping
        Domain -> ``"low"`` / ``"some concerns"`` / ``"high"`` / ``"no information"``, or
        study -> (domain -> judgement) for several studies.
    overall : str, optional
        The overall judgement (one study only), drawn as an extra column ``"Overall"``.
    study : str
        Row label when ``judgements`` is for one study.

    Returns
    -------
    altair.LayerChart
        Coloured circles with ``+`` (low), ``−`` (some concerns), ``×`` (high) or ``?``
        written in them, so the judgement is readable without colour.

    Examples
    --------
    >>> chart = traffic_light_chart({"D1": "low", "D2": "some concerns", "D3": "low",
    ...                              "D4": "low", "D5": "high"}, overall="high")
    >>> print(chart.description)
    Risk of bias: low in D1, D3, D4; some concerns in D2; high in D5; overall high.
    """
    return render(_traffic_light_parts(judgements, overall=overall, study=study))


def _traffic_light_parts(judgements, *, overall=None, study="This trial") -> ChartParts:
    if not isinstance(judgements, Mapping) or not judgements:
        raise TypeError(f"judgements must be a non-empty mapping, got {judgements!r}")
    nested = all(isinstance(v, Mapping) for v in judgements.values())
    studies = ({k: dict(v) for k, v in judgements.items()} if nested else {study: dict(judgements)})
    if overall is not None:
        if nested:
            raise ValueError("overall is only for a single study; put 'Overall' in each study's mapping")
        studies[study]["Overall"] = overall
    rows, domains = [], []
    for name, doms in studies.items():
        for dom, judgement in doms.items():
            if judgement not in ROB2_STYLE:
                raise ValueError(f"judgement for {dom!r} must be one of {', '.join(map(repr, ROB2_STYLE))}; "
                                 f"got {judgement!r}")
            colour, symbol, _ = ROB2_STYLE[judgement]
            rows.append({"study": str(name), "domain": str(dom), "judgement": judgement, "symbol": symbol})
            if str(dom) not in domains:
                domains.append(str(dom))
    if nested:
        description = "Risk of bias: " + "; ".join(
            f"{name}: " + ", ".join(f"{d} {j}" for d, j in doms.items()) for name, doms in studies.items()) + "."
    else:
        doms = {d: j for d, j in studies[study].items() if d != "Overall"}
        groups = []
        for level in ROB2_STYLE:
            which = [d for d, j in doms.items() if j == level]
            if which:
                groups.append(f"{level} in {', '.join(which)}")
        description = "Risk of bias: " + "; ".join(groups)
        if overall is not None:
            description += f"; overall {overall}"
        description += "."
    return ChartParts(_traffic_light_structure, (tuple(domains),), {"judgements": rows},
                      "Risk of bias (RoB 2)", description, 70 * len(domains), 60 * len(studies))


def _traffic_light_structure(data, domains):
    levels = list(ROB2_STYLE)
    x = alt.X("domain:N", sort=list(domains), title="RoB 2 domain", axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("study:N", title="Study")
    tooltip = ["study:N", "domain:N", "judgement:N"]
    dots = alt.Chart(data("judgements")).mark_circle(size=900, opacity=1).encode(
        x=x, y=y, color=alt.Color("judgement:N", scale=alt.Scale(
            domain=levels, range=[ROB2_STYLE[k][0] for k in levels]), title="Judgement"),
        tooltip=tooltip)
    text = alt.Chart(data("judgements")).mark_text(
        fontSize=18, fontWeight="bold", color="black").encode(x=x, y=y, text="symbol:N", tooltip=tooltip)
    return alt.layer(dots, text)


register(traffic_light_chart, _traffic_light_parts)
