"""Risks in two arms and the usual ways of comparing them, with confidence intervals.

Single proportions: :func:`proportion_ci` (Wilson by default).  Two arms:
:func:`compare_proportions` returns a :class:`Comparison` holding both risks, the
risk difference (Newcombe's hybrid score interval, method 10 of Newcombe 1998), the
risk ratio (log method), the odds ratio (Woolf's logit method), the number needed to
treat (Altman 1998) and the five tests of :func:`appraise.tests2x2.tests_2x2`.

Conventions: risk difference = risk_treat - risk_ctrl; risk ratio = risk_treat /
risk_ctrl; odds ratio = odds_treat / odds_ctrl.

The odds ratio is the *sample* (unconditional maximum likelihood) odds ratio
``a d / (b c)`` with Woolf's logit interval, from
``statsmodels.stats.proportion.confint_proportions_2indep(compare="odds-ratio",
method="logit")``: the figure most trial reports and meta-analyses print.  It differs
slightly from the conditional maximum likelihood estimate of
:func:`scipy.stats.contingency.odds_ratio` (``kind="conditional"``) and from the
odds ratio R's ``fisher.test`` prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from ._format import format_nnt, p_phrase
from ._results import Estimate, TestResult
from ._validate import check_choice, check_confidence_level, check_counts
from .tests2x2 import TEST_NAMES, tests_2x2

__all__ = ["proportion_ci", "compare_proportions", "Comparison", "NNT",
           "format_comparison", "comparison_to_dict", "PROPORTION_CI_METHODS"]

#: Public method names of :func:`proportion_ci` -> statsmodels' names.
PROPORTION_CI_METHODS = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "exact": "beta",          # scipy.stats.binomtest(...).proportion_ci's name for Clopper-Pearson
    "wald": "normal",
    "jeffreys": "jeffreys",
    "agresti-coull": "agresti_coull",
}


def _float(x) -> float:
    return float(np.asarray(x).item())


def proportion_ci(events, n, *, method="wilson", confidence_level=0.95):
    """Confidence interval for a single proportion ``events / n``.

    Parameters
    ----------
    events : int
        Number of patients with the event (0 <= events <= n).
    n : int
        Number of patients (>= 1).
    method : {"wilson", "exact", "clopper-pearson", "wald", "jeffreys", "agresti-coull"}
        Interval method, computed by
        :func:`statsmodels.stats.proportion.proportion_confint`.  ``"exact"`` is the
        Clopper-Pearson interval, named as in ``scipy.stats.binomtest(...).proportion_ci``;
        ``"clopper-pearson"`` is the same interval (statsmodels' ``"beta"``), ``"wald"``
        statsmodels' ``"normal"``.  Wilson's score
        interval is the default (Newcombe 1998a recommends it for small samples).
    confidence_level : float
        Nominal coverage, strictly between 0 and 1.

    Returns
    -------
    tuple of float
        ``(low, high)``.  With 0 events the Wilson and Clopper-Pearson lower bounds are
        0; with ``n`` events the upper bounds are 1.  statsmodels truncates the Wald and
        Agresti-Coull bounds to [0, 1]; the Wald interval of 0/n or n/n has zero width.

    Examples
    --------
    Intubation in the secretome arm of the seed trial, 7 of 14:

    >>> [round(x, 3) for x in proportion_ci(7, 14)]
    [0.268, 0.732]
    >>> [round(x, 3) for x in proportion_ci(7, 14, method="clopper-pearson")]
    [0.23, 0.77]
    """
    events, n = check_counts("events", events, "n", n)
    method = check_choice("method", method, PROPORTION_CI_METHODS)
    level = check_confidence_level(confidence_level)
    low, high = proportion_confint(events, n, alpha=1 - level, method=PROPORTION_CI_METHODS[method])
    low, high = _float(low), _float(high)
    if method in ("wilson", "exact", "clopper-pearson", "jeffreys"):
        # exact boundary values (the closed forms can land a rounding error away)
        if events == 0:
            low = 0.0
        if events == n:
            high = 1.0
    return low, high


@dataclass(frozen=True)
class NNT:
    """Number needed to treat, in Altman's (BMJ 1998;317:1309) convention.

    Attributes
    ----------
    estimate : float
        ``1 / |absolute risk reduction|``; ``inf`` when the risks are equal.
    low, high : float
        When the interval of the risk difference lies on one side of zero, the NNT
        bounds of that kind, ``low <= high`` (``high`` is ``inf`` when the interval
        touches zero).  When it crosses zero (``crosses_zero``), ``low`` is the
        number needed to harm at one end and ``high`` the number needed to benefit at
        the other: the interval runs from NNTH ``low`` through infinity to NNTB
        ``high``.
    kind : {"benefit", "harm", "none"}
        Whether the point estimate favours treatment (NNTB), control (NNTH), or
        neither (equal risks).
    text : str
        Altman-style text, e.g. ``"NNTB 3.3 (95% CI NNTH 24 to infinity to NNTB 1.8)"``.
    crosses_zero : bool
        The confidence interval of the risk difference includes both benefit and harm.
    confidence_level : float
    """

    estimate: float
    low: float
    high: float
    kind: str
    text: str
    crosses_zero: bool
    confidence_level: float = 0.95


def _fmt_nnt(x: float) -> str:
    return format_nnt(x)


def _nnt(rd: Estimate, *, event_is_bad: bool) -> NNT:
    # benefit = reduction in a bad event, or gain in a good one
    if event_is_bad:
        b, lo, hi = -rd.estimate, -rd.high, -rd.low
    else:
        b, lo, hi = rd.estimate, rd.low, rd.high
    level = rd.confidence_level
    pct = f"{100 * level:g}% CI"
    inv = lambda x: math.inf if x == 0 else 1.0 / abs(x)  # noqa: E731
    if b > 0:
        kind, label = "benefit", "NNTB"
    elif b < 0:
        kind, label = "harm", "NNTH"
    else:
        kind, label = "none", "NNT"
    estimate = inv(b)
    head = f"{label} {_fmt_nnt(estimate)}" if kind != "none" else "NNT infinity (equal risks)"
    if lo < 0 < hi:
        low, high, crosses = inv(lo), inv(hi), True
        text = f"{head} ({pct} NNTH {_fmt_nnt(low)} to infinity to NNTB {_fmt_nnt(high)})"
    elif lo >= 0 and hi > 0:
        low, high, crosses = inv(hi), inv(lo), False
        text = f"{head} ({pct} NNTB {_fmt_nnt(low)} to {_fmt_nnt(high)})"
    elif hi <= 0 and lo < 0:
        low, high, crosses = inv(lo), inv(hi), False
        text = f"{head} ({pct} NNTH {_fmt_nnt(low)} to {_fmt_nnt(high)})"
    else:  # zero-width interval at 0
        low = high = math.inf
        crosses = False
        text = f"{head} ({pct} infinity)"
    return NNT(estimate, low, high, kind, text, crosses, level)


@dataclass(frozen=True)
class Comparison:
    """Two arms compared: risks, differences, ratios, NNT and tests.

    Attributes
    ----------
    events_treat, n_treat, events_ctrl, n_ctrl : int
        The counts.
    risk_treat, risk_ctrl : Estimate
        Risk in each arm with Wilson's score interval.
    risk_treat_clopper_pearson, risk_ctrl_clopper_pearson : Estimate
        The same risks with the Clopper-Pearson ("exact") interval.
    risk_difference : Estimate
        risk_treat - risk_ctrl with Newcombe's hybrid score interval (method
        ``"newcombe-hybrid-score"``).
    risk_difference_wald : Estimate
        The same difference with the Wald interval (for comparison; zero width when
        both risks are 0 or 1).
    risk_ratio, odds_ratio : Estimate
        See :func:`compare_proportions` for the methods and the zero-cell rules.
    nnt : NNT
        Number needed to treat (benefit direction set by ``event_is_bad``).
    tests : dict of str to TestResult
        :func:`appraise.tests2x2.tests_2x2`, two-sided.
    event_is_bad : bool
        True when the event is harmful (death, intubation), so a lower risk is benefit.
    confidence_level : float
    """

    events_treat: int
    n_treat: int
    events_ctrl: int
    n_ctrl: int
    risk_treat: Estimate
    risk_ctrl: Estimate
    risk_treat_clopper_pearson: Estimate
    risk_ctrl_clopper_pearson: Estimate
    risk_difference: Estimate
    risk_difference_wald: Estimate
    risk_ratio: Estimate
    odds_ratio: Estimate
    nnt: NNT
    tests: dict = field(repr=False)
    event_is_bad: bool = True
    confidence_level: float = 0.95

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(events_treat, n_treat, events_ctrl, n_ctrl)``."""
        return (self.events_treat, self.n_treat, self.events_ctrl, self.n_ctrl)

    def table(self) -> pd.DataFrame:
        """The 2x2 table: rows ``treatment``/``control``, columns events, no events, total.

        Examples
        --------
        >>> compare_proportions(7, 14, 12, 15).table()
                   events  no events  total
        treatment       7          7     14
        control        12          3     15
        """
        return pd.DataFrame(
            {
                "events": [self.events_treat, self.events_ctrl],
                "no events": [self.n_treat - self.events_treat, self.n_ctrl - self.events_ctrl],
                "total": [self.n_treat, self.n_ctrl],
            },
            index=pd.Index(["treatment", "control"], name=None),
        )

    def summary(self) -> str:
        """A readable text block of every estimate and test.

        Examples
        --------
        >>> print(compare_proportions(7, 14, 12, 15).summary())
        Treatment: 7/14 = 50.0% (95% CI 26.8% to 73.2%, Wilson)
        Control:   12/15 = 80.0% (95% CI 54.8% to 93.0%, Wilson)
        Risk difference: -30.0 percentage points (95% CI -56.6 to 4.2, Newcombe hybrid score)
        Risk ratio: 0.625 (95% CI 0.349 to 1.12, log)
        Odds ratio: 0.250 (95% CI 0.0484 to 1.29, logit (Woolf))
        NNTB 3.3 (95% CI NNTH 24 to infinity to NNTB 1.8)
        Tests (two-sided): Fisher p = 0.1281; chi-square p = 0.0894; chi-square (Yates) p = 0.1910; Barnard p = 0.1089; Boschloo p = 0.1085
        """
        pct = f"{100 * self.confidence_level:g}% CI"
        rt, rc, rd = self.risk_treat, self.risk_ctrl, self.risk_difference
        lines = [
            f"Treatment: {self.events_treat}/{self.n_treat} = {100 * rt.estimate:.1f}% "
            f"({pct} {100 * rt.low:.1f}% to {100 * rt.high:.1f}%, Wilson)",
            f"Control:   {self.events_ctrl}/{self.n_ctrl} = {100 * rc.estimate:.1f}% "
            f"({pct} {100 * rc.low:.1f}% to {100 * rc.high:.1f}%, Wilson)",
            f"Risk difference: {100 * rd.estimate:.1f} percentage points "
            f"({pct} {100 * rd.low:.1f} to {100 * rd.high:.1f}, Newcombe hybrid score)",
            f"Risk ratio: {_g(self.risk_ratio.estimate)} ({pct} {_g(self.risk_ratio.low)} to "
            f"{_g(self.risk_ratio.high)}, {self.risk_ratio.method})",
            f"Odds ratio: {_g(self.odds_ratio.estimate)} ({pct} {_g(self.odds_ratio.low)} to "
            f"{_g(self.odds_ratio.high)}, {self.odds_ratio.method})",
            self.nnt.text,
            "Tests (two-sided): " + "; ".join(
                f"{_TEST_LABELS[name]} {p_phrase(self.tests[name].pvalue, digits=4)}" if self.tests[name].computed
                else f"{_TEST_LABELS[name]} {self.tests[name].note}" for name in TEST_NAMES),
        ]
        return "\n".join(lines)


_TEST_LABELS = {
    "fisher": "Fisher",
    "chi2": "chi-square",
    "chi2_yates": "chi-square (Yates)",
    "barnard": "Barnard",
    "boschloo": "Boschloo",
}


def _g(x: float) -> str:
    """Ratio formatting: 3 significant figures, at least 2 decimals below 10."""
    if math.isnan(x):
        return "undefined"
    if math.isinf(x):
        return "infinity"
    if x == 0:
        return "0"
    if abs(x) >= 10:
        return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"
    digits = max(2, 2 - int(math.floor(math.log10(abs(x)))))
    return f"{x:.{digits}f}"


def _risk_ratio(a, n1, c, n2, alpha, level) -> Estimate:
    if a == 0 and c == 0:
        nan = math.nan
        return Estimate(nan, nan, nan, "log: undefined (no events in either arm)", level)
    if a == 0 or c == 0:
        # Haldane-Anscombe: add 0.5 to every cell (n grows by 1)
        a_, n1_, c_, n2_ = a + 0.5, n1 + 1.0, c + 0.5, n2 + 1.0
        method = "log, 0.5 added to every cell (zero cell)"
    else:
        a_, n1_, c_, n2_ = a, n1, c, n2
        method = "log"
    low, high = confint_proportions_2indep(a_, n1_, c_, n2_, method="log", compare="ratio", alpha=alpha)
    return Estimate((a_ / n1_) / (c_ / n2_), _float(low), _float(high), method, level)


def _odds_ratio(a, n1, c, n2, alpha, level) -> Estimate:
    m, n = a + c, n1 + n2
    if m == 0 or m == n:
        nan = math.nan
        why = "no events in either arm" if m == 0 else "every patient had the event"
        return Estimate(nan, nan, nan, f"logit (Woolf): undefined ({why})", level)
    if 0 in (a, n1 - a, c, n2 - c):
        # statsmodels' "logit-adjusted" adds 0.5 to every cell (Haldane-Anscombe)
        a_, n1_, c_, n2_ = a + 0.5, n1 + 1.0, c + 0.5, n2 + 1.0
        method, sm_method = "logit (Woolf), 0.5 added to every cell (zero cell)", "logit-adjusted"
    else:
        a_, n1_, c_, n2_ = a, n1, c, n2
        method, sm_method = "logit (Woolf)", "logit"
    low, high = confint_proportions_2indep(a, n1, c, n2, method=sm_method, compare="odds-ratio", alpha=alpha)
    estimate = (a_ / (n1_ - a_)) / (c_ / (n2_ - c_))
    return Estimate(estimate, _float(low), _float(high), method, level)


def compare_proportions(events_treat, n_treat, events_ctrl, n_ctrl, *, confidence_level=0.95,
                        event_is_bad=True):
    """Compare the risk of an event in two arms.

    Parameters
    ----------
    events_treat, n_treat : int
        Events and patients in the treatment arm (``n_treat >= 1``).
    events_ctrl, n_ctrl : int
        Events and patients in the control arm (``n_ctrl >= 1``).
    confidence_level : float, optional
        Coverage of every interval (default 0.95).
    event_is_bad : bool, optional
        True (default) when the event is harmful (death, intubation): a lower risk
        with treatment is a benefit.  False for good events (survival, recovery).
        Only the NNT depends on it.

    Returns
    -------
    Comparison

    Notes
    -----
    - Risks: Wilson score intervals; Clopper-Pearson also given.
    - Risk difference: Newcombe's hybrid score interval (Stat Med 1998;17:873-890,
      method 10), via ``statsmodels.stats.proportion.confint_proportions_2indep(
      method="newcomb", compare="diff")``, which reproduces Newcombe's Table II; the
      Wald interval is in ``risk_difference_wald``.
    - Risk ratio: log method (Katz), statsmodels ``compare="ratio", method="log"``.
      If one arm has no events, 0.5 is added to every cell (Haldane-Anscombe) and the
      ``method`` says so; if neither arm has events the ratio is 0/0 and estimate and
      bounds are ``nan``.  If both arms have only events the ratio is 1 with a
      zero-width interval (the log method's variance is 0).
    - Odds ratio: sample odds ratio with Woolf's logit interval (statsmodels
      ``compare="odds-ratio", method="logit"``).  If any cell is 0, 0.5 is added to
      every cell (statsmodels ``"logit-adjusted"``) and ``method`` says so; if no
      patient (or every patient) had the event the odds ratio is undefined: ``nan``.
    - NNT: Altman (BMJ 1998;317:1309-12) from the Newcombe interval; see :class:`NNT`.
    - Tests: :func:`appraise.tests2x2.tests_2x2` (two-sided).  Barnard's and
      Boschloo's are not computed for arms above 200 patients
      (:data:`appraise._limits.MAX_UNCONDITIONAL_N`); their results then say
      ``"not computed (arm too large)"``, as do :meth:`Comparison.summary`,
      :func:`format_comparison` and :func:`comparison_to_dict`.
    - Empty arms (``n = 0``) are rejected with :class:`ValueError`.

    Examples
    --------
    Intubation within 28 days in the seed trial, 7/14 (secretome) vs 12/15 (placebo):

    >>> cmp = compare_proportions(7, 14, 12, 15)
    >>> [round(x, 3) for x in cmp.risk_difference]
    [-0.3, -0.566, 0.042]
    >>> [round(x, 2) for x in cmp.risk_ratio]
    [0.62, 0.35, 1.12]
    >>> cmp.nnt.text
    'NNTB 3.3 (95% CI NNTH 24 to infinity to NNTB 1.8)'
    >>> round(cmp.tests["fisher"].pvalue, 4)
    0.1281

    Survival (a good event), 8/14 vs 4/15:

    >>> compare_proportions(8, 14, 4, 15, event_is_bad=False).nnt.text
    'NNTB 3.3 (95% CI NNTH 21 to infinity to NNTB 1.8)'
    """
    a, n1 = check_counts("events_treat", events_treat, "n_treat", n_treat)
    c, n2 = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    level = check_confidence_level(confidence_level)
    if not isinstance(event_is_bad, (bool, np.bool_)):
        raise TypeError(f"event_is_bad must be True or False, got {event_is_bad!r} "
                        f"of type {type(event_is_bad).__name__}")
    alpha = 1 - level
    p1, p2 = a / n1, c / n2

    risk_treat = Estimate(p1, *proportion_ci(a, n1, confidence_level=level), "wilson", level)
    risk_ctrl = Estimate(p2, *proportion_ci(c, n2, confidence_level=level), "wilson", level)
    cp_treat = Estimate(p1, *proportion_ci(a, n1, method="clopper-pearson", confidence_level=level),
                        "clopper-pearson", level)
    cp_ctrl = Estimate(p2, *proportion_ci(c, n2, method="clopper-pearson", confidence_level=level),
                       "clopper-pearson", level)

    low, high = confint_proportions_2indep(a, n1, c, n2, method="newcomb", compare="diff", alpha=alpha)
    rd = Estimate(p1 - p2, _float(low), _float(high), "newcombe-hybrid-score", level)
    low, high = confint_proportions_2indep(a, n1, c, n2, method="wald", compare="diff", alpha=alpha)
    rd_wald = Estimate(p1 - p2, _float(low), _float(high), "wald", level)

    return Comparison(
        events_treat=a, n_treat=n1, events_ctrl=c, n_ctrl=n2,
        risk_treat=risk_treat, risk_ctrl=risk_ctrl,
        risk_treat_clopper_pearson=cp_treat, risk_ctrl_clopper_pearson=cp_ctrl,
        risk_difference=rd, risk_difference_wald=rd_wald,
        risk_ratio=_risk_ratio(a, n1, c, n2, alpha, level),
        odds_ratio=_odds_ratio(a, n1, c, n2, alpha, level),
        nnt=_nnt(rd, event_is_bad=bool(event_is_bad)),
        tests=tests_2x2(a, n1, c, n2),
        event_is_bad=bool(event_is_bad),
        confidence_level=level,
    )


from ._comparison_output import comparison_to_dict, format_comparison  # noqa: E402,F401
