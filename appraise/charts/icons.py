"""Lessons 0, 1 and 5: one icon per patient, by arm and outcome; flipped patients outlined."""

from __future__ import annotations

import math

import altair as alt

from ._base import ChartParts, pct, register, render
from .theme import PALETTE

__all__ = ["icon_array_chart"]

def icon_array_chart(events_treat: int, n_treat: int, events_ctrl: int, n_ctrl: int, *,
                     original: tuple[int, int, int, int] | None = None, event: str = "event",
                     labels: tuple[str, str] = ("Treatment", "Control"),
                     per_row: int = 10) -> alt.Chart:
    """One icon per patient, by arm and outcome; flipped patients are outlined.

    Patient ids are stable (``T01``.. in the treated arm, ``C01``.. in the control arm)
    and the patients with the event are always the first ones of each arm, so changing
    the counts changes exactly the patients that were flipped.

    Parameters
    ----------
    events_treat, n_treat, events_ctrl, n_ctrl : int
        The counts to draw.
    original : tuple of 4 int, optional
        The reported counts; patients whose outcome differs from it are marked
        ``"flipped"`` (black outline, and said in the tooltip and the reading).
    event : str
        What the event is, e.g. ``"intubated"``.
    labels : (str, str)
        Arm labels.
    per_row : int
        Icons per row.

    Returns
    -------
    altair.Chart
        Point marks whose colour *and* shape show the outcome, faceted by arm.

    Examples
    --------
    >>> chart = icon_array_chart(6, 14, 12, 15, original=(7, 14, 12, 15), event="intubated")
    >>> print(chart.description)
    Treatment: 6 of 14 intubated (42.9%); Control: 12 of 15 intubated (80%); 1 treated patient flipped from the report.
    """
    return render(_icon_array_parts(events_treat, n_treat, events_ctrl, n_ctrl, original=original,
                                     event=event, labels=labels, per_row=per_row))


def _icon_array_parts(events_treat, n_treat, events_ctrl, n_ctrl, *, original=None, event="event",
                      labels=("Treatment", "Control"), per_row=10) -> ChartParts:
    from .._validate import check_counts, check_int

    events_treat, n_treat = check_counts("events_treat", events_treat, "n_treat", n_treat)
    events_ctrl, n_ctrl = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    per_row = check_int("per_row", per_row, minimum=1)
    if original is None:
        original = (events_treat, n_treat, events_ctrl, n_ctrl)
    if tuple(original)[1::2] != (n_treat, n_ctrl):
        raise ValueError(f"original must have the same arm sizes ({n_treat}, {n_ctrl}), got {original!r}")
    yes, no = event, f"not {event}"
    rows = []
    flipped_counts = []
    for arm, prefix, events, n, orig in ((labels[0], "T", events_treat, n_treat, original[0]),
                                         (labels[1], "C", events_ctrl, n_ctrl, original[2])):
        flipped_counts.append(abs(events - orig))
        for i in range(n):
            has = i < events
            rows.append({"arm": arm, "patient": f"{prefix}{i + 1:02d}", "column": i % per_row,
                         "row": i // per_row, "outcome": yes if has else no,
                         "change": "flipped" if has != (i < orig) else "as reported"})
    sentences = [f"{labels[0]}: {events_treat} of {n_treat} {event} ({pct(events_treat / n_treat)})",
                 f"{labels[1]}: {events_ctrl} of {n_ctrl} {event} ({pct(events_ctrl / n_ctrl)})"]
    for count, who in zip(flipped_counts, ("treated", "control")):
        if count:
            sentences.append(f"{count} {who} patient{'s' if count != 1 else ''} flipped from the report")
    description = "; ".join(sentences) + "."
    return ChartParts(_icon_array_structure, (str(event), tuple(str(v) for v in labels)), {"patients": rows},
                      f"Every patient: {event} or not", description,
                      22 * per_row, 22 * math.ceil(max(n_treat, n_ctrl) / per_row))


def _icon_array_structure(data, event, labels):
    yes, no = event, f"not {event}"
    return alt.Chart(data("patients")).mark_point(filled=True, size=160, opacity=1).encode(
        x=alt.X("column:O", axis=None),
        y=alt.Y("row:O", axis=None),
        # arm names written horizontally left of their rows: rotated, they are taller than
        # a two-row arm and run into each other
        row=alt.Row("arm:N", title=None, sort=list(labels), spacing=14,
                    header=alt.Header(labelFontSize=13, labelOrient="left", labelAngle=0,
                                      labelAlign="left", labelAnchor="middle", labelPadding=8)),
        color=alt.Color("outcome:N", scale=alt.Scale(domain=[yes, no], range=[
            PALETTE["highlight"], PALETTE["muted"]]), title="Outcome"),
        shape=alt.Shape("outcome:N", scale=alt.Scale(domain=[yes, no], range=["square", "circle"]),
                        title="Outcome"),
        stroke=alt.Stroke("change:N", scale=alt.Scale(domain=["as reported", "flipped"],
                                                      range=["white", "black"]), title="Patient"),
        strokeWidth=alt.StrokeWidth("change:N", scale=alt.Scale(domain=["as reported", "flipped"],
                                                                range=[0.5, 3]), title="Patient"),
        tooltip=["patient:N", "arm:N", "outcome:N", "change:N"])


register(icon_array_chart, _icon_array_parts)
