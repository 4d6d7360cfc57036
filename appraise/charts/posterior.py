"""Lesson 6: the posterior density of the risk difference, with the benefit region shaded."""

from __future__ import annotations

from typing import Sequence

import altair as alt
import numpy as np

from ._base import (ChartParts, as_float_array, check_prob, pct, pval, records, register, render,
                    same_length)
from .theme import PALETTE, THEME

__all__ = ["posterior_chart"]

def posterior_chart(risk_difference: Sequence[float], density: Sequence[float], *,
                    event_is_bad: bool, prob_benefit: float, prob_beyond_margin: float | None = None,
                    margin: float = 0.0, prior_label: str = "flat",
                    pvalue: float | None = None) -> alt.LayerChart:
    """Posterior density of the risk difference with the benefit region shaded.

    Parameters
    ----------
    risk_difference, density : sequence of float
        A grid of risk differences (treatment − control) and the posterior density there
        (from :mod:`appraise.bayes`).
    event_is_bad : bool
        True when fewer events is benefit (death, intubation): benefit is RD < 0.
    prob_benefit : float
        P(benefit) from :func:`appraise.bayes.probability_of_benefit`.
    prob_beyond_margin : float, optional
        P(benefit larger than ``margin``), same function with ``margin``.
    margin : float
        Clinically relevant margin (a risk difference, e.g. 0.1), drawn as a rule.
    prior_label : str
        Name of the prior, for the title and reading.
    pvalue : float, optional
        The frequentist p-value, quoted in the reading for contrast.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> chart = posterior_chart([-0.6, -0.3, 0.0, 0.3], [0.2, 2.0, 0.8, 0.1],
    ...                         event_is_bad=True, prob_benefit=0.95, prob_beyond_margin=0.8,
    ...                         margin=0.1, prior_label="sceptical", pvalue=0.128)
    >>> print(chart.description)
    With a sceptical prior, P(benefit) = 95% and P(benefit of more than 10 points) = 80%; the two-sided p-value is 0.128.
    """
    return render(_posterior_parts(risk_difference, density, event_is_bad=event_is_bad,
                                    prob_benefit=prob_benefit, prob_beyond_margin=prob_beyond_margin,
                                    margin=margin, prior_label=prior_label, pvalue=pvalue))


def _posterior_parts(risk_difference, density, *, event_is_bad, prob_benefit, prob_beyond_margin=None,
                     margin=0.0, prior_label="flat", pvalue=None) -> ChartParts:
    x = as_float_array("risk_difference", risk_difference)
    y = as_float_array("density", density)
    same_length(risk_difference=x, density=y)
    if not isinstance(event_is_bad, (bool, np.bool_)):
        raise TypeError(f"event_is_bad must be True or False, got {event_is_bad!r}")
    prob_benefit = check_prob("prob_benefit", prob_benefit)
    margin = float(margin)
    sign = -1.0 if event_is_bad else 1.0
    benefit = (sign * x) > 0
    parts = [f"With a {prior_label} prior, P(benefit) = {pct(prob_benefit)}"]
    if prob_beyond_margin is not None:
        prob_beyond_margin = check_prob("prob_beyond_margin", prob_beyond_margin)
        parts.append(f"P(benefit of more than {100 * margin:g} points) = {pct(prob_beyond_margin)}")
    description = " and ".join(parts)
    if pvalue is not None:
        description += f"; the two-sided p-value is {pval(pvalue)}"
    description += "."
    rows = records(**{"risk difference": 100 * x, "density": y / 100.0,
                       "region": np.where(benefit, "benefit", "no benefit")})
    rules = [{"at": 0.0, "label": "no difference"}]
    if margin != 0:
        rules.append({"at": sign * 100 * margin, "label": f"margin: {100 * margin:g} points of benefit"})
    datasets = {"posterior-benefit": [r for r, b in zip(rows, benefit.tolist()) if b],
                "posterior-density": rows, "posterior-lines": rules}
    return ChartParts(_posterior_structure, (), datasets,
                      f"Posterior of the risk difference ({prior_label} prior); shaded: benefit",
                      description, THEME["width"], THEME["height"])


def _posterior_structure(data):
    xenc = alt.X("risk difference:Q", title="Risk difference, treatment − control (percentage points)")
    yenc = alt.Y("density:Q", title="Posterior density (per percentage point)")
    tooltip = [alt.Tooltip("risk difference:Q", format=".1f"), alt.Tooltip("density:Q", format=".4f"),
               "region:N"]
    shade = alt.Chart(data("posterior-benefit")).mark_area(
        color=PALETTE["benefit"], opacity=0.4).encode(x=xenc, y=yenc, tooltip=tooltip)
    curve = alt.Chart(data("posterior-density")).mark_line(color=PALETTE["reference"]).encode(
        x=xenc, y=yenc, tooltip=tooltip)
    rule = alt.Chart(data("posterior-lines")).mark_rule(
        color=PALETTE["reference"], strokeDash=[4, 4]).encode(
        x="at:Q", tooltip=[alt.Tooltip("label:N", title="line")])
    return alt.layer(shade, curve, rule)


register(posterior_chart, _posterior_parts)
