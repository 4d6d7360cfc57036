"""Explorers of lesson 4: the p-value, power and sample size as the trial grows
(:class:`SampleSizeExplorer`), and the p-value of replicated trials (:class:`PValueDance`).
"""

from __future__ import annotations

import ipywidgets as w

from . import charts
from ._format import escape_widget_text
from ._widget_base import _Explorer, _fmt_p, _outcome, _pct

__all__ = ["SampleSizeExplorer", "PValueDance", "N_GRID"]

#: Patients per arm at which the curves are drawn: every n up to 50 (the sawtooth),
#: then every 5 up to 300.
N_GRID = tuple(range(1, 51)) + tuple(range(55, 301, 5))



class SampleSizeExplorer(_Explorer):
    """Keep the observed risks, change the size: p-value, exact power, n needed.

    Controls: ``n`` (patients per arm, 1-300), ``risk_treat`` and ``risk_ctrl`` (the
    *true* risks assumed for power, 0-1).  Displays: ``pvalue_html`` (p-value of the
    observed risks at n per arm, :func:`appraise.power.pvalue_at_n`), ``power_html``
    (exact power, :func:`appraise.power.power_two_proportions`), ``needed_html`` (n per
    arm for 80% and 90% power, :func:`appraise.power.sample_size_two_proportions`), and
    two charts (p against n, power curve).

    ``outcome_id`` names the card's outcome to explore; ``None`` (default) takes the lesson's
    outcome, :func:`appraise.cards.claims.lesson_outcome` (the card's primary outcome).

    Examples
    --------
    >>> import appraise as ap
    >>> ex = SampleSizeExplorer(ap.load_trial("mensc-secretome-covid19"), "intubation")
    >>> ex.n.value = 40
    >>> ex.pvalue_html.value
    '<b>p-value</b> of 50.0% vs 80.0% at 40 per arm (Fisher): <b>0.009</b>'
    """

    def __init__(self, trial, outcome_id: str | None = None, *, alpha: float = 0.05):
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

    ``outcome_id`` names the card's outcome to explore; ``None`` (default) takes the lesson's
    outcome, :func:`appraise.cards.claims.lesson_outcome` (the card's primary outcome).

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

    def __init__(self, trial, outcome_id: str | None = None, *, seed: int = 0, n_trials: int = 1000,
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
