"""t-tests recomputed from printed means and SDs, and what a within-arm p can say.

Public names are re-exported by :mod:`appraise.continuous`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy import optimize, stats

from ._format import format_p
from ._limits import MAX_COUNT
from ._printed import Printed, printed
from ._validate import _show, check_int, check_real

__all__ = ["PValueRange", "SummaryTTest", "TTestPCheck", "BetweenFromWithin", "WithinArmP",
           "ttest_from_summary", "check_ttest_p", "between_from_within", "within_arm_p"]


@dataclass(frozen=True)
class PValueRange:
    """Smallest and largest two-sided p over every value that rounds to what was printed."""

    low: float
    high: float
    method: str


@dataclass(frozen=True)
class SummaryTTest:
    """Result of :func:`ttest_from_summary`.

    ``statistic`` and ``pvalue`` are those of :func:`scipy.stats.ttest_ind_from_stats` at
    the printed values (treatment minus control); ``pvalue_range`` is ``None`` when every
    mean and SD was given as an exact number.
    """

    statistic: float
    pvalue: float
    df: float
    mean_difference: float
    equal_var: bool
    method: str
    pvalue_range: PValueRange | None


def _figure(name, value, *, nonnegative=False):
    """(point, low, high) of a figure: a printed string spans its rounding interval."""
    if isinstance(value, (str, Printed)):
        p = printed(name, value, nonnegative=nonnegative)
        half = Decimal(1).scaleb(-p.decimals) / 2
        low = max(p.value - half, Decimal(0)) if nonnegative else p.value - half
        return float(p.value), float(low), float(p.value + half)
    x = check_real(name, value, low=0.0 if nonnegative else None)
    return x, x, x


def _tp(d, s1, s2, n1, n2, equal_var):
    """Vectorised t, df and two-sided p (scipy's formulas; see the tests)."""
    d, s1, s2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (d, s1, s2)))
    v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
    if equal_var:
        df = np.full(d.shape, float(n1 + n2 - 2))
        se = np.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2) * (1 / n1 + 1 / n2))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
        se = np.sqrt(v1 + v2)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, d / np.where(se > 0, se, 1.0), np.where(d == 0, 0.0, np.sign(d) * np.inf))
    p = np.where(np.isinf(t), 0.0, 2 * stats.t.sf(np.abs(t), np.where(np.isfinite(df), df, 1.0)))
    return t, df, np.where(d == 0, 1.0, p)


def _welch_extreme(dabs, s1, s2, n1, n2, sign):
    """Extreme (sign=+1: max, -1: min) Welch p over the SD box at |difference| = dabs."""
    g1 = np.linspace(s1[0], s1[1], 41)
    g2 = np.linspace(s2[0], s2[1], 41)
    a, b = np.meshgrid(g1, g2, indexing="ij")
    p = _tp(dabs, a, b, n1, n2, False)[2]
    i = np.unravel_index(np.argmax(sign * p), p.shape)
    best = float(p[i])
    if (s1[1] > s1[0] or s2[1] > s2[0]) and 0 < best < 1:
        res = optimize.minimize(lambda x: -sign * float(_tp(dabs, x[0], x[1], n1, n2, False)[2]),
                                x0=[a[i], b[i]], bounds=[s1, s2], method="L-BFGS-B")
        best = max(best, float(-res.fun)) if sign > 0 else min(best, float(res.fun))
    return best


def ttest_from_summary(mean_treat, sd_treat, n_treat, mean_ctrl, sd_ctrl, n_ctrl, *,
                       equal_var=True) -> SummaryTTest:
    """Two-sample t-test from means, SDs and sizes, with the p-value range of the rounding.

    Parameters
    ----------
    mean_treat, sd_treat, mean_ctrl, sd_ctrl : str or number
        As printed (``"61.00"``) or exact numbers.  A printed figure stands for every value
        within half a unit of its last decimal.
    n_treat, n_ctrl : int
        Arm sizes, at least 2 each.
    equal_var : bool, keyword-only
        ``True``: Student's pooled-variance test; ``False``: Welch's.

    Returns
    -------
    SummaryTTest
        ``pvalue_range`` spans every combination of values that round to the printed
        figures.

    Notes
    -----
    Why the corners suffice (Student's test).  With ``d`` the difference in means,
    ``|t| = |d| / (s_p sqrt(1/n1 + 1/n2))`` where
    ``s_p**2 = ((n1-1) s1**2 + (n2-1) s2**2) / (n1 + n2 - 2)``.  ``|t|`` increases with
    ``|d|`` and decreases with each SD (``s_p`` increases with both), the degrees of
    freedom do not move, and the two-sided p ``2 sf(|t|)`` decreases with ``|t|``.  So
    the smallest p is at the largest ``|d|`` and the smallest SDs, the largest p at the
    smallest ``|d|`` (zero if the interval of differences contains 0, giving p = 1) and
    the largest SDs: corners of the rounding box.  For Welch's test the degrees of
    freedom move with the SDs, so ``|d|`` is set the same way and the SDs are searched
    numerically (a 41 x 41 grid refined by bounded L-BFGS-B).

    An SD that rounds to zero makes the smallest p exactly 0 (a difference with no
    spread); both SDs exactly zero at the printed values is refused.

    Examples
    --------
    Baseline age in the capstone trial, 61.00 (17.87) in 12 vs 57.86 (15.79) in 29
    (printed P = 0.576, which this test does not give; see :func:`check_ttest_p`):

    >>> r = ttest_from_summary("61.00", "17.87", 12, "57.86", "15.79", 29)
    >>> round(r.pvalue, 3), round(r.pvalue_range.low, 4), round(r.pvalue_range.high, 4)
    (0.58, 0.5789, 0.5816)
    """
    m1 = _figure("mean_treat", mean_treat)
    s1 = _figure("sd_treat", sd_treat, nonnegative=True)
    m2 = _figure("mean_ctrl", mean_ctrl)
    s2 = _figure("sd_ctrl", sd_ctrl, nonnegative=True)
    n1 = check_int("n_treat", n_treat, minimum=2, maximum=MAX_COUNT)
    n2 = check_int("n_ctrl", n_ctrl, minimum=2, maximum=MAX_COUNT)
    if not isinstance(equal_var, (bool, np.bool_)):
        raise TypeError(f"equal_var must be True or False, got {_show(equal_var)}")
    equal_var = bool(equal_var)
    if s1[0] == 0 and s2[0] == 0:
        raise ValueError(f"sd_treat {sd_treat!r} and sd_ctrl {sd_ctrl!r} are both zero: there is no "
                         "spread to test against")
    res = stats.ttest_ind_from_stats(m1[0], s1[0], n1, m2[0], s2[0], n2, equal_var=equal_var)
    t, df = float(res.statistic), float(_tp(0.0, s1[0], s2[0], n1, n2, equal_var)[1])
    method = "Student (pooled variance)" if equal_var else "Welch"
    prange = None
    if any(f[1] != f[2] for f in (m1, s1, m2, s2)):
        dlo, dhi = m1[1] - m2[2], m1[2] - m2[1]
        dmax = max(abs(dlo), abs(dhi))
        dmin = 0.0 if dlo <= 0 <= dhi else min(abs(dlo), abs(dhi))
        if equal_var:
            low = float(_tp(dmax, s1[1], s2[1], n1, n2, True)[2])
            high = float(_tp(dmin, s1[2], s2[2], n1, n2, True)[2])
            how = "corners of the rounding box (exact)"
        else:
            low = _welch_extreme(dmax, s1[1:], s2[1:], n1, n2, -1)
            high = _welch_extreme(dmin, s1[1:], s2[1:], n1, n2, +1)
            how = "largest/smallest difference, SDs searched numerically"
        prange = PValueRange(low, high, how)
    return SummaryTTest(t, float(res.pvalue), df, m1[0] - m2[0], equal_var, method, prange)


@dataclass(frozen=True)
class TTestPCheck:
    """Result of :func:`check_ttest_p`: can the printed p come from a t-test on these figures?"""

    consistent: bool
    reported: object
    ranges: dict
    matching_tests: tuple
    verdict: str


def _p_fits(rep, low, high) -> bool:
    v = Fraction(Decimal(repr(rep.value)))
    if rep.relation == "=":
        h = Fraction(1, 2 * 10 ** rep.decimals)
        return Fraction(low) <= v + h and Fraction(high) >= v - h
    return {"<": low < v, "<=": low <= v, ">": high > v, ">=": high >= v}[rep.relation]


def check_ttest_p(reported_p, mean_treat, sd_treat, n_treat, mean_ctrl, sd_ctrl, n_ctrl, *,
                  equal_var=None) -> TTestPCheck:
    """Can a printed p-value come from a two-sample t-test on the printed summaries?

    ``reported_p`` is read by :func:`appraise.consistency.parse_reported_p` (``"P = 0.03"``,
    ``"P < 0.001"``).  An ``=`` p fits when some value that rounds to it (either way at a
    tie) lies in the test's p-value range; ``<``/``>`` fit when some p in the range
    satisfies them.  ``equal_var=None`` tries Student's and Welch's tests.

    Examples
    --------
    The capstone trial's baseline ages, 61.00 (17.87) in 12 vs 57.86 (15.79) in 29, are
    printed with P = 0.576; no two-sample t-test on them gives it (some other test may):

    >>> r = check_ttest_p("P = 0.576", "61.00", "17.87", 12, "57.86", "15.79", 29)
    >>> r.consistent
    False
    >>> print(r.verdict)
    P = 0.576 cannot come from a two-sample t-test on these figures: over every value that rounds to them, p runs student 0.579 to 0.582; welch 0.602 to 0.604.
    >>> check_ttest_p("P = 0.58", "61.00", "17.87", 12, "57.86", "15.79", 29).matching_tests
    ('student',)
    """
    from .consistency import parse_reported_p

    rep = parse_reported_p(reported_p)
    if equal_var is None:
        variants = {"student": True, "welch": False}
    elif isinstance(equal_var, (bool, np.bool_)):
        variants = {"student" if equal_var else "welch": bool(equal_var)}
    else:
        raise TypeError(f"equal_var must be True, False or None, got {_show(equal_var)}")
    ranges, matching = {}, []
    for name, ev in variants.items():
        r = ttest_from_summary(mean_treat, sd_treat, n_treat, mean_ctrl, sd_ctrl, n_ctrl, equal_var=ev)
        pr = r.pvalue_range or PValueRange(r.pvalue, r.pvalue, "exact figures")
        ranges[name] = pr
        if _p_fits(rep, pr.low, pr.high):
            matching.append(name)
    shown = "; ".join(f"{k} {_p3(v.low)} to {_p3(v.high)}" for k, v in ranges.items())
    if matching:
        verdict = f"{rep.text} fits a t-test on these figures ({', '.join(matching)}: p from {shown})."
    else:
        verdict = (f"{rep.text} cannot come from a two-sample t-test on these figures: over every value "
                   f"that rounds to them, p runs {shown}.")
    return TTestPCheck(bool(matching), rep, ranges, tuple(matching), verdict)


def _p3(p: float) -> str:
    return format_p(p)


# ----------------------------------------------------------------------------- within vs between

@dataclass(frozen=True)
class BetweenFromWithin:
    """Result of :func:`between_from_within`.

    Attributes
    ----------
    correlation_low, correlation_high : float
        The range of baseline-follow-up correlations considered.
    pvalue_range : PValueRange
        Between-arm p of the change from baseline over that range.
    pvalue_within_treat, pvalue_within_ctrl : PValueRange
        Paired (within-arm) p of each arm's change over that range.
    correlations, pvalues_between, pvalues_within_treat, pvalues_within_ctrl : tuple of float
        The same on a grid of 101 correlations (for a chart).
    mean_change_treat, mean_change_ctrl : float
    explanation : str
        A plain-language reading built from these numbers.
    """

    correlation_low: float
    correlation_high: float
    pvalue_range: PValueRange
    pvalue_within_treat: PValueRange
    pvalue_within_ctrl: PValueRange
    correlations: tuple
    pvalues_between: tuple
    pvalues_within_treat: tuple
    pvalues_within_ctrl: tuple
    mean_change_treat: float
    mean_change_ctrl: float
    explanation: str


def _sd_change(sb, sf, r):
    return np.sqrt(np.maximum(sb * sb + sf * sf - 2 * r * sb * sf, 0.0))


def _paired_p(mean_change, sd_change, n):
    with np.errstate(divide="ignore", invalid="ignore"):
        t = mean_change / (sd_change / math.sqrt(n))
    p = 2 * stats.t.sf(np.abs(t), n - 1)
    return np.where(sd_change > 0, p, np.where(mean_change == 0, 1.0, 0.0))


def _value(name, x, *, nonnegative=False):
    if isinstance(x, (str, Printed)):
        return float(printed(name, x, nonnegative=nonnegative).value)
    return check_real(name, x, low=0.0 if nonnegative else None)


def between_from_within(mean_base_treat, sd_base_treat, mean_follow_treat, sd_follow_treat, n_treat,
                        mean_base_ctrl, sd_base_ctrl, mean_follow_ctrl, sd_follow_ctrl, n_ctrl, *,
                        correlation=(0.0, 0.9), equal_var=True) -> BetweenFromWithin:
    """Between-arm p of the change from baseline, for every plausible correlation.

    A paper that prints baseline and follow-up mean +/- SD per arm does not print the SD
    of the change, which depends on the correlation ``r`` between a patient's baseline
    and follow-up values: ``sd_change = sqrt(sd_b**2 + sd_f**2 - 2 r sd_b sd_f)``.  The
    between-arm test is a two-sample t-test on the changes; a within-arm test is a paired
    t-test (``t = mean_change / (sd_change / sqrt(n))``, ``n - 1`` df).

    ``sd_change`` falls as ``r`` rises, so every ``|t|`` rises and every p falls: for
    Student's test the range's ends are at the ends of the correlation range (exact); for
    Welch's test the degrees of freedom move too, and the ends are searched on the grid
    and refined (bounded scalar minimisation).

    Parameters
    ----------
    mean_base_*, sd_base_*, mean_follow_*, sd_follow_* : str or number
    n_treat, n_ctrl : int
        Patients with both measurements, at least 2 per arm.
    correlation : (float, float), keyword-only
        Lowest and highest correlation considered, within [-1, 1).  The default 0 to 0.9
        spans what repeated clinical measurements usually show; -1 to 1 leaves it open.
    equal_var : bool, keyword-only

    Returns
    -------
    BetweenFromWithin

    Examples
    --------
    Both arms fall by 10 points from 50 (SD 12 at both times), 14 vs 15 patients:

    >>> r = between_from_within(50, 12, 40, 12, 14, 50, 12, 40, 12, 15)
    >>> r.pvalue_range.low, r.pvalue_range.high
    (1.0, 1.0)
    >>> r.pvalue_within_treat.high < 0.05
    True
    """
    names = ("mean_base_treat", "sd_base_treat", "mean_follow_treat", "sd_follow_treat")
    vt = [_value(nm, x, nonnegative=nm.startswith("sd"))
          for nm, x in zip(names, (mean_base_treat, sd_base_treat, mean_follow_treat, sd_follow_treat))]
    vc = [_value(nm.replace("treat", "ctrl"), x, nonnegative=nm.startswith("sd"))
          for nm, x in zip(names, (mean_base_ctrl, sd_base_ctrl, mean_follow_ctrl, sd_follow_ctrl))]
    n1 = check_int("n_treat", n_treat, minimum=2, maximum=MAX_COUNT)
    n2 = check_int("n_ctrl", n_ctrl, minimum=2, maximum=MAX_COUNT)
    if not isinstance(correlation, (tuple, list)) or len(correlation) != 2:
        raise TypeError(f"correlation must be a pair (low, high), got {_show(correlation)}")
    r_lo = check_real("correlation[0]", correlation[0], low=-1.0, high=1.0, high_open=True)
    r_hi = check_real("correlation[1]", correlation[1], low=-1.0, high=1.0, high_open=True)
    if r_lo > r_hi:
        raise ValueError(f"correlation must have low <= high, got {tuple(correlation)!r}")
    if not isinstance(equal_var, (bool, np.bool_)):
        raise TypeError(f"equal_var must be True or False, got {_show(equal_var)}")
    c1, c2 = vt[2] - vt[0], vc[2] - vc[0]
    grid = np.unique(np.concatenate([np.linspace(r_lo, r_hi, 101), [r_lo, r_hi]]))

    def curves(r):
        sd1, sd2 = _sd_change(vt[1], vt[3], r), _sd_change(vc[1], vc[3], r)
        between = _tp(c1 - c2, sd1, sd2, n1, n2, bool(equal_var))[2]
        return between, _paired_p(c1, sd1, n1), _paired_p(c2, sd2, n2)

    pb, pw1, pw2 = curves(grid)

    def ends(values, which):
        lo, hi = float(values.min()), float(values.max())
        if not equal_var and which == 0 and r_hi > r_lo:
            for sign in (1, -1):
                res = optimize.minimize_scalar(lambda r: sign * float(curves(r)[0]), bounds=(r_lo, r_hi),
                                               method="bounded")
                lo, hi = (min(lo, float(res.fun)), hi) if sign == 1 else (lo, max(hi, -float(res.fun)))
        return PValueRange(lo, hi, "ends of the correlation range" if equal_var or which else
                           "grid of correlations, refined")

    rb, r1, r2 = ends(pb, 0), ends(pw1, 1), ends(pw2, 2)
    text = (f"The treated arm changed by {c1:+.4g} and the control arm by {c2:+.4g}. "
            f"With the correlation between baseline and follow-up anywhere from {r_lo:.2f} to {r_hi:.2f}, "
            f"the between-arm p for the change runs from {_p3(rb.low)} to {_p3(rb.high)}, while the "
            f"treated arm's own (within-arm) p runs from {_p3(r1.low)} to {_p3(r1.high)} and the "
            f"control arm's from {_p3(r2.low)} to {_p3(r2.high)}. A within-arm p compares an arm with "
            "its own baseline; only the between-arm p compares treatment with control.")
    return BetweenFromWithin(r_lo, r_hi, rb, r1, r2, tuple(map(float, grid)), tuple(map(float, pb)),
                             tuple(map(float, pw1)), tuple(map(float, pw2)), c1, c2, text)


@dataclass(frozen=True)
class WithinArmP:
    """Result of :func:`within_arm_p`: what a within-arm p alone implies.

    ``t_low``/``t_high`` bound the paired t (``mean change / SE``) that gives the printed
    p with ``n`` patients; ``effect_low``/``effect_high`` the standardised change
    ``mean change / SD of the changes`` (``t / sqrt(n)``).  ``inf`` means unbounded.
    """

    reported: object
    n: int
    t_low: float
    t_high: float
    effect_low: float
    effect_high: float
    explanation: str


def within_arm_p(reported_p, n) -> WithinArmP:
    """What a within-arm (paired) p-value says, and what it cannot say.

    Examples
    --------
    >>> r = within_arm_p("P < 0.001", 14)
    >>> round(r.t_low, 2), round(r.effect_low, 2), r.t_high
    (4.22, 1.13, inf)
    """
    from .consistency import parse_reported_p

    rep = parse_reported_p(reported_p)
    n = check_int("n", n, minimum=2, maximum=MAX_COUNT)
    h = 0.5 * 10.0 ** -rep.decimals
    if rep.relation == "=":
        p_lo, p_hi = max(rep.value - h, 0.0), min(rep.value + h, 1.0)
    elif rep.relation in ("<", "<="):
        p_lo, p_hi = 0.0, rep.value
    else:
        p_lo, p_hi = rep.value, 1.0
    t_of = lambda p: math.inf if p <= 0 else float(stats.t.isf(p / 2, n - 1))  # noqa: E731
    t_low, t_high = t_of(p_hi), t_of(p_lo)
    e_low, e_high = t_low / math.sqrt(n), t_high / math.sqrt(n)
    if math.isinf(t_high):
        size = (f"at least {t_low:.2f} times its standard error, that is at least {e_low:.2f} standard "
                f"deviations of the individual changes")
    else:
        size = (f"between {t_low:.2f} and {t_high:.2f} times its standard error ({e_low:.2f} to "
                f"{e_high:.2f} standard deviations of the individual changes)")
    text = (f"A within-arm {rep.text} with {n} patients says that the mean change within that arm was "
            f"{size}. It says nothing about the other arm: if the control arm changed by as much, the "
            f"between-arm p would be 1, whatever this p. Only a test between the arms, on both arms' "
            f"changes, can say whether the treatment made a difference.")
    return WithinArmP(rep, n, t_low, t_high, e_low, e_high, text)
