"""Design analysis: Type S and Type M errors, and upper bounds when no events are seen.

Retrodesign (Gelman & Carlin 2014, Perspect Psychol Sci 9:641-651)
-------------------------------------------------------------------
Suppose a study's estimate is normal around a true effect ``D`` with standard error
``s``, and it is called significant when ``|estimate| > z * s`` (``z`` the two-sided
critical value).  With ``lam = D / s``:

* power = ``1 - Phi(z - lam) + Phi(-z - lam)``;
* Type S error rate = probability that a significant estimate has the wrong sign
  = ``Phi(-z - |lam|) / power``;
* Type M error (exaggeration ratio) = ``E(|estimate| | significant) / |D|``.  Gelman and
  Carlin estimate it by simulation; here it is the exact expectation of the truncated
  normal (Lu, Qiu & Deng 2019, Br J Math Stat Psychol 72:1-17)::

      E(|Z|; |Z| > z) = phi(z - lam) + phi(z + lam) + lam * (1 - Phi(z - lam) - Phi(-z - lam))
      type_m = E(|Z|; |Z| > z) / (power * |lam|)

  which the tests check against numerical integration and a seeded simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from ._validate import check_alpha, check_choice, check_confidence_level, check_counts, check_int, check_n, check_real

__all__ = ["Retrodesign", "retrodesign", "retrodesign_from_counts", "zero_event_bound"]


@dataclass(frozen=True)
class Retrodesign:
    """Power, Type S error rate and exaggeration ratio (Type M) of a design.

    ``type_m`` is ``inf`` when ``true_effect`` is 0 (any significant estimate is
    infinitely larger than a zero effect); ``type_s`` is then 0.5.
    """

    power: float
    type_s: float
    type_m: float
    true_effect: float
    se: float
    alpha: float

    def __iter__(self):
        return iter((self.power, self.type_s, self.type_m))


def retrodesign(true_effect, se, *, alpha=0.05) -> Retrodesign:
    """Power, Type S and Type M error for a normal estimate (Gelman & Carlin 2014).

    Parameters
    ----------
    true_effect : float
        Hypothesised true effect ``D`` (any sign), on the scale of the estimate.
    se : float
        Standard error of the estimate (> 0).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    Retrodesign
        Iterable as ``(power, type_s, type_m)``.

    Examples
    --------
    Gelman & Carlin's beauty-and-sex-ratio example (D = 0.1, s = 3.28 percentage points):

    >>> r = retrodesign(0.1, 3.28)
    >>> round(r.power, 3), round(r.type_s, 2), round(r.type_m)
    (0.05, 0.46, 77)

    The seed trial: if the true intubation risk difference were -10 points, with the
    Wald standard error of 7/14 vs 12/15 (0.169):

    >>> r = retrodesign(-0.10, 0.169)
    >>> round(r.power, 2), round(r.type_s, 3), round(r.type_m, 1)
    (0.09, 0.059, 4.1)
    """
    true_effect = check_real("true_effect", true_effect)
    se = check_real("se", se, low=0.0, low_open=True)
    alpha = check_alpha(alpha)
    z = stats.norm.isf(alpha / 2)
    lam = abs(true_effect) / se
    p_right = stats.norm.sf(z - lam)  # significant, right sign
    p_wrong = stats.norm.cdf(-z - lam)  # significant, wrong sign
    power = float(p_right + p_wrong)
    type_s = float(p_wrong / power)
    if lam == 0.0:
        type_m = math.inf
    else:
        expected_abs = (stats.norm.pdf(z - lam) + stats.norm.pdf(z + lam)
                        + lam * (stats.norm.sf(z - lam) - stats.norm.cdf(-z - lam)))
        type_m = float(expected_abs / (power * lam))
    return Retrodesign(power=power, type_s=type_s, type_m=type_m, true_effect=true_effect, se=se, alpha=alpha)


def retrodesign_from_counts(true_effect, events_treat, n_treat, events_ctrl, n_ctrl, *, alpha=0.05) -> Retrodesign:
    """:func:`retrodesign` with the standard error of the observed risk difference.

    The standard error is the Wald one, ``sqrt(r_t(1-r_t)/n_t + r_c(1-r_c)/n_c)``, from the
    observed risks.  It is 0 when both arms have 0% or 100% events, and then a
    :class:`ValueError` is raised: the counts carry no estimate of the noise.

    Parameters
    ----------
    true_effect : float
        Hypothesised true risk difference (treatment minus control), in [-1, 1].
    events_treat, n_treat, events_ctrl, n_ctrl : int
        Observed counts.
    alpha : float
        Two-sided significance level.

    Examples
    --------
    >>> r = retrodesign_from_counts(-0.10, 7, 14, 12, 15)
    >>> round(r.se, 3), round(r.power, 2), round(r.type_m, 1)
    (0.169, 0.09, 4.1)
    """
    true_effect = check_real("true_effect", true_effect, low=-1.0, high=1.0)
    events_treat, n_treat = check_counts("events_treat", events_treat, "n_treat", n_treat)
    events_ctrl, n_ctrl = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    r_t, r_c = events_treat / n_treat, events_ctrl / n_ctrl
    se = math.sqrt(r_t * (1 - r_t) / n_treat + r_c * (1 - r_c) / n_ctrl)
    if se == 0.0:
        raise ValueError(f"the Wald standard error is 0 for counts {events_treat}/{n_treat} vs "
                         f"{events_ctrl}/{n_ctrl} (no variation in either arm); give se to retrodesign()")
    return retrodesign(true_effect, se, alpha=alpha)


ZERO_EVENT_METHODS = ("exact", "exact-one-sided", "rule_of_three")


def zero_event_bound(n, *, confidence_level=0.95, method="exact") -> float:
    """Upper confidence bound for a risk when 0 events were seen among ``n`` patients.

    Parameters
    ----------
    n : int
        Patients observed (>= 1), none with the event.
    confidence_level : float
        Confidence level in (0, 1).
    method : {"exact", "exact-one-sided", "rule_of_three"}
        ``"exact"``: upper end of the two-sided Clopper-Pearson interval,
        ``1 - (alpha/2)**(1/n)`` with ``alpha = 1 - confidence_level`` (what
        ``scipy.stats.binomtest(0, n).proportion_ci(method="exact")`` reports).
        ``"exact-one-sided"``: one-sided Clopper-Pearson bound ``1 - alpha**(1/n)``: the
        largest risk for which seeing 0 events still has probability >= alpha.
        ``"rule_of_three"``: ``3/n`` (Hanley & Lippman-Hand 1983, JAMA 249:1743), an
        approximation of the one-sided 95% bound (``-ln(0.05) = 2.996``); defined only for
        ``confidence_level=0.95``.

    Returns
    -------
    float
        The bound.  The two-sided exact bound is the largest (it spends only alpha/2 on the
        upper side), the rule of three slightly exceeds the one-sided exact bound.

    Examples
    --------
    "No adverse events" among 14 treated patients:

    >>> round(zero_event_bound(14), 4)
    0.2316
    >>> round(zero_event_bound(14, method="exact-one-sided"), 4)
    0.1926
    >>> round(zero_event_bound(14, method="rule_of_three"), 4)
    0.2143
    """
    n = check_n("n", n)
    level = check_confidence_level(confidence_level)
    method = check_choice("method", method, ZERO_EVENT_METHODS)
    alpha = 1.0 - level
    if method == "exact":
        return float(-math.expm1(math.log(alpha / 2) / n))
    if method == "exact-one-sided":
        return float(-math.expm1(math.log(alpha) / n))
    if abs(level - 0.95) > 1e-12:
        raise ValueError(f"confidence_level must be 0.95 for the rule of three, got {confidence_level!r}; "
                         f"use method='exact-one-sided' for other levels")
    return 3.0 / n
