"""An estimate, its confidence interval and its p: do they agree?

Normal theory (Altman & Bland, BMJ 2011;343:d2304 "How to obtain the P value from a
confidence interval" and d2090 "How to obtain the confidence interval from a P value"):
the interval is ``estimate +/- z SE`` with ``z`` the normal quantile of the level, so
``SE = (high - low) / (2 z)`` and the two-sided p is that of ``estimate / SE``; ratios
(risk, odds, hazard) work on the log scale.  Public names are re-exported by
:mod:`appraise.survival`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from scipy import stats

from ._format import format_p, p_phrase
from ._results import Estimate, TestResult
from ._validate import _show, check_choice, check_probability, check_real

# Altman & Bland's multipliers and closed-form approximations, for reproducing their
# worked examples (method="altman-bland")
_AB_MULTIPLIER = {0.90: 1.65, 0.95: 1.96, 0.99: 2.57}
METHODS = ("normal", "altman-bland")


def _multiplier(level: float, method: str) -> float:
    if method == "altman-bland":
        if level not in _AB_MULTIPLIER:
            raise ValueError(f"level must be one of 0.9, 0.95, 0.99 with method='altman-bland', got {level!r}")
        return _AB_MULTIPLIER[level]
    return float(stats.norm.isf((1 - level) / 2))


def _scale(name: str, value: float, ratio: bool) -> float:
    if ratio:
        if value <= 0:
            raise ValueError(f"{name} must be > 0 for a ratio (it is analysed on the log scale), got {value!r}")
        return math.log(value)
    return value


def _options(ratio, level, method):
    if not isinstance(ratio, bool):
        raise TypeError(f"ratio must be True or False, got {_show(ratio)}")
    level = check_probability("level", level, open_interval=True)
    method = check_choice("method", method, METHODS)
    return ratio, level, method


def pvalue_from_ci(estimate, low, high, *, ratio=False, level=0.95, method="normal"):
    """Two-sided p from an estimate and its confidence interval (Altman & Bland, d2304).

    Parameters
    ----------
    estimate, low, high : float
        The estimate and its interval (``low < high``); for ``ratio=True`` all > 0.
    ratio : bool
        ``True`` for risk, odds or hazard ratios (worked on the log scale).
    level : float
        Confidence level of the interval.
    method : {"normal", "altman-bland"}
        ``"normal"``: exact normal quantile and tail area; ``"altman-bland"``: their
        printed multiplier (1.96 for 95%) and approximation
        ``P = exp(-0.717 z - 0.416 z**2)``, to reproduce their figures.

    Returns
    -------
    TestResult
        ``statistic`` = ``z`` = estimate / SE (signed), ``pvalue`` two-sided.

    Examples
    --------
    A hazard ratio of 0.81 (95% CI 0.70 to 0.94):

    >>> round(pvalue_from_ci(0.81, 0.70, 0.94, ratio=True).pvalue, 4)
    0.0051
    """
    ratio, level, method = _options(ratio, level, method)
    values = [check_real(name, value) for name, value in (("estimate", estimate), ("low", low), ("high", high))]
    est, lo, hi = (_scale(name, v, ratio) for name, v in zip(("estimate", "low", "high"), values))
    if not lo < hi:
        raise ValueError(f"low must be below high, got low={low!r}, high={high!r}")
    se = (hi - lo) / (2 * _multiplier(level, method))
    z = est / se
    if method == "altman-bland":
        p = math.exp(-0.717 * abs(z) - 0.416 * z * z)
    else:
        p = float(2 * stats.norm.sf(abs(z)))
    return TestResult(float(z), p, method=f"z from {level:.0%} CI ({method})")


def ci_from_pvalue(estimate, p, *, ratio=False, level=0.95, method="normal"):
    """Confidence interval from an estimate and its two-sided p (Altman & Bland, d2090).

    Parameters
    ----------
    estimate : float
        Non-zero (a zero estimate has p = 1 and says nothing of the SE); > 0 and not 1
        for ratios.
    p : float
        Two-sided p, ``0 < p < 1``.
    ratio, level, method
        As :func:`pvalue_from_ci`; ``"altman-bland"`` uses their approximation
        ``z = -0.862 + sqrt(0.743 - 2.404 log P)``.

    Returns
    -------
    Estimate

    Examples
    --------
    A risk difference of 17 percentage points with P = 0.032 (Altman & Bland's
    example):

    >>> ci = ci_from_pvalue(17, 0.032, method="altman-bland")
    >>> round(ci.low, 1), round(ci.high, 1)
    (1.4, 32.6)
    """
    ratio, level, method = _options(ratio, level, method)
    value = check_real("estimate", estimate)
    p = check_probability("p", p, open_interval=True)
    est = _scale("estimate", value, ratio)
    if est == 0:
        raise ValueError(f"estimate must not be {'1' if ratio else '0'} (no effect): its p is 1 whatever the SE")
    if method == "altman-bland":
        z = -0.862 + math.sqrt(0.743 - 2.404 * math.log(p))
    else:
        z = float(stats.norm.isf(p / 2))
    se = abs(est) / z
    half = _multiplier(level, method) * se
    lo, hi = est - half, est + half
    if ratio:
        lo, hi = math.exp(lo), math.exp(hi)
    return Estimate(value, lo, hi, method=f"from p ({method})", confidence_level=level)


@dataclass(frozen=True)
class CIPCheck:
    """Result of :func:`check_ci_p`.

    Attributes
    ----------
    consistent : bool
        Some estimate and limits that round to the printed ones give a p that rounds to
        (or satisfies) the printed p.
    pvalue : float
        p from the figures as printed.
    pvalue_low, pvalue_high : float
        Smallest and largest p over every estimate and limits that round to the
        printed figures.
    reported : ReportedP
    message : str
    """

    consistent: bool
    pvalue: float
    pvalue_low: float
    pvalue_high: float
    reported: object
    message: str


def _printed(name: str, value) -> tuple[float, float, float]:
    """Value and the interval of values that print as it (half a unit of the last digit)."""
    if isinstance(value, str):
        try:
            dec = Decimal(value.strip().replace("\u2212", "-"))
        except InvalidOperation:
            raise ValueError(f"{name} must be a number as printed, e.g. '0.81', got {value!r}") from None
        if not dec.is_finite():
            raise ValueError(f"{name} must be finite, got {value!r}")
        half = float(Decimal(5).scaleb(dec.as_tuple().exponent - 1))
        return float(dec), float(dec) - half, float(dec) + half
    number = check_real(name, value)
    return number, number, number


def check_ci_p(estimate, low, high, reported_p, *, ratio=False, level=0.95):
    """Does a printed p agree with the printed estimate and interval?

    Every figure may be a printed string (``"0.81"``): the check then allows for its
    rounding, half a unit of its last digit either way, and asks whether any estimate
    and limits that print as given yield a p that prints as ``reported_p`` (``"0.005"``,
    ``"P < 0.001"``).  Numbers are taken as exact.

    Examples
    --------
    Hazard ratio 0.81 (0.70 to 0.94) printed with "P = 0.005", then with "P < 0.001":

    >>> check_ci_p("0.81", "0.70", "0.94", "P = 0.005", ratio=True).consistent
    True
    >>> check_ci_p("0.81", "0.70", "0.94", "P < 0.001", ratio=True).consistent
    False
    """
    from .consistency import parse_reported_p

    ratio, level, _ = _options(ratio, level, "normal")
    est, est_lo, est_hi = _printed("estimate", estimate)
    lo, lo_lo, lo_hi = _printed("low", low)
    hi, hi_lo, hi_hi = _printed("high", high)
    rep = parse_reported_p(reported_p)
    p = pvalue_from_ci(est, lo, hi, ratio=ratio, level=level).pvalue
    if ratio and min(est_lo, lo_lo, hi_lo) <= 0:
        raise ValueError("estimate, low and high must print as values > 0 for a ratio")
    est_lo, est_hi, lo_lo, lo_hi, hi_lo, hi_hi = (_scale("figure", v, ratio) if ratio else v
                                                  for v in (est_lo, est_hi, lo_lo, lo_hi, hi_lo, hi_hi))
    q = _multiplier(level, "normal")
    if hi_lo <= lo_hi:
        z_max = math.inf
    else:
        z_max = max(abs(est_lo), abs(est_hi)) * 2 * q / (hi_lo - lo_hi)
    z_min = (0.0 if est_lo <= 0 <= est_hi else min(abs(est_lo), abs(est_hi))) * 2 * q / (hi_hi - lo_lo)
    p_low, p_high = float(2 * stats.norm.sf(z_max)), float(2 * stats.norm.sf(z_min))
    # p is continuous in the figures, so every value in [p_low, p_high] is attained
    if rep.relation == "=":
        unit = 10.0 ** -rep.decimals
        consistent = p_low < rep.value + unit / 2 and p_high >= rep.value - unit / 2
    elif rep.relation in ("<", "<="):
        consistent = p_low < rep.value or (rep.relation == "<=" and p_low == rep.value)
    else:
        consistent = p_high > rep.value or (rep.relation == ">=" and p_high == rep.value)
    scale = "log-scale " if ratio else ""
    low_text, high_text = format_p(p_low, digits=4), format_p(p_high, digits=4)
    spread = (p_phrase(p_low, digits=4) if low_text == high_text
              else f"p from {low_text} to {high_text}")
    message = (f"The printed estimate and {level:.0%} interval give {p_phrase(p, digits=4)} by a {scale}normal "
               f"test; figures that print the same give {spread}, "
               + ("which agrees with" if consistent else "which cannot give")
               + f" the printed {rep.text!r}.")
    return CIPCheck(bool(consistent), p, p_low, p_high, rep, message)
