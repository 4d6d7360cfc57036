"""Do a printed mean and SD fit the sample size?  GRIM, GRIMMER and DEBIT.

Data made of whole numbers (a count, a score on an integer scale, a yes/no answer) can
only have certain means and standard deviations for a given ``n``.  A printed mean or SD
that none of them rounds to cannot be right as printed:

* :func:`grim` -- the mean (Brown & Heathers 2017, Soc Psychol Personal Sci 8:363);
* :func:`grimmer` -- the mean with the SD (Anaya 2016, PeerJ Preprints 4:e2400; the
  analytic form of Allard 2018);
* :func:`debit` -- mean and SD of a yes/no (0/1) variable (Heathers & Brown 2019, PsyArXiv).

Figures are given as printed strings, so that ``"5.20"`` keeps its two decimals; numbers
are accepted with an explicit ``decimals=`` or are read through their shortest
representation (``5.2`` has one decimal).  Every bound is an exact fraction, so a value
exactly half-way between two printed values is never lost to binary floating point.  The
rounding rule at such ties is a keyword (see :mod:`appraise._printed`): ``"either"`` (the
default: a tie may have gone up or down), ``"half-up"``, ``"half-down"`` or
``"half-even"``; every result also lists the single rules under which it is consistent.

t-tests from summary figures and the within- versus between-arm reading live in
:mod:`appraise._summary_tests` and are re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ._limits import MAX_CANDIDATE_SUMS, MAX_COUNT, MAX_SCALE_ITEMS
from ._printed import (SINGLE_RULES, Printed, check_rule, fmt, interval, printed, round_fraction,
                       round_sqrt_ratio)
from ._summary_tests import (BetweenFromWithin, PValueRange, SummaryTTest, TTestPCheck, WithinArmP,
                             between_from_within, check_ttest_p, ttest_from_summary, within_arm_p)
from ._validate import _show, check_int

__all__ = ["GrimResult", "GrimmerResult", "DebitResult", "grim", "grimmer", "debit",
           "SummaryTTest", "PValueRange", "TTestPCheck", "BetweenFromWithin", "WithinArmP",
           "ttest_from_summary", "check_ttest_p", "between_from_within", "within_arm_p",
           "MAX_CANDIDATE_SUMS"]



@dataclass(frozen=True)
class GrimResult:
    """Result of :func:`grim`.

    Attributes
    ----------
    consistent : bool
        Some whole-number total of the ``n * items`` item values gives a mean that prints
        as reported under ``rounding`` (and lies on the scale, if one was given).
    mean, n, items, decimals, rounding
        What was checked.
    consistent_under : tuple of str
        The single rules (``"half-up"``, ``"half-down"``, ``"half-even"``) under which it fits.
    totals : tuple of int
        Smallest and largest fitting total (empty when none fits).
    nearest : tuple of str
        The consistent printed means nearest the reported one (itself when consistent;
        two on a tie).
    informative : bool
        ``False`` when ``n * items >= 10**decimals``: then every mean passes.
    message : str
    """

    consistent: bool
    mean: str
    n: int
    items: int
    decimals: int
    rounding: str
    consistent_under: tuple
    totals: tuple
    nearest: tuple
    informative: bool
    message: str


def _count(name, value):
    return check_int(name, value, minimum=1, maximum=MAX_COUNT)


def _scale(scale):
    if scale is None:
        return None
    if not isinstance(scale, (tuple, list)) or len(scale) != 2:
        raise TypeError(f"scale must be a pair (lowest, highest) of whole numbers or None, got {_show(scale)}")
    low = check_int("scale[0]", scale[0], minimum=None)
    high = check_int("scale[1]", scale[1], minimum=None)
    if low >= high:
        raise ValueError(f"scale must have lowest < highest, got {tuple(scale)!r}")
    return low, high


def _total_range(p: Printed, rule: str, total_n: int, scale):
    """Whole-number totals S with ``S / total_n`` printing as ``p`` (S on the item scale)."""
    low, high, low_closed, high_closed = interval(p, rule)
    a, b = low * total_n, high * total_n
    smin, smax = math.ceil(a), math.floor(b)
    if smin == a and not low_closed:
        smin += 1
    if smax == b and not high_closed:
        smax -= 1
    if scale is not None:
        smin, smax = max(smin, scale[0] * total_n), min(smax, scale[1] * total_n)
    return smin, smax


def _nearest(p: Printed, rule: str, total_n: int, scale, fits) -> tuple:
    if fits:
        return (p.text,)
    target = Fraction(p.value) * total_n
    cands = {math.floor(target), math.ceil(target)}
    if scale is not None:
        cands = {min(max(s, scale[0] * total_n), scale[1] * total_n) for s in cands}
    units = {u for s in cands for u in round_fraction(Fraction(s, total_n), p.decimals, rule)}
    best = min(abs(u - p.units) for u in units)
    return tuple(fmt(u, p.decimals) for u in sorted(units) if abs(u - p.units) == best)


def grim(mean, n, *, items=1, rounding="either", decimals=None, scale=None) -> GrimResult:
    """GRIM: can ``n`` whole-number values have this printed mean?

    Parameters
    ----------
    mean : str or number
        The mean as printed, e.g. ``"5.19"``; a number needs ``decimals`` unless its
        shortest representation shows every printed decimal.
    n : int
        Number of participants (1 .. 10**9).
    items : int, keyword-only
        Items averaged per participant (a multi-item scale, 1 .. 1000): the mean is then
        a multiple of ``1 / (n * items)``.
    rounding : {"either", "half-up", "half-down", "half-even"}, keyword-only
        What happened at an exact tie: "half-up" goes away from zero, "half-down" towards
        zero, "half-even" to the even last digit, "either" (default) allows both ways.
    decimals : int, optional, keyword-only
        Decimals printed, for a numeric ``mean``.
    scale : (int, int), optional, keyword-only
        Lowest and highest possible item value; a mean off the scale is inconsistent.

    Returns
    -------
    GrimResult

    Examples
    --------
    A mean of 5.19 from 28 participants is impossible: 145/28 = 5.18 and 146/28 = 5.21.

    >>> r = grim("5.19", 28)
    >>> r.consistent, r.nearest
    (False, ('5.18',))
    >>> grim("5.18", 14, items=2).consistent
    True
    """
    p = printed("mean", mean, decimals)
    n, items = _count("n", n), check_int("items", items, minimum=1, maximum=MAX_SCALE_ITEMS)
    rule, scale = check_rule(rounding), _scale(scale)
    total_n = n * items
    under = tuple(r for r in SINGLE_RULES if _le(*_total_range(p, r, total_n, scale)))
    smin, smax = _total_range(p, rule, total_n, scale)
    fits = smin <= smax
    informative = total_n < 10 ** p.decimals
    nearest = _nearest(p, rule, total_n, scale, fits)
    what = f"{n} participants" + (f" x {items} items" if items > 1 else "")
    if fits:
        message = (f"A mean of {p.text} fits {what}: a total of {smin}"
                   + (f" to {smax}" if smax > smin else "") + f" over {total_n} values.")
        if not informative:
            places = f"{p.decimals} decimal" + ("s" if p.decimals != 1 else "")
            message += f" (With {total_n} values almost any mean printed to {places} fits, so this says little.)"
    else:
        message = (f"No total of {total_n} whole-number values gives a mean that prints as {p.text}"
                   f" ({rule} rounding); the nearest possible {'is' if len(nearest) == 1 else 'are'} "
                   f"{' and '.join(nearest)}.")
    return GrimResult(fits, p.text, n, items, p.decimals, rule, under,
                      (smin, smax) if fits else (), nearest, informative, message)


def _le(smin, smax) -> bool:
    return smin <= smax


# ----------------------------------------------------------------------------- GRIMMER

@dataclass(frozen=True)
class GrimmerResult:
    """Result of :func:`grimmer`.

    Attributes
    ----------
    consistent : bool
        Some whole-number total and sum of squares give both the printed mean and SD.
    mean, sd, n, items, rounding
    consistent_under : tuple of str
        Single rounding rules under which it fits.
    reason : str
        ``"consistent"``, ``"mean fails GRIM"``, ``"SD below the smallest possible"``,
        ``"SD above the largest possible on the scale"``, ``"no whole-number sum of
        squares fits the SD"`` or ``"sums of squares that fit have the wrong parity"``.
    grim : GrimResult
        The GRIM check of the mean.
    nearest_sd : tuple of str
        Consistent printed SDs nearest the reported one, for a mean that passes GRIM
        (the reported SD itself when consistent; empty when the mean fails).
    message : str
    """

    consistent: bool
    mean: str
    sd: str
    n: int
    items: int
    rounding: str
    consistent_under: tuple
    reason: str
    grim: GrimResult
    nearest_sd: tuple
    message: str


_STAGES = ("mean fails GRIM", "SD above the largest possible on the scale",
           "SD below the smallest possible", "no whole-number sum of squares fits the SD",
           "sums of squares that fit have the wrong parity", "consistent")


def _q_limits(s: int, n: int, scale_t):
    """Smallest and largest sum of squares of n integers with total s (and on the scale)."""
    q, r = divmod(s, n)
    qmin = n * q * q + r * (2 * q + 1)
    if scale_t is None:
        return qmin, None
    low, high = scale_t
    j, rest = divmod(s - n * low, high - low)
    if j >= n:
        return qmin, n * high * high
    return qmin, j * high * high + (n - j - 1) * low * low + (low + rest) ** 2


def _sd_window(s: int, n: int, k: int, sd: Printed, closed: tuple):
    """Whole sums of squares Q of the item totals whose SD (divided by k) prints as sd."""
    low_closed, high_closed = closed
    e = 4 * 10 ** (2 * sd.decimals)
    a, b = 2 * sd.units - 1, 2 * sd.units + 1
    base = e * s * s
    if a <= 0:
        qlo = -(-base // (n * e))
    else:
        num = base + n * (n - 1) * k * k * a * a
        qlo, rem = -(-num // (n * e)), num % (n * e)
        if rem == 0 and not low_closed:
            qlo += 1
    num = base + n * (n - 1) * k * k * b * b
    qhi, rem = num // (n * e), num % (n * e)
    if rem == 0 and not high_closed:
        qhi -= 1
    return qlo, qhi


def _grimmer_total(s, n, k, sd, closed, scale_t):
    """(stage reached, nearest allowed sums of squares) for one whole-number total s.

    Allowed: between the smallest and largest sum of squares for this total, and of the
    parity of s.  ``up`` is the smallest allowed Q in or above the SD's window, ``down``
    the largest in or below it; the SD fits iff ``up <= down``.
    """
    qmin, qmax = _q_limits(s, n, scale_t)
    qlo, qhi = _sd_window(s, n, k, sd, closed)
    up = max(qlo, qmin)
    up += (s - up) % 2
    down = qhi if qmax is None else min(qhi, qmax)
    down -= (down - s) % 2
    if up <= down:
        return 5, ()
    near = tuple(q for q in (up, down) if q >= qmin and (qmax is None or q <= qmax))
    if qmax is not None and qlo > qmax:
        return 1, near
    if qhi < qmin:
        return 2, near
    if max(qlo, qmin) > (qhi if qmax is None else min(qhi, qmax)):
        return 3, near
    return 4, near


def _grimmer_scan(p, sd, n, k, rule, scale_t, scale):
    smin, smax = _total_range(p, rule, n * k, scale)
    if smin > smax:
        return 0, []
    if smax - smin + 1 > MAX_CANDIDATE_SUMS:
        raise ValueError(f"n = {n} with a mean printed to {p.decimals} decimals fits {smax - smin + 1} "
                         f"whole-number totals; at most {MAX_CANDIDATE_SUMS} are examined (to stay under half a second). "
                         "With so many totals GRIMMER cannot find an inconsistency in the mean.")
    stage, near = 0, []
    closed = interval(sd, rule)[2:]
    for s in range(smin, smax + 1):
        got, qs = _grimmer_total(s, n, k, sd, closed, scale_t)
        if got == 5:
            return 5, []
        stage = max(stage, got)
        near.extend((s, q) for q in qs)
    return stage, near


def _sd_units(s, q, n, k, sd, rule) -> tuple:
    """Printed SD(s) of item totals with total s and sum of squares q."""
    return round_sqrt_ratio(n * q - s * s, n * (n - 1) * k * k, sd.decimals, rule)


def grimmer(mean, sd, n, *, items=1, rounding="either", decimals=None, scale=None) -> GrimmerResult:
    """GRIMMER: can ``n`` whole-number values have this printed mean *and* SD?

    For item totals ``T_1..T_n`` (whole numbers; a participant's score is ``T_i / items``)
    with total ``S`` and sum of squares ``Q``, the sample SD is
    ``sqrt((Q - S**2 / n) / (n - 1)) / items``.  The check is consistent when some whole
    ``S`` gives the printed mean (GRIM) and some whole ``Q`` gives the printed SD with
    (i) ``Q`` at least the smallest sum of squares of ``n`` integers adding to ``S``,
    (ii) at most the largest on the ``scale`` when one is given, and (iii) ``Q`` of the
    same parity as ``S`` (``x**2`` and ``x`` are both odd or both even).  These are
    necessary conditions: a consistent verdict finds no contradiction, it does not prove
    a data set exists.

    Every total ``S`` whose mean prints as reported is examined (as scrutiny does since
    its version 0.2), not only ``round(mean * n)`` as in Allard's original function,
    which wrongly rejects some real data once ``n * items`` exceeds ``10**decimals``
    (see the tests).  Condition (i) is an addition to both; it is a true necessary
    condition, so it never rejects real data.

    Parameters
    ----------
    mean, sd : str or number
        As printed (see :func:`grim`); ``decimals`` applies to both when they are numbers.
    n : int
        Participants, 2 .. 10**9.
    items, rounding, decimals, scale
        As in :func:`grim`.

    Returns
    -------
    GrimmerResult

    Examples
    --------
    The GRIMMER paper's test cases as used by rsprite2:

    >>> grimmer("5.21", "1.6", 28).consistent
    True
    >>> r = grimmer("3.44", "2.47", 18)
    >>> r.consistent, r.reason, r.nearest_sd
    (False, 'sums of squares that fit have the wrong parity', ('2.48',))
    """
    p = printed("mean", mean, decimals)
    s = printed("sd", sd, decimals, nonnegative=True)
    n = check_int("n", n, minimum=2, maximum=MAX_COUNT)
    k = check_int("items", items, minimum=1, maximum=MAX_SCALE_ITEMS)
    rule, scale = check_rule(rounding), _scale(scale)
    scale_t = None if scale is None else (scale[0] * k, scale[1] * k)
    g = grim(p, n, items=k, rounding=rule, scale=scale)
    stage, near = _grimmer_scan(p, s, n, k, rule, scale_t, scale)
    # every single rule's intervals lie within "either"'s: no need to scan them when it fails
    possible = stage == 5 or (rule != "either" and _grimmer_scan(p, s, n, k, "either", scale_t, scale)[0] == 5)
    under = tuple(r for r in SINGLE_RULES
                  if possible and (r == rule and stage == 5 or _grimmer_scan(p, s, n, k, r, scale_t, scale)[0] == 5))
    fits = stage == 5
    reason = _STAGES[stage]
    nearest = ()
    if fits:
        nearest = (s.text,)
    elif g.consistent:
        units = set()
        for total, q in near:
            units.update(_sd_units(total, q, n, k, s, rule))
        units.discard(s.units)
        if units:
            best = min(abs(u - s.units) for u in units)
            nearest = tuple(fmt(u, s.decimals) for u in sorted(units) if abs(u - s.units) == best)
    if fits:
        message = f"Mean {p.text} and SD {s.text} fit {n} participants ({rule} rounding)."
    elif stage == 0:
        message = f"The mean {p.text} already fails GRIM with n = {n}: {g.message}"
    else:
        message = (f"Mean {p.text} fits n = {n}, but no whole-number data with that mean has an SD "
                   f"that prints as {s.text} ({reason}).")
        if nearest:
            message += f" The nearest possible SD is {' or '.join(nearest)}."
    return GrimmerResult(fits, p.text, s.text, n, k, rule, under, reason, g, nearest, message)


# ----------------------------------------------------------------------------- DEBIT

@dataclass(frozen=True)
class DebitResult:
    """Result of :func:`debit`.

    Attributes
    ----------
    consistent : bool
        Some number ``k`` of ones among ``n`` gives both the printed mean (``k / n``) and
        the printed sample SD ``sqrt(k (n - k) / (n (n - 1)))``.
    mean, sd, n, rounding
    consistent_under : tuple of str
    ones : tuple of int
        The ``k`` that give the printed mean (whatever their SD).
    matching_ones : tuple of int
        The ``k`` that give both.
    possible_sds : tuple of str
        The printed SDs of the ``k`` in ``ones``.
    message : str
    """

    consistent: bool
    mean: str
    sd: str
    n: int
    rounding: str
    consistent_under: tuple
    ones: tuple
    matching_ones: tuple
    possible_sds: tuple
    message: str


def _debit_scan(p, s, n, rule):
    kmin, kmax = _total_range(p, rule, n, (0, 1))
    if kmax - kmin + 1 > MAX_CANDIDATE_SUMS:
        raise ValueError(f"n = {n} with a mean printed to {p.decimals} decimals fits {kmax - kmin + 1} "
                         f"counts of ones; at most {MAX_CANDIDATE_SUMS} are examined (to stay under half a second).")
    low, high, low_closed, high_closed = interval(s, rule)
    e = 4 * 10 ** (2 * s.decimals)
    a, b = max(2 * s.units - 1, 0), 2 * s.units + 1
    ones, match = [], []
    for k in range(kmin, kmax + 1):
        lhs = e * k * (n - k)                       # e * n * (n - 1) * SD**2
        lo_ok = lhs > n * (n - 1) * a * a or (lhs == n * (n - 1) * a * a and (low_closed or a == 0))
        hi_ok = lhs < n * (n - 1) * b * b or (lhs == n * (n - 1) * b * b and high_closed)
        ones.append(k)
        if lo_ok and hi_ok:
            match.append(k)
    return ones, match


def debit(mean, sd, n, *, rounding="either", decimals=None) -> DebitResult:
    """DEBIT: can a yes/no (0/1) variable on ``n`` people have this printed mean and SD?

    The mean of a 0/1 variable is the proportion ``k / n`` of ones and its sample SD
    (``n - 1`` in the denominator, as statistics packages print it) is fixed by ``k``:
    ``sqrt(k (n - k) / (n (n - 1)))``.  The check is exact: every ``k`` whose proportion
    prints as the mean is tried (scrutiny's ``formula = "exact"``).

    Parameters
    ----------
    mean : str or number
        A proportion between 0 and 1 as printed, e.g. ``"0.53"``.
    sd : str or number
        As printed.
    n : int
        2 .. 10**9.
    rounding, decimals
        As in :func:`grim`.

    Returns
    -------
    DebitResult

    Examples
    --------
    From scrutiny's example data (pigs3): 0.19 with SD 0.35 cannot come from 1683 yes/no
    answers; the SD of such a proportion prints as 0.39 or 0.40.

    >>> r = debit("0.19", "0.35", 1683)
    >>> r.consistent, r.possible_sds
    (False, ('0.39', '0.40'))
    """
    p = printed("mean", mean, decimals)
    s = printed("sd", sd, decimals, nonnegative=True)
    n = check_int("n", n, minimum=2, maximum=MAX_COUNT)
    rule = check_rule(rounding)
    if not 0 <= p.value <= 1:
        raise ValueError(f"mean must be a proportion between 0 and 1 for DEBIT, got {mean!r}")
    ones, match = _debit_scan(p, s, n, rule)
    possible = bool(match) or (rule != "either" and bool(_debit_scan(p, s, n, "either")[1]))
    under = tuple(r for r in SINGLE_RULES if possible and (r == rule and match or _debit_scan(p, s, n, r)[1]))
    sds = sorted({u for k in ones for u in round_sqrt_ratio(k * (n - k), n * (n - 1), s.decimals, rule)})
    possible = tuple(fmt(u, s.decimals) for u in sds)
    if match:
        message = f"Mean {p.text} and SD {s.text} fit {match[0]} ones among {n}."
    elif not ones:
        message = f"No count of ones among {n} gives a proportion that prints as {p.text}."
    else:
        message = (f"A proportion printed as {p.text} among {n} has an SD that prints as "
                   f"{' or '.join(possible)}, not {s.text}.")
    return DebitResult(bool(match), p.text, s.text, n, rule, under, tuple(ones), tuple(match),
                       possible, message)
