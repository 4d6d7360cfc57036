"""Explorer for within-arm and between-arm p-values of a change from baseline (lesson 7).

A paper that prints baseline and follow-up mean ± SD in each arm does not print the SD of
the change, which depends on the unknown correlation between a patient's two values.
:class:`CorrelationExplorer` puts that correlation on a slider: every number comes from
:func:`appraise.continuous.between_from_within` and the chart from
:func:`appraise.charts.between_within_correlation_chart`; the explorer holds no
statistics of its own.
"""

from __future__ import annotations

import ipywidgets as w

from ._format import escape_widget_text, p_phrase
from ._widget_base import _Explorer
from .charts import between_within_correlation_chart

__all__ = ["CorrelationExplorer"]


class CorrelationExplorer(_Explorer):
    """Move the correlation between baseline and follow-up; watch the p-values move.

    Parameters
    ----------
    mean_base_treat, sd_base_treat, mean_follow_treat, sd_follow_treat, n_treat,
    mean_base_ctrl, sd_base_ctrl, mean_follow_ctrl, sd_follow_ctrl, n_ctrl
        As for :func:`appraise.continuous.between_from_within` (printed strings or numbers).
    correlation : (float, float), keyword-only
        The range the slider covers (default 0 to 0.9, as the function's).
    start : float, optional, keyword-only
        The slider's first position (default: the low end of the range).
    equal_var : bool, keyword-only
        Student's (True, default) or Welch's between-arm test.

    Controls: ``correlation_slider`` (``FloatSlider``, step 0.01).  Displays
    ``pvalues_html`` (the between-arm p of the change and each arm's within-arm p at the
    slider's correlation, from ``between_from_within(..., correlation=(r, r))``) and
    ``view`` (the chart over the whole range with a rule at the slider).

    Examples
    --------
    An invented example sized like the seed trial: the treated arm falls from 80 to 45,
    the control arm from 80 to 60 (SD 30 throughout), 14 vs 15 patients.

    >>> ex = CorrelationExplorer(80, 30, 45, 30, 14, 80, 30, 60, 30, 15)
    >>> ex.correlation_slider.value = 0.5
    >>> "between arms" in ex.pvalues_html.value
    True
    """

    STEP = 0.01

    def __init__(self, mean_base_treat, sd_base_treat, mean_follow_treat, sd_follow_treat, n_treat,
                 mean_base_ctrl, sd_base_ctrl, mean_follow_ctrl, sd_follow_ctrl, n_ctrl, *,
                 correlation=(0.0, 0.9), start=None, equal_var=True):
        import altair as alt

        from .continuous import between_from_within
        from ._validate import check_real

        self._args = (mean_base_treat, sd_base_treat, mean_follow_treat, sd_follow_treat, n_treat,
                      mean_base_ctrl, sd_base_ctrl, mean_follow_ctrl, sd_follow_ctrl, n_ctrl)
        self._equal_var = equal_var
        # the whole range once (checks every argument); the slider then reads single points
        self.result = between_from_within(*self._args, correlation=correlation, equal_var=equal_var)
        low, high = self.result.correlation_low, self.result.correlation_high
        if start is None:
            start = low
        start = check_real("start", start, low=low, high=high)
        super().__init__()
        self.correlation_slider = w.FloatSlider(value=start, min=low, max=high, step=self.STEP,
                                                readout_format=".2f", continuous_update=False,
                                                description="Correlation r")
        self.pvalues_html = w.HTML()
        self.view = alt.JupyterChart(between_within_correlation_chart(self.result, correlation=start))
        self.note = w.HTML(value=escape_widget_text(
            f"r is the correlation between a patient's baseline and follow-up values, which the "
            f"paper does not print; the slider covers {low:.2f} to {high:.2f}."))
        self._observe(self.correlation_slider)
        self.widget = w.VBox([self.correlation_slider, self.note, self.status, self.pvalues_html, self.view])
        self.update()

    def at(self, r: float):
        """The :class:`~appraise.continuous.BetweenFromWithin` result at one correlation ``r``."""
        from .continuous import between_from_within

        return between_from_within(*self._args, correlation=(r, r), equal_var=self._equal_var)

    def _update(self):
        r = float(self.correlation_slider.value)
        point = self.at(r)
        rows = (("between arms (change, treated vs control)", point.pvalue_range.low),
                ("within the treated arm (paired)", point.pvalue_within_treat.low),
                ("within the control arm (paired)", point.pvalue_within_ctrl.low))
        cells = "".join(f"<tr><td>{escape_widget_text(name)}</td><td>{escape_widget_text(p_phrase(p))}</td></tr>"
                        for name, p in rows)
        self.pvalues_html.value = (f"<p>At r = {r:.2f}:</p><table><tr><th>Comparison</th><th>Two-sided p</th>"
                                   f"</tr>{cells}</table>")
        self._draw(self.view, between_within_correlation_chart, self.result, correlation=r)
