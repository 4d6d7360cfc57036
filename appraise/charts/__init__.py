"""Altair charts for the lessons: values in, chart out.

Every builder takes numbers or results that the statistics modules computed (it never
computes a statistic itself) and returns an Altair chart with

* a title and axis titles that state their units,
* tooltips on every mark,
* the Okabe-Ito colour-blind-safe palette (:data:`OKABE_ITO`), and, where a colour
  carries meaning, a second cue (shape, dash or text symbol) so that nothing is
  colour-only,
* ``description`` set to a one-line plain-text reading of what the chart shows, computed
  from the data passed in.  Lessons print it under the chart (:func:`reading` wraps it
  for printing); it is also what screen readers announce.

The look (fonts, title, axes, legends) comes from a registered Altair theme
(:mod:`appraise.charts.theme`), enabled on import, not from ``.configure_*`` calls, so
the charts can be layered and concatenated like any Altair chart.  Every chart and every
spec is made one way (:mod:`appraise.charts._base`): :func:`chart_spec` gives any
builder's Vega-Lite dict fast, for explorers that redraw on every move of a control.

One module per topic: :mod:`~appraise.charts.pvalues` and :mod:`~appraise.charts.power`
(lesson 4), :mod:`~appraise.charts.fisher` and :mod:`~appraise.charts.forest` (lesson 2),
:mod:`~appraise.charts.icons` (lessons 0, 1, 5), :mod:`~appraise.charts.survival`
(lesson 3), :mod:`~appraise.charts.posterior` (lesson 6), :mod:`~appraise.charts.within`
and :mod:`~appraise.charts.continuous` (lesson 7), :mod:`~appraise.charts.registration`,
:mod:`~appraise.charts.rob2` and :mod:`~appraise.charts.flags` (lesson 8).

In a notebook call :func:`enable_offline` once: it switches Altair to its ``jupyter``
renderer in offline mode (``JupyterChart``, an anywidget whose JavaScript comes from
``vl-convert-python``), so charts render without internet access and widgets can update
them in place.

>>> from appraise.charts.forest import _demo_comparison
>>> chart = forest_chart({"Intubation": _demo_comparison()})
>>> print(reading(chart))
Intubation: risk difference -30.0 points (95% CI -58.0 to 3.0), risk ratio 0.62 (0.37 to
1.05); every interval includes no effect.
>>> both = alt.vconcat(chart, traffic_light_chart({"D1": "low"}))   # plain Altair charts
>>> len(both.to_dict()["vconcat"])
2
"""

from __future__ import annotations

import altair as alt

from ._base import chart_spec
from .continuous import between_within_correlation_chart
from .fisher import fisher_table_probabilities_chart
from .flags import SEVERITY_STYLE, flags_traffic_light_chart
from .forest import forest_chart
from .icons import icon_array_chart
from .posterior import posterior_chart
from .power import power_curve_chart
from .pvalues import PVALUE_FLOOR, pvalue_dance_chart, pvalue_vs_n_chart
from .registration import registration_timeline_chart
from .rob2 import ROB2_STYLE, traffic_light_chart
from .survival import logrank_orderings_chart
from .theme import EMBED_OPTIONS, OKABE_ITO, PALETTE, THEME, enable_offline, live_chart, reading
from .within import within_group_simulation_chart

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "THEME",
    "enable_offline",
    "live_chart",
    "EMBED_OPTIONS",
    "reading",
    "chart_spec",
    "pvalue_vs_n_chart",
    "power_curve_chart",
    "pvalue_dance_chart",
    "fisher_table_probabilities_chart",
    "forest_chart",
    "icon_array_chart",
    "posterior_chart",
    "registration_timeline_chart",
    "traffic_light_chart",
    "flags_traffic_light_chart",
    "within_group_simulation_chart",
    "logrank_orderings_chart",
    "between_within_correlation_chart",
    "ROB2_STYLE",
    "SEVERITY_STYLE",
    "PVALUE_FLOOR",
]
