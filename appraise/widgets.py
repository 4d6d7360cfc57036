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

This module also holds the RoB 2 judgement algorithms as pure functions,
:func:`rob2_domain_judgement` and :func:`rob2_overall`, used by :class:`RoB2Checklist`.
"""

from __future__ import annotations

import html
from typing import Mapping

import altair as alt
import ipywidgets as w

from . import charts
from ._format import escape_widget_text, format_p
from .widgets_worksheet import AppraisalWorksheet

__all__ = [
    "AppraisalWorksheet",
    "SampleSizeExplorer",
    "PValueDance",
    "TwoByTwoExplorer",
    "FragilityExplorer",
    "PriorExplorer",
    "RoB2Checklist",
    "ROB2_DOMAINS",
    "ROB2_ANSWERS",
    "rob2_domain_judgement",
    "rob2_overall",
    "N_GRID",
]

#: Patients per arm at which the curves are drawn: every n up to 50 (the sawtooth),
#: then every 5 up to 300.
N_GRID = tuple(range(1, 51)) + tuple(range(55, 301, 5))


def _fmt_p(p: float) -> str:
    from ._format import escape_widget_text, format_p

    return escape_widget_text(format_p(p))


def _p_phrase(p: float) -> str:
    from ._format import escape_widget_text, p_phrase

    return escape_widget_text(p_phrase(p))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# Sizes for laying out controls so that nothing is cut on a 1280-pixel-wide screen.
_LABEL_PX_PER_CHAR = 7.5      # width of one character of a control's label (13 px font)
_SLIDER_TRACK_PX = 280        # a track long enough to set a chosen value with the mouse
_READOUT_PX = 70              # the slider's value readout
_INPUT_PX = 110               # a number box: three digits beside its arrows


def _label_px(text: str) -> int:
    return int(max(80, _LABEL_PX_PER_CHAR * len(text) + 12))


def tidy_layout(widget):
    """Lay out a widget tree so nothing is cut off; return the widget.

    Every slider gets a label column as wide as its label and a track of
    ``_SLIDER_TRACK_PX`` pixels (a label left at its natural width squeezes the track to a
    few pixels), every number or text box room for its label and three digits, every
    button the width of its text, and every row of widgets (``HBox``) wraps onto the next
    line instead of running past the edge of the notebook.  Widths set on purpose
    elsewhere by an explorer are replaced; the function is idempotent.
    """
    if isinstance(widget, (w.IntSlider, w.FloatSlider, w.IntRangeSlider, w.FloatRangeSlider,
                           w.SelectionSlider)):
        label = _label_px(widget.description or "")
        widget.style.description_width = f"{label}px"
        widget.layout.width = f"{label + _SLIDER_TRACK_PX + _READOUT_PX}px"
    elif isinstance(widget, (w.IntText, w.FloatText, w.BoundedIntText, w.BoundedFloatText, w.Text)):
        label = _label_px(widget.description or "")
        widget.style.description_width = f"{label}px"
        widget.layout.width = f"{label + _INPUT_PX}px"
    elif isinstance(widget, w.Button):
        widget.layout.width = "auto"
    if isinstance(widget, w.HBox) and not widget.layout.flex_flow:
        widget.layout.flex_flow = "row wrap"
    for child in getattr(widget, "children", ()):
        tidy_layout(child)
    return widget


class _Explorer:
    """Shared plumbing: status line, error handling, display."""

    def __init__(self):
        alt.JupyterChart.enable_offline(offline=True)
        self.status = w.HTML(value="")
        self.widget: w.Widget | None = None

    def _observe(self, *controls) -> None:
        for control in controls:
            control.observe(self._on_change, names="value")

    def _on_change(self, change=None) -> None:
        self.update()

    def update(self) -> bool:
        """Recompute and redraw from the current control values.

        Returns
        -------
        bool
            True when the values were valid; otherwise the reason is shown in
            ``self.status`` and the displays keep their last valid state.
        """
        try:
            self._update()
        except (ValueError, TypeError) as exc:
            self._message(str(exc))
            return False
        except Exception as exc:  # a bug: still a message in the page, not a traceback
            self._message(f"unexpected error ({type(exc).__name__}): {exc}")
            return False
        self.status.value = ""
        return True

    def _message(self, text: str) -> None:
        self.status.value = (f'<span style="color:{charts.OKABE_ITO["vermillion"]}">'
                             f"⚠ {escape_widget_text(text)}</span>")

    @staticmethod
    def _draw(view, builder, *args, **kwargs) -> None:
        """Redraw a JupyterChart in place from a builder's arguments (no chart rebuilt)."""
        view.spec = charts.chart_spec(builder, *args, **kwargs)

    def _update(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        return tidy_layout(self.widget)._repr_mimebundle_(**kwargs)

    def display(self):
        """Show the explorer (same as leaving it as the last expression of a cell)."""
        from IPython.display import display

        display(tidy_layout(self.widget))


def _outcome(trial, outcome_id):
    from .trials import Trial

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a Trial (appraise.load_trial), got {trial!r} of type "
                        f"{type(trial).__name__}")
    return trial.outcome(outcome_id)


# ---------------------------------------------------------------------------
# lesson 4
# ---------------------------------------------------------------------------

class SampleSizeExplorer(_Explorer):
    """Keep the observed risks, change the size: p-value, exact power, n needed.

    Controls: ``n`` (patients per arm, 1-300), ``risk_treat`` and ``risk_ctrl`` (the
    *true* risks assumed for power, 0-1).  Displays: ``pvalue_html`` (p-value of the
    observed risks at n per arm, :func:`appraise.power.pvalue_at_n`), ``power_html``
    (exact power, :func:`appraise.power.power_two_proportions`), ``needed_html`` (n per
    arm for 80% and 90% power, :func:`appraise.power.sample_size_two_proportions`), and
    two charts (p against n, power curve).

    Examples
    --------
    >>> import appraise as ap
    >>> ex = SampleSizeExplorer(ap.load_trial("mensc-secretome-covid19"), "intubation")
    >>> ex.n.value = 40
    >>> ex.pvalue_html.value
    '<b>p-value</b> of 50.0% vs 80.0% at 40 per arm (Fisher): <b>0.009</b>'
    """

    def __init__(self, trial, outcome_id: str = "intubation", *, alpha: float = 0.05):
        super().__init__()
        out = _outcome(trial, outcome_id)
        self.alpha = alpha
        self.observed = (out.events_treat / out.n_treat, out.events_ctrl / out.n_ctrl)
        self.trial_sizes = (out.n_treat, out.n_ctrl)
        style = {"description_width": "initial"}
        self.n = w.IntSlider(value=min(out.n_treat, N_GRID[-1]), min=1, max=N_GRID[-1],
                             description="Patients per arm", style=style, continuous_update=False)
        # the sliders cannot hold every value: say so instead of moving it in silence
        notes = []
        if out.n_treat > N_GRID[-1]:
            notes.append(f"This trial has {out.n_treat} patients in the treatment arm; the slider stops at "
                         f"{N_GRID[-1]} per arm (exact power enumerates every possible table at each size, "
                         f"too slow to redraw beyond), so it starts at {N_GRID[-1]}.")
        for arm, risk in zip(("treatment", "control"), self.observed):
            if round(risk, 2) != risk:
                notes.append(f"The true-risk slider of the {arm} arm moves in steps of 0.01: it starts at "
                             f"{round(risk, 2):.2f}, the observed {_pct(risk)} rounded.")
        self.note = w.HTML(value="<br>".join(escape_widget_text(text) for text in notes))
        self.risk_treat = w.FloatSlider(value=round(self.observed[0], 2), min=0.0, max=1.0, step=0.01,
                                        description="True risk, treatment", style=style,
                                        continuous_update=False)
        self.risk_ctrl = w.FloatSlider(value=round(self.observed[1], 2), min=0.0, max=1.0, step=0.01,
                                       description="True risk, control", style=style,
                                       continuous_update=False)
        self.pvalue_html = w.HTML()
        self.power_html = w.HTML()
        self.needed_html = w.HTML()
        self._pcurve = None
        self._power_cache: dict = {}
        self._needed_cache: dict = {}
        self.pvalue_chart = None
        self.power_chart = None
        self._build()

    def _pvalue_curve(self):
        from .power import pvalue_at_n

        if self._pcurve is None:
            rt, rc = self.observed
            self._pcurve = [pvalue_at_n(rt, rc, n_treat=n, n_ctrl=n).pvalue for n in N_GRID]
        return self._pcurve

    def _risks(self):
        # slider values carry float noise (0.30000000000000004); the cache key does not
        return round(float(self.risk_treat.value), 6), round(float(self.risk_ctrl.value), 6)

    def _power_curves(self, pt, pc):
        from .power import power_two_proportions

        key = (pt, pc)
        if key not in self._power_cache:
            if len(self._power_cache) >= 512:
                self._power_cache.clear()
            exact = [power_two_proportions(pt, pc, n_treat=n, alpha=self.alpha) for n in N_GRID]
            normal = [power_two_proportions(pt, pc, n_treat=n, alpha=self.alpha, test="normal") for n in N_GRID]
            self._power_cache[key] = (exact, normal)
        return self._power_cache[key]

    def _needed(self, pt, pc):
        from .power import sample_size_two_proportions

        key = (pt, pc)
        if key not in self._needed_cache:
            if len(self._needed_cache) >= 512:
                self._needed_cache.clear()
            texts = []
            for target in (0.8, 0.9):
                if pt == pc:
                    texts.append(f"{target:.0%}: none (equal risks have no effect to detect)")
                    continue
                # the normal approximation is instant; search exactly only when it is in range
                approx = sample_size_two_proportions(pt, pc, power=target, alpha=self.alpha, test="normal")
                if approx > 300:
                    texts.append(f"{target:.0%}: more than 300 per arm (normal approximation {approx})")
                    continue
                try:
                    exact = sample_size_two_proportions(pt, pc, power=target, alpha=self.alpha, max_n=300)
                    texts.append(f"{target:.0%}: <b>{exact}</b> per arm (normal approximation {approx})")
                except ValueError:
                    texts.append(f"{target:.0%}: more than 300 per arm (normal approximation {approx})")
            self._needed_cache[key] = "<b>Needed for</b> " + "; ".join(texts)
        return self._needed_cache[key]

    def _curves(self):
        """Everything drawn at the current values: ``(p_now, power_now, pvalue_args, power_args)``."""
        from .power import power_two_proportions, pvalue_at_n

        n = self.n.value
        pt, pc = self._risks()
        rt, rc = self.observed
        p_now = pvalue_at_n(rt, rc, n_treat=n, n_ctrl=n).pvalue
        ns = list(N_GRID)
        pv = list(self._pvalue_curve())
        exact, normal = self._power_curves(pt, pc)
        exact, normal = list(exact), list(normal)
        if n not in N_GRID:
            pos = sorted(ns + [n]).index(n)
            ns.insert(pos, n)
            pv.insert(pos, p_now)
            exact.insert(pos, power_two_proportions(pt, pc, n_treat=n, alpha=self.alpha))
            normal.insert(pos, power_two_proportions(pt, pc, n_treat=n, alpha=self.alpha, test="normal"))
        pargs = ((ns, pv), dict(risk_treat=rt, risk_ctrl=rc, current=(n, n), current_pvalue=p_now,
                                alpha=self.alpha))
        wargs = ((ns, exact), dict(power_normal=normal, p_treat=pt, p_ctrl=pc, alpha=self.alpha, current_n=n))
        return p_now, exact[ns.index(n)], pargs, wargs

    def _build(self):
        _, _, (pa, pk), (wa, wk) = self._curves()
        self.pvalue_chart = charts.live_chart(charts.pvalue_vs_n_chart(*pa, **pk))
        self.power_chart = charts.live_chart(charts.power_curve_chart(*wa, **wk))
        self.widget = w.VBox([
            w.HBox([self.n]), w.HBox([self.risk_treat, self.risk_ctrl]), self.note,
            self.pvalue_html, self.power_html, self.needed_html, self.status,
            w.HBox([self.pvalue_chart, self.power_chart]),
        ])
        self._observe(self.n, self.risk_treat, self.risk_ctrl)
        self.update()

    def _update(self):
        n = self.n.value
        pt, pc = self._risks()
        rt, rc = self.observed
        p_now, power, (pa, pk), (wa, wk) = self._curves()
        self.pvalue_html.value = (f"<b>p-value</b> of {_pct(rt)} vs {_pct(rc)} at {n} per arm (Fisher): "
                                  f"<b>{_fmt_p(p_now)}</b>")
        self.power_html.value = (f"<b>Exact power</b> at {n} per arm if the true risks are {_pct(pt)} vs "
                                 f"{_pct(pc)}: <b>{_pct(power)}</b>")
        self.needed_html.value = self._needed(pt, pc)
        self._draw(self.pvalue_chart, charts.pvalue_vs_n_chart, *pa, **pk)
        self._draw(self.power_chart, charts.power_curve_chart, *wa, **wk)


class PValueDance(_Explorer):
    """Replicate the trial many times with the same true risks: watch p dance.

    Controls: ``n`` (patients per arm) and ``reroll`` (a button drawing the next seeded
    batch: seed, seed + 1, ...).  Displays ``summary_html`` and the dot chart.  The
    p-values come from :func:`appraise.power.simulate_pvalues`.

    Examples
    --------
    >>> import appraise as ap
    >>> dance = PValueDance(ap.load_trial("mensc-secretome-covid19"), "intubation", seed=1)
    >>> dance.current_seed
    1
    >>> dance.reroll.click()
    >>> dance.current_seed
    2
    """

    def __init__(self, trial, outcome_id: str = "intubation", *, seed: int = 0, n_trials: int = 1000,
                 alpha: float = 0.05):
        super().__init__()
        out = _outcome(trial, outcome_id)
        self.true_risks = (out.events_treat / out.n_treat, out.events_ctrl / out.n_ctrl)
        self.seed = seed
        self.current_seed = seed
        self.n_trials = n_trials
        self.alpha = alpha
        self.n = w.IntSlider(value=out.n_treat, min=1, max=300, description="Patients per arm",
                             style={"description_width": "initial"}, continuous_update=False)
        self.reroll = w.Button(description="Run again (next seed)", icon="refresh")
        self.summary_html = w.HTML()
        self.pvalues = None
        args, kwargs = self._simulate()
        self.chart_view = charts.live_chart(charts.pvalue_dance_chart(*args, **kwargs))
        self.reroll.on_click(self._on_reroll)
        self._observe(self.n)
        self.widget = w.VBox([w.HBox([self.n, self.reroll]), self.summary_html, self.status, self.chart_view])
        self.update()

    def _on_reroll(self, _button=None):
        self.current_seed += 1
        self.update()

    def _simulate(self):
        """Draw the current batch; return the arguments of the dance chart."""
        from .power import simulate_pvalues

        pt, pc = self.true_risks
        n = self.n.value
        self.pvalues = simulate_pvalues(pt, pc, n_treat=n, n_ctrl=n, n_trials=self.n_trials,
                                        seed=self.current_seed)
        return (self.pvalues,), dict(n_treat=n, n_ctrl=n, p_treat=pt, p_ctrl=pc, alpha=self.alpha)

    def _update(self):
        args, kwargs = self._simulate()
        self._draw(self.chart_view, charts.pvalue_dance_chart, *args, **kwargs)
        self.summary_html.value = (f"Seed {self.current_seed}. "
                                   + escape_widget_text(self.chart_view.spec["description"]))


# ---------------------------------------------------------------------------
# lesson 2
# ---------------------------------------------------------------------------

class TwoByTwoExplorer(_Explorer):
    """Type your own 2x2 table: risks, RD/RR/OR/NNT with intervals and five tests.

    Controls: ``events_treat``, ``n_treat``, ``events_ctrl``, ``n_ctrl``
    (``BoundedIntText``, 0-500).  Displays ``summary_html``
    (:meth:`appraise.proportions.Comparison.summary`) and ``tests_html`` (the p-value of
    each test of :func:`appraise.tests2x2.tests_2x2`).  Events above the arm size show a
    message in ``status``.

    Examples
    --------
    >>> ex = TwoByTwoExplorer()
    >>> ex.events_treat.value = 20
    >>> ex.status.value.startswith('<span')
    True
    """

    MAX_N = 500
    LIMIT_WHY = "every test is recomputed as you type"

    def __init__(self, events_treat: int = 7, n_treat: int = 14, events_ctrl: int = 12, n_ctrl: int = 15):
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


# ---------------------------------------------------------------------------
# lesson 5
# ---------------------------------------------------------------------------

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

    Examples
    --------
    >>> import appraise as ap
    >>> ex = FragilityExplorer(ap.load_trial("mensc-secretome-covid19"), "intubation")
    >>> ex.flip_treat.value = -2
    >>> ex.pvalue_html.value
    '<b>Fisher</b> p = 0.025 (significant at 0.05)'
    """

    def __init__(self, trial, outcome_id: str = "intubation", *, alpha: float = 0.05):
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


# ---------------------------------------------------------------------------
# lesson 6
# ---------------------------------------------------------------------------

class PriorExplorer(_Explorer):
    """Move the prior from sceptical to enthusiastic; read P(benefit) beside the p-value.

    Controls: ``prior`` (position -1 sceptical ... 0 flat ... +1 enthusiastic, given to
    :func:`appraise.bayes.prior_from_slider`) and ``margin`` (a risk difference, 0-0.3).
    Displays ``benefit_html`` (:func:`appraise.bayes.probability_of_benefit` with and
    without the margin), ``pvalue_html`` (Fisher p of :func:`appraise.tests2x2.tests_2x2`)
    and the posterior chart (:func:`appraise.bayes.posterior_risk_difference`).

    Examples
    --------
    >>> import appraise as ap
    >>> ex = PriorExplorer(ap.load_trial("mensc-secretome-covid19"), "intubation")
    >>> ex.benefit_html.value
    '<b>P(benefit)</b> = 95.0%; <b>P(benefit beyond 10 points)</b> = 85.0%'
    """

    def __init__(self, trial, outcome_id: str = "intubation"):
        super().__init__()
        from .tests2x2 import tests_2x2

        out = _outcome(trial, outcome_id)
        self.outcome = out
        style = {"description_width": "initial"}
        self.prior = w.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.1, readout_format="+.1f",
                                   description="Prior: sceptical (−1) … enthusiastic (+1)", style=style,
                                   continuous_update=False, layout=w.Layout(width="480px"))
        self.margin = w.FloatSlider(value=0.1, min=0.0, max=0.3, step=0.01,
                                    description="Margin (risk difference)", style=style,
                                    continuous_update=False)
        self.benefit_html = w.HTML()
        self.pvalue = tests_2x2(*out.counts)["fisher"].pvalue
        self.pvalue_html = w.HTML(value=f"<b>Fisher</b> (no prior involved): {_p_phrase(self.pvalue)}")
        self._post_cache: dict = {}
        self._prob_cache: dict = {}
        args, kwargs, _, _ = self._results()
        self.chart_view = charts.live_chart(charts.posterior_chart(*args, **kwargs))
        self._observe(self.prior, self.margin)
        self.widget = w.VBox([self.prior, self.margin, self.benefit_html, self.pvalue_html, self.status,
                              self.chart_view])
        self.update()

    def _prior(self):
        from .bayes import prior_from_slider

        return prior_from_slider(round(float(self.prior.value), 6), event_is_bad=self.outcome.event_is_bad)

    def _results(self):
        """The posterior chart's arguments, the two probabilities and the margin."""
        from .bayes import posterior_density, probability_of_benefit

        prior = self._prior()
        counts = self.outcome.counts
        margin = round(float(self.margin.value), 6)
        if prior not in self._post_cache:
            if len(self._post_cache) >= 256:
                self._post_cache.clear()
                self._prob_cache.clear()
            # the density only: the credible interval (root finding) is not shown here
            self._post_cache[prior] = posterior_density(*counts, prior=prior)
        x, y = self._post_cache[prior]
        probs = []
        for m in (0.0, margin):
            key = (prior, m)
            if key not in self._prob_cache:
                self._prob_cache[key] = probability_of_benefit(*counts, event_is_bad=self.outcome.event_is_bad,
                                                               prior=prior, margin=m)
            probs.append(self._prob_cache[key])
        kwargs = dict(event_is_bad=self.outcome.event_is_bad, prob_benefit=probs[0],
                      prob_beyond_margin=probs[1], margin=margin, prior_label=prior.name, pvalue=self.pvalue)
        return (x, y), kwargs, probs, margin

    def _update(self):
        args, kwargs, (pb, pm), margin = self._results()
        self.benefit_html.value = (f"<b>P(benefit)</b> = {_pct(pb)}; "
                                   f"<b>P(benefit beyond {100 * margin:g} points)</b> = {_pct(pm)}")
        self._draw(self.chart_view, charts.posterior_chart, *args, **kwargs)


# ---------------------------------------------------------------------------
# lesson 8: RoB 2
# ---------------------------------------------------------------------------

# The RoB 2 tables and algorithms live in appraise.rob2 (pure functions, tested on every
# combination of answers); the checklist below only wires them to dropdowns.
from .rob2 import (  # noqa: E402  (re-exported for compatibility)
    ROB2_ANSWERS,
    ROB2_DOMAINS,
    rob2_domain_judgement,
    rob2_options,
    rob2_overall,
)


class RoB2Checklist(_Explorer):
    """Answer the RoB 2 signalling questions; see domain judgements and traffic lights.

    Controls: ``dropdowns[question]`` (e.g. ``dropdowns["1.2"]``), each with "—"
    (unanswered) and the answers :func:`appraise.rob2.rob2_options` allows ("NA" only for
    conditional questions), each labelled in words ("PY — probably yes"); a legend above the
    questions explains the codes.  Displays ``judgement_html[domain]`` (empty until the
    domain has an answer; then what is still to answer, or the judgement),
    ``overall_html``, ``comparison_html`` and a traffic-light chart.

    ``answer_key`` is a :class:`appraise.rob2.Rob2Key` (judgements and the answers behind
    them) or a mapping of domain -> judgement and optionally ``"Overall"``.  For a domain
    whose judgement differs from the key, the comparison lists the answers that led to each
    judgement, and which answers differ when the key has them.

    Examples
    --------
    >>> rob = RoB2Checklist(answer_key={"D1": "some concerns"})
    >>> rob.judgement_html["D1"].value
    ''
    >>> for q, v in {"1.1": "Y", "1.2": "NI", "1.3": "N"}.items():
    ...     rob.dropdowns[q].value = v
    >>> rob.judgements["D1"]
    'some concerns'
    """

    UNANSWERED = "—"

    #: The answer codes in words (the guidance's response options).
    ANSWER_WORDS = {"Y": "yes", "PY": "probably yes", "PN": "probably no", "N": "no",
                    "NI": "no information", "NA": "not applicable"}

    def __init__(self, *, answer_key=None, outcome: str = ""):
        super().__init__()
        self.key_answers: dict = dict(getattr(answer_key, "answers", None) or {})
        if hasattr(answer_key, "as_mapping"):
            answer_key = answer_key.as_mapping()
        self.answer_key = dict(answer_key or {})
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.judgement_html: dict[str, w.HTML] = {}
        self.judgements: dict[str, str | None] = {d: None for d in ROB2_DOMAINS}
        legend = w.HTML(
            "<b>Answers</b>: " + "; ".join(f"<b>{code}</b> = {words}" for code, words in self.ANSWER_WORDS.items())
            + " (NA only for a question that applies after certain earlier answers); "
            f"<b>{self.UNANSWERED}</b> = not answered yet.")
        sections = []
        for dom, spec in ROB2_DOMAINS.items():
            rows = []
            for q, text in spec["questions"].items():
                options = [(self.UNANSWERED, self.UNANSWERED)]
                options += [(f"{code} — {self.ANSWER_WORDS[code]}", code) for code in rob2_options(q)]
                dd = w.Dropdown(options=options, value=self.UNANSWERED, layout=w.Layout(width="190px"))
                self.dropdowns[q] = dd
                rows.append(w.HBox([dd, w.HTML(f"{q} {escape_widget_text(text)}")]))
            self.judgement_html[dom] = w.HTML()
            sections.append(w.VBox([w.HTML(f"<b>{dom}. {escape_widget_text(spec['name'])}</b>"), *rows,
                                    self.judgement_html[dom]]))
        self.overall_html = w.HTML()
        self.comparison_html = w.HTML()
        self.outcome = outcome
        args, kwargs = self._lights()
        self.chart_view = charts.live_chart(charts.traffic_light_chart(*args, **kwargs))
        self._observe(*self.dropdowns.values())
        self.widget = w.VBox([legend, *sections, self.overall_html, self.comparison_html, self.status,
                              self.chart_view])
        self.update()

    def answers(self, domain: str) -> dict:
        """The answers given so far in one domain (unanswered questions left out)."""
        return {q: self.dropdowns[q].value for q in ROB2_DOMAINS[domain]["questions"]
                if self.dropdowns[q].value != self.UNANSWERED}

    def _lights(self):
        """Arguments of the traffic-light chart for the current judgements."""
        lights = {d: (j or "no information") for d, j in self.judgements.items()}
        overall = None
        if all(self.judgements.values()):
            overall = rob2_overall(self.judgements)
        return (lights,), dict(overall=overall, study=self.outcome or "This trial")

    @staticmethod
    def _still_to_answer(message: str) -> str:
        """The library's reason a domain cannot be judged yet, in the checklist's words."""
        import re

        m = re.search(r"question (\d\.\d) must be answered \(([^)]*)\) for this judgement"
                      r"(?:; (it applies if [^;]*))?; got '?(\w+)'?", message)
        if not m:
            return html.escape(message)
        q, options, applies, got = m.groups()
        if got == "NA":
            return (f"Question {q} is marked NA (not applicable), but {html.escape(applies or 'it applies here')}: "
                    f"answer it ({html.escape(options)}).")
        return f"Still to answer before this domain can be judged: question {q} ({html.escape(options)})."

    @staticmethod
    def _answer_text(answers: Mapping[str, str]) -> str:
        return ", ".join(f"{q} {a}" for q, a in answers.items()) or "none"

    def _difference(self, dom: str) -> str:
        """The answers behind a domain judgement that differs from the key."""
        mine = self.answers(dom)
        text = f"your answers {html.escape(self._answer_text(mine))}"
        key = self.key_answers.get(dom)
        if key:
            differ = [f"{q} (yours {mine.get(q, 'unanswered')}, key {a})" for q, a in key.items()
                      if mine.get(q) != a]
            text += f"; key's answers {html.escape(self._answer_text(key))}"
            if differ:
                text += f"; they differ at {html.escape(', '.join(differ))}"
        return text

    def _update(self):
        for dom in ROB2_DOMAINS:
            given = self.answers(dom)
            if not given:
                self.judgements[dom] = None
                self.judgement_html[dom].value = ""
                continue
            try:
                self.judgements[dom] = rob2_domain_judgement(dom, given)
                self.judgement_html[dom].value = f"Judgement: <b>{self.judgements[dom]}</b>"
            except ValueError as exc:
                self.judgements[dom] = None
                self.judgement_html[dom].value = f"<i>{self._still_to_answer(str(exc))}</i>"
        if all(self.judgements.values()):
            overall = rob2_overall(self.judgements)
            self.overall_html.value = f"<b>Overall risk of bias: {overall}</b>"
        else:
            overall = None
            self.overall_html.value = "<b>Overall</b>: judged once every domain has its answers."
        self.comparison_html.value = ""
        if self.answer_key and any(self.judgements.values()):
            mine = dict(self.judgements, Overall=overall)
            lines = []
            for dom, key in self.answer_key.items():
                got = mine.get(dom)
                if got is None:
                    lines.append(f"· {html.escape(dom)}: not judged yet")
                elif got == key:
                    lines.append(f"✓ {html.escape(dom)}: yours {html.escape(got)}, key {html.escape(key)}")
                else:
                    line = f"✗ {html.escape(dom)}: yours {html.escape(got)}, key {html.escape(key)}"
                    if dom in ROB2_DOMAINS:
                        line += f" — {self._difference(dom)}"
                    lines.append(line)
            self.comparison_html.value = "<br>".join(lines)
        args, kwargs = self._lights()
        self._draw(self.chart_view, charts.traffic_light_chart, *args, **kwargs)
