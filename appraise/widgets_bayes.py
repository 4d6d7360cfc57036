"""Explorer of lesson 6: the prior from sceptical to enthusiastic, the probability of
benefit beside the p-value (:class:`PriorExplorer`).
"""

from __future__ import annotations

import ipywidgets as w

from . import charts
from ._widget_base import _Explorer, _outcome, _p_phrase, _pct

__all__ = ["PriorExplorer"]


class PriorExplorer(_Explorer):
    """Move the prior from sceptical to enthusiastic; read P(benefit) beside the p-value.

    Controls: ``prior`` (position -1 sceptical ... 0 flat ... +1 enthusiastic, given to
    :func:`appraise.bayes.prior_from_slider`) and ``margin`` (a risk difference, 0-0.3).
    Displays ``benefit_html`` (:func:`appraise.bayes.probability_of_benefit` with and
    without the margin), ``pvalue_html`` (Fisher p of :func:`appraise.tests2x2.tests_2x2`)
    and the posterior chart (:func:`appraise.bayes.posterior_risk_difference`).

    ``outcome_id`` names the card's outcome to explore; ``None`` (default) takes the lesson's
    outcome, :func:`appraise.cards.claims.lesson_outcome` (the card's primary outcome).

    Examples
    --------
    >>> import appraise as ap
    >>> ex = PriorExplorer(ap.load_trial("mensc-secretome-covid19"), "intubation")
    >>> ex.benefit_html.value
    '<b>P(benefit)</b> = 95.0%; <b>P(benefit beyond 10 points)</b> = 85.0%'
    """

    def __init__(self, trial, outcome_id: str | None = None):
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
