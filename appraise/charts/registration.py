"""Lesson 8: registrations, start, completion and publication on one time axis."""

from __future__ import annotations

import datetime as _dt
from typing import Iterable

import altair as alt

from appraise._format import escape_chart_text
from ._base import ChartParts, register, render
from .theme import OKABE_ITO

__all__ = ["registration_timeline_chart"]

_KINDS = ["registration", "start", "completion", "publication"]
_READINGS = ["certain", "uncertain (ambiguous date)"]

def registration_timeline_chart(audit) -> alt.Chart:
    """Registrations, start, completion and publication on one time axis.

    Parameters
    ----------
    audit : RegistrationAudit or sequence of TimelineEvent
        :func:`appraise.registration.audit_registration` result (or its ``timeline``).
        Each reading of an ambiguous registration date is drawn as a pale diamond, with
        ``"uncertain"`` in the tooltip and the reading.

    Returns
    -------
    altair.Chart
        One row per event (named on the axis, in the order given), a point at its date
        coloured by kind; an uncertain date is a pale diamond.

    Examples
    --------
    >>> from appraise.registration import TimelineEvent
    >>> ev = [TimelineEvent(_dt.date(2021, 4, 17), "Study start", "start"),
    ...       TimelineEvent(_dt.date(2021, 8, 24), "Registry record", "registration")]
    >>> print(registration_timeline_chart(ev).description)
    Study start 2021-04-17; Registry record 2021-08-24 (after the start).
    """
    return render(_timeline_parts(audit))


def _timeline_parts(audit) -> ChartParts:
    if isinstance(audit, (str, bytes)) or not isinstance(getattr(audit, "timeline", audit), Iterable):
        raise TypeError(f"audit must be a RegistrationAudit or a sequence of TimelineEvent, got {audit!r}")
    events = list(getattr(audit, "timeline", audit))
    for e in events:
        if not all(hasattr(e, a) for a in ("date", "label", "kind", "uncertain")):
            raise TypeError(f"audit must hold TimelineEvent items, got {e!r}")
    if not events:
        raise ValueError("audit has no dated events to draw")
    start = next((e.date for e in events if e.kind == "start"), None)
    rows, sentences = [], []
    for i, e in enumerate(events):
        when = ""
        if e.kind == "registration" and start is not None:
            when = " (before the start)" if e.date <= start else " (after the start)"
        certainty = _READINGS[1] if e.uncertain else _READINGS[0]
        label = escape_chart_text(e.label)
        sentences.append(f"{label} {e.date.isoformat()}{', uncertain' if e.uncertain else ''}{when}")
        # one row per event, named on the axis (numbered, so that equal labels stay apart)
        rows.append({"date": e.date.isoformat(), "event": label, "row": f"{i + 1}. {label}",
                     "kind": e.kind, "reading": certainty})
    description = "; ".join(sentences) + "."
    order = tuple(r["row"] for r in rows)
    return ChartParts(_timeline_structure, (order,), {"timeline": rows},
                      "When was the trial registered?", description, 330, 34 * len(rows))


def _timeline_structure(data, order):
    x = alt.X("date:T", title="Date (year-month)", axis=alt.Axis(format="%Y-%m", labelAngle=0))
    # long event names are broken after their commas into several lines
    y = alt.Y("row:N", sort=list(order), title=None,
              axis=alt.Axis(labelExpr="split(datum.label, ', ')", labelLimit=300, labelFontSize=11))
    tooltip = [alt.Tooltip("date:T", format="%Y-%m-%d"), "event:N", "reading:N"]
    # legends below the chart, one entry a line (an uncertain date is a pale diamond)
    bottom = dates = alt.Legend(orient="bottom", direction="vertical")
    return alt.Chart(data("timeline")).mark_point(size=140, strokeWidth=2).encode(
        x=x, y=y,
        color=alt.Color("kind:N", scale=alt.Scale(domain=_KINDS, range=[
            OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["bluish green"],
            OKABE_ITO["reddish purple"]]), title="Event", legend=bottom),
        fill=alt.Fill("reading:N", scale=alt.Scale(domain=_READINGS, range=["#444444", "#CCCCCC"]),
                      title="Date", legend=dates),
        shape=alt.Shape("reading:N", scale=alt.Scale(domain=_READINGS, range=["circle", "diamond"]),
                        title="Date", legend=dates),
        tooltip=tooltip)


register(registration_timeline_chart, _timeline_parts)
