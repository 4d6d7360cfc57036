"""Explorers of the 2x2 table: risks and tests as the counts change (lesson 2,
:class:`TwoByTwoExplorer`) and the fragility of the result (lesson 5, :class:`FragilityExplorer`).
"""

from __future__ import annotations

import html

import ipywidgets as w

from . import charts
from ._format import escape_widget_text, format_p
from ._widget_base import _Explorer, _outcome, _p_phrase

__all__ = ["TwoByTwoExplorer", "FragilityExplorer"]


class TwoByTwoExplorer(_Explorer):
    """Type your own 2x2 table: risks, RD/RR/OR/NNT with intervals and five tests.

    Controls: ``events_treat``, ``n_treat``, ``events_ctrl``, ``n_ctrl``
    (``BoundedIntText``, 0-500).  Displays ``summary_html``
    (:meth:`appraise.proportions.Comparison.summary`) and ``tests_html`` (the p-value of
    each test of :func:`appraise.tests2x2.tests_2x2`).  Events above the arm size show a
    message in ``status``.  The starting table is given (for a card's outcome:
    ``TwoByTwoExplorer(*outcome.counts)``); each count is checked, not clamped.

    Examples
    --------
    >>> import appraise as ap
    >>> ex = TwoByTwoExplorer(*ap.load_trial("mensc-secretome-covid19").outcome("intubation").counts)
    >>> ex.n_ctrl.value
    15
    >>> ex.events_treat.value = 20
    >>> ex.status.value.startswith('<span')
    True
    """

    MAX_N = 500
    LIMIT_WHY = "every test is recomputed as you type"

    def __init__(self, events_treat: int, n_treat: int, events_ctrl: int, n_ctrl: int):
        from ._validate import check_counts, check_int, check_limit

        # the boxes would clamp a value silently: check the starting table first
        for name, value in (("events_treat", events_treat), ("n_treat", n_treat),
                            ("events_ctrl", events_ctrl), ("n_ctrl", n_ctrl)):
            check_limit(name, check_int(name, value, minimum=0), self.MAX_N, self.LIMIT_WHY)
        check_counts("events_treat", events_treat, "n_treat", n_treat)
        check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
        super().__init__()
        box = dict(min=0, max=self.MAX_N, layout=w.Layout(width="160px"),
                   style={"description_width": "initial"})
        self.events_treat = w.BoundedIntText(value=events_treat, description="Events, treatment", **box)
        self.n_treat = w.BoundedIntText(value=n_treat, description="Patients, treatment", **box)
        self.events_ctrl = w.BoundedIntText(value=events_ctrl, description="Events, control", **box)
        self.n_ctrl = w.BoundedIntText(value=n_ctrl, description="Patients, control", **box)
        self.summary_html = w.HTML()
        self.tests_html = w.HTML()
        self.note = w.HTML(value=escape_widget_text(
            f"Each box takes 0 to {self.MAX_N}; a larger number typed in is set back to {self.MAX_N} "
            f"({self.LIMIT_WHY}). For larger trials call ap.compare_proportions(...)."))
        self._cache: dict = {}
        self._observe(self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)
        self.widget = w.VBox([w.HBox([self.events_treat, self.n_treat]),
                              w.HBox([self.events_ctrl, self.n_ctrl]),
                              self.note, self.status, self.summary_html, self.tests_html])
        self.update()

    def counts(self) -> tuple[int, int, int, int]:
        """The table as entered: ``(events_treat, n_treat, events_ctrl, n_ctrl)``."""
        return (self.events_treat.value, self.n_treat.value, self.events_ctrl.value, self.n_ctrl.value)

    def _update(self):
        from .proportions import compare_proportions

        key = self.counts()
        if key not in self._cache:
            self._cache[key] = compare_proportions(*key)
        cmp = self._cache[key]
        self.summary_html.value = f"<pre>{html.escape(cmp.summary())}</pre>"
        rows = "".join(f"<tr><td>{html.escape(r.method or name)}</td>"
                       f"<td>{format_p(r.pvalue, digits=4) if r.computed else html.escape(r.note)}</td></tr>"
                       for name, r in cmp.tests.items())
        self.tests_html.value = f"<table><tr><th>Test (two-sided)</th><th>p-value</th></tr>{rows}</table>"



class FragilityExplorer(_Explorer):
    """Flip patients' outcomes and watch p, the interval and the fragility index move.

    Controls: ``flip_treat`` and ``flip_ctrl`` (change in the number of events in each
    arm, negative = fewer events), and ``reset`` (a button).  Displays ``table_html``
    (the 2x2 table), ``pvalue_html`` (Fisher p from
    :func:`appraise.tests2x2.fisher_pvalue_table`), ``interval_html`` (risk difference
    and its Newcombe interval from :func:`appraise.proportions.compare_proportions`),
    ``fragility_html`` (:func:`appraise.fragility.fragility_index` or
    :func:`~appraise.fragility.reverse_fragility_index` of the current table) and the icon
    array.

    ``outcome_id`` names the card's outcome to explore; ``None`` (default) takes the lesson's
    outcome, :func:`appraise.cards.claims.lesson_outcome` (the card's primary outcome).

    Examples
    --------
    >>> import appraise as ap
    >>> ex = FragilityExplorer(ap.load_trial("mensc-secretome-covid19"), "intubation")
    >>> ex.flip_treat.value = -2
    >>> ex.pvalue_html.value
    '<b>Fisher</b> p = 0.025 (significant at 0.05)'
    """

    def __init__(self, trial, outcome_id: str | None = None, *, alpha: float = 0.05):
        super().__init__()
        out = _outcome(trial, outcome_id)
        self.outcome = out
        from ._validate import check_alpha

        self.alpha = check_alpha(alpha)
        self.original = out.counts
        style = {"description_width": "initial"}
        self.flip_treat = w.IntSlider(value=0, min=-out.events_treat, max=out.n_treat - out.events_treat,
                                      description="Change in events, treatment", style=style)
        self.flip_ctrl = w.IntSlider(value=0, min=-out.events_ctrl, max=out.n_ctrl - out.events_ctrl,
                                     description="Change in events, control", style=style)
        self.reset = w.Button(description="Back to the report")
        self.reset.on_click(self._on_reset)
        self.table_html = w.HTML()
        self.pvalue_html = w.HTML()
        self.interval_html = w.HTML()
        self.fragility_html = w.HTML()
        self._cache: dict = {}
        self.chart_view = charts.live_chart(charts.icon_array_chart(*self.counts(), **self._chart_options()))
        self._observe(self.flip_treat, self.flip_ctrl)
        self.widget = w.VBox([w.HBox([self.flip_treat, self.flip_ctrl, self.reset]), self.status,
                              w.HBox([self.table_html,
                                      w.VBox([self.pvalue_html, self.interval_html, self.fragility_html])]),
                              self.chart_view])
        self.update()

    def _on_reset(self, _button=None):
        with self.flip_treat.hold_trait_notifications(), self.flip_ctrl.hold_trait_notifications():
            self.flip_treat.value = 0
            self.flip_ctrl.value = 0
        self.update()

    def counts(self) -> tuple[int, int, int, int]:
        """The current table after the flips."""
        a, n1, c, n2 = self.original
        return (a + self.flip_treat.value, n1, c + self.flip_ctrl.value, n2)

    def _chart_options(self):
        return dict(original=self.original, event=self.outcome.event, labels=("Treatment", "Control"))

    def _results(self, key):
        from .fragility import fragility_index, reverse_fragility_index
        from .proportions import compare_proportions
        from .tests2x2 import fisher_pvalue_table

        if key not in self._cache:
            a, n1, c, n2 = key
            p = float(fisher_pvalue_table(n1, n2)[a, c])
            cmp = compare_proportions(a, n1, c, n2)
            frag = (fragility_index if p < self.alpha else reverse_fragility_index)(a, n1, c, n2, alpha=self.alpha)
            self._cache[key] = (p, cmp.risk_difference, frag)
        return self._cache[key]

    def _update(self):
        key = self.counts()
        a, n1, c, n2 = key
        p, rd, frag = self._results(key)
        ev = escape_widget_text(self.outcome.event)
        self.table_html.value = (
            f"<table><tr><th></th><th>{ev}</th><th>not {ev}</th><th>total</th></tr>"
            f"<tr><td>Treatment</td><td>{a}</td><td>{n1 - a}</td><td>{n1}</td></tr>"
            f"<tr><td>Control</td><td>{c}</td><td>{n2 - c}</td><td>{n2}</td></tr></table>")
        sig = "significant" if p < self.alpha else "not significant"
        self.pvalue_html.value = f"<b>Fisher</b> {_p_phrase(p)} ({sig} at {self.alpha:g})"
        self.interval_html.value = (f"<b>Risk difference</b> {100 * rd.estimate:.1f} points "
                                    f"(95% CI {100 * rd.low:.1f} to {100 * rd.high:.1f})")
        name = "Fragility index" if frag.kind == "fragility" else "Reverse fragility index"
        value = "not reachable" if frag.index is None else str(frag.index)
        self.fragility_html.value = f"<b>{name}</b> = {value}"
        self._draw(self.chart_view, charts.icon_array_chart, *key, **self._chart_options())
