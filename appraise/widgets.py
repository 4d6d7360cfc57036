"""Interactive explorers for the lessons: ipywidgets wiring over pure functions.

Each explorer is a class whose controls are attributes (``explorer.n``,
``explorer.risk_treat``...), with a ``.widget`` container to display (the explorer
displays itself in a notebook).  Every control calls one ``update()`` method; numbers
are written into HTML widgets (never printed into an Output widget) and charts are
``altair.JupyterChart`` widgets updated in place: each update assigns the chart's
Vega-Lite ``spec`` (filled by :func:`appraise.charts.chart_spec`, equal to the builder's
``to_dict()``) rather than a new Altair chart, so nothing is rebuilt or revalidated; read
the chart shown from ``view.spec``.  A ``ValueError`` or ``TypeError`` from the
statistics is shown as a message in ``explorer.status``, never as a traceback; so is any
other error, marked as unexpected.  Nothing is printed.

The explorers hold no statistics of their own: every number comes from
:mod:`appraise.power`, :mod:`appraise.proportions`, :mod:`appraise.tests2x2`,
:mod:`appraise.fragility` or :mod:`appraise.bayes`.

The explorers live by lesson in :mod:`appraise.widgets_power`, :mod:`appraise.widgets_counts`,
:mod:`appraise.widgets_bayes`, :mod:`appraise.widgets_continuous`, :mod:`appraise.widgets_rob2` and
:mod:`appraise.widgets_worksheet`
(shared plumbing in :mod:`appraise._widget_base`); this module gives them their public names.
The RoB 2 judgement algorithms are pure functions of :mod:`appraise.rob2`
(:func:`rob2_domain_judgement`, :func:`rob2_overall`), re-exported here.
"""

from __future__ import annotations

from ._widget_base import _Explorer, _fmt_p, _outcome, _p_phrase, _pct, tidy_layout  # noqa: F401
from .rob2 import ROB2_ANSWERS, ROB2_DOMAINS, rob2_domain_judgement, rob2_options, rob2_overall  # noqa: F401
from .widgets_bayes import PriorExplorer
from .widgets_continuous import CorrelationExplorer
from .widgets_counts import FragilityExplorer, TwoByTwoExplorer
from .widgets_power import N_GRID, PValueDance, SampleSizeExplorer
from .widgets_rob2 import RoB2Checklist
from .widgets_worksheet import AppraisalWorksheet

__all__ = [
    "AppraisalWorksheet",
    "SampleSizeExplorer",
    "PValueDance",
    "TwoByTwoExplorer",
    "FragilityExplorer",
    "PriorExplorer",
    "CorrelationExplorer",
    "RoB2Checklist",
    "ROB2_DOMAINS",
    "ROB2_ANSWERS",
    "rob2_domain_judgement",
    "rob2_overall",
    "N_GRID",
]
