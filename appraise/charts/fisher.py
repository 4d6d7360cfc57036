"""Lesson 2: the probability of every 2x2 table with the observed margins (Fisher's test)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ._base import ChartParts, pval, records, register, render
from .theme import OKABE_ITO, PALETTE, THEME

__all__ = ["fisher_table_probabilities_chart"]

def fisher_table_probabilities_chart(table: pd.DataFrame, *, events_treat: int, n_treat: int,
                                     events_ctrl: int, n_ctrl: int) -> alt.LayerChart:
    """Probability of every 2x2 table with the observed margins (Fisher's derivation).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`appraise.tests2x2.hypergeometric_table` of the observed counts: one row per
        possible table with columns ``events_treat``, ``probability`` and
        ``as_or_more_extreme``.
    events_treat, n_treat, events_ctrl, n_ctrl : int
        The observed counts (the observed table is highlighted).

    Returns
    -------
    altair.LayerChart
        Bars of probability against events in the treated arm; the observed table (★) and
        the tables as or more extreme (▲) are coloured and marked with a symbol, named in
        the legend.  The reading sums the
        probabilities of the highlighted tables: Fisher's two-sided p-value.

    Examples
    --------
    >>> demo = pd.DataFrame({"events_treat": [0, 1, 2], "probability": [0.2, 0.6, 0.2],
    ...                      "as_or_more_extreme": [True, False, True]})
    >>> chart = fisher_table_probabilities_chart(demo, events_treat=0, n_treat=2,
    ...                                          events_ctrl=1, n_ctrl=2)
    >>> print(chart.description)
    With these margins (1 events among 4 patients) 3 tables are possible; the observed table (0 of 2 treated) and the 1 others as or more extreme have total probability 0.400, which is Fisher's two-sided p-value.
    """
    return render(_fisher_parts(table, events_treat=events_treat, n_treat=n_treat,
                                events_ctrl=events_ctrl, n_ctrl=n_ctrl))


#: Table status -> (legend label, colour, symbol written over the bar).  The symbol
#: repeats the colour's meaning for readers who cannot tell the colours apart.
_STATUS = {
    "observed table": ("observed table (★)", PALETTE["highlight"], "★"),
    "as or more extreme": ("as or more extreme (▲)", OKABE_ITO["orange"], "▲"),
    "less extreme": ("less extreme (no mark)", PALETTE["muted"], ""),
}


def _fisher_parts(table, *, events_treat, n_treat, events_ctrl, n_ctrl) -> ChartParts:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame (hypergeometric_table), got {type(table).__name__}")
    cols = _fisher_columns(table)
    a = table[cols["a"]].astype(int).to_numpy()
    prob = table[cols["prob"]].astype(float).to_numpy()
    extreme = table[cols["extreme"]].astype(bool).to_numpy()
    events_treat, n_treat = int(events_treat), int(n_treat)
    events_ctrl, n_ctrl = int(events_ctrl), int(n_ctrl)
    total = events_treat + events_ctrl
    status = np.where(a == events_treat, "observed table",
                      np.where(extreme, "as or more extreme", "less extreme"))
    pvalue = float(prob[extreme | (a == events_treat)].sum())
    others = int(np.sum(extreme & (a != events_treat)))
    description = (f"With these margins ({total} events among {n_treat + n_ctrl} patients) {len(a)} "
                   f"tables are possible; the observed table ({events_treat} of {n_treat} treated) and "
                   f"the {others} others as or more extreme have total probability {pval(pvalue)}, "
                   f"which is Fisher's two-sided p-value.")
    rows = records(**{"events in treated arm": a, "events in control arm": total - a,
                      "probability": prob, "table": status.tolist(),
                      "legend": [_STATUS[k][0] for k in status.tolist()],
                      "symbol": [_STATUS[k][2] for k in status.tolist()]})
    return ChartParts(_fisher_structure, (n_treat,), {"fisher-tables": rows},
                      "Every table with the observed margins, and how likely it is", description,
                      THEME["width"], THEME["height"])


def _fisher_structure(data, n_treat):
    labels = [v[0] for v in _STATUS.values()]
    x = alt.X("events in treated arm:O", title=f"Events in the treated arm (patients, of {n_treat})",
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("probability:Q", title="Probability of the table (hypergeometric)")
    tooltip = ["events in treated arm:O", "events in control arm:O",
               alt.Tooltip("probability:Q", format=".4f"), "table:N"]
    base = alt.Chart(data("fisher-tables"))
    bars = base.mark_bar(stroke="black", strokeWidth=0.5).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("legend:N", scale=alt.Scale(domain=labels, range=[v[1] for v in _STATUS.values()]),
                        title="Table", legend=alt.Legend(orient="bottom", direction="vertical")))
    marks = base.mark_text(dy=-9, fontSize=13, color="black").encode(
        x=x, y=y, text="symbol:N", tooltip=tooltip)
    return alt.layer(bars, marks)


def _fisher_columns(table: pd.DataFrame) -> dict:
    candidates = {
        "a": ("events_treat", "a", "events_treatment"),
        "prob": ("probability", "prob", "pmf"),
        "extreme": ("as_or_more_extreme", "more_extreme", "extreme", "as_extreme"),
    }
    found = {}
    for key, names in candidates.items():
        for name in names:
            if name in table.columns:
                found[key] = name
                break
        else:
            raise ValueError(f"table must have a column named one of {names}; it has {list(table.columns)}")
    return found


register(fisher_table_probabilities_chart, _fisher_parts)
