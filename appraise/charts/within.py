"""Lesson 7: baseline -> follow-up in both arms of a simulated trial where treatment does nothing."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ._base import ChartParts, p_phrase, register, render
from .theme import PALETTE, THEME

__all__ = ["within_group_simulation_chart"]

def within_group_simulation_chart(data: pd.DataFrame, analysis, *, measure: str = "Laboratory value",
                                  unit: str = "arbitrary units") -> alt.LayerChart:
    """Baseline -> follow-up in both arms of a simulated trial where treatment does nothing.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`appraise.simulate.simulate_baseline_followup` result (columns ``arm``,
        ``baseline``, ``follow_up``).
    analysis : BaselineFollowupAnalysis
        :func:`appraise.simulate.analyse_baseline_followup` of the same data; its
        p-values and percentage changes are quoted in the reading.
    measure, unit : str
        Axis labelling.

    Returns
    -------
    altair.LayerChart
        Thin lines per patient and thick lines for each arm's mean (colour and dash by
        arm).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> d = pd.DataFrame({"arm": ["treatment", "treatment", "control", "control"],
    ...                   "baseline": [120.0, 140.0, 130.0, 150.0], "follow_up": [100.0, 110.0, 105.0, 125.0]})
    >>> a = NS(percent_change={"treatment": -19.2, "control": -17.9},
    ...        within={"treatment": NS(pvalue=0.03), "control": NS(pvalue=0.0004)},
    ...        between_test=NS(pvalue=0.81))
    >>> print(within_group_simulation_chart(d, a).description)
    With no treatment effect, the treated arm changed by -19.2% (within-arm p = 0.030) and the control arm by -17.9% (p = 0.00040); the between-arm comparison gives p = 0.810.
    """
    return render(_within_parts(data, analysis, measure=measure, unit=unit))


def _within_parts(data, analysis, *, measure="Laboratory value", unit="arbitrary units") -> ChartParts:
    if not isinstance(data, pd.DataFrame) or not {"arm", "baseline", "follow_up"} <= set(data.columns):
        raise TypeError("data must be a DataFrame with columns 'arm', 'baseline', 'follow_up'")
    pc, within = analysis.percent_change, analysis.within
    description = (f"With no treatment effect, the treated arm changed by {pc['treatment']:+.1f}% "
                   f"(within-arm {p_phrase(within['treatment'].pvalue)}) and the control arm by "
                   f"{pc['control']:+.1f}% ({p_phrase(within['control'].pvalue)}); the between-arm "
                   f"comparison gives {p_phrase(analysis.between_test.pvalue)}.").replace("+-", "-")
    long = data.reset_index(drop=True).assign(patient=lambda d: d.index + 1).melt(
        id_vars=["arm", "patient"], value_vars=["baseline", "follow_up"], var_name="time", value_name="value")
    long["time"] = long["time"].map({"baseline": "baseline", "follow_up": "follow-up"})
    rows = [{"arm": str(r.arm), "patient": int(r.patient), "time": r.time, "value": float(r.value)}
            for r in long.itertuples(index=False)]
    return ChartParts(_within_structure, (str(measure), str(unit)), {"within-values": rows},
                      f"{measure}: both arms 'improve' when treatment does nothing", description,
                      THEME["width"], THEME["height"])


def _within_structure(data, measure, unit):
    arms = ["treatment", "control"]
    x = alt.X("time:N", sort=["baseline", "follow-up"], title="Time point", axis=alt.Axis(labelAngle=0))
    ytitle = f"{measure} ({unit})"
    # dark colours and a dash for control: thin orange or yellow lines are too pale on white
    # the legend shows the arm lines at full strength, with their dash
    legend = alt.Legend(symbolType="stroke", symbolOpacity=1, symbolStrokeWidth=3, symbolSize=400)
    colour = alt.Color("arm:N", scale=alt.Scale(domain=arms, range=[PALETTE["treatment"],
                                                                   PALETTE["control line"]]),
                       title="Arm", legend=legend)
    dash = alt.StrokeDash("arm:N", scale=alt.Scale(domain=arms, range=[[1, 0], [6, 4]]), title="Arm",
                          legend=legend)
    base = alt.Chart(data("within-values"))
    patients = base.mark_line(opacity=0.45, strokeWidth=1).encode(
        x=x, y=alt.Y("value:Q", title=ytitle), detail="patient:N", color=colour, strokeDash=dash,
        tooltip=["arm:N", "patient:N", "time:N", alt.Tooltip("value:Q", format=".1f")])
    means = base.mark_line(strokeWidth=4, point=True).encode(
        x=x, y=alt.Y("mean(value):Q", title=ytitle), color=colour, strokeDash=dash,
        tooltip=["arm:N", "time:N", alt.Tooltip("mean(value):Q", format=".1f", title="arm mean")])
    return alt.layer(patients, means)


register(within_group_simulation_chart, _within_parts)
