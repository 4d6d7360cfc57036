"""Which numbers of patients give a printed percentage (GRIM-style, exact arithmetic).

A GRIM-style check (after Brown & Heathers 2017) applied to percentages: which ``k``
out of ``n`` give the printed percentage, under rounding and under truncation.  All
arithmetic is exact (fractions), so 28.5% is never lost to binary floating point.
Public names are re-exported by :mod:`appraise.consistency`.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from ._format import format_values
from ._limits import MAX_CARD_COUNT
from ._validate import _show, check_choice, check_int, check_limit, real_scalar

__all__ = ["ReportedPercentage", "PercentageCheck", "parse_percentage", "check_percentage"]


@dataclass(frozen=True)
class ReportedPercentage:
    """A percentage as printed: its value, its number of decimals and the text."""

    value: float
    decimals: int
    text: str


@dataclass(frozen=True)
class PercentageCheck:
    """Result of :func:`check_percentage`.

    Attributes
    ----------
    consistent : bool
        Some ``k`` in 0..n fits under the chosen ``rounding`` (and, if ``events`` was
        given, that ``k`` is ``events``).
    reported : ReportedPercentage
    n : int
    candidates : tuple of int
        The ``k`` that fit under the chosen rule.
    by_rounding, by_truncation : tuple of int
        The ``k`` whose ``100 k / n`` rounds half-up / truncates to the reported value.
    nearest_k : int
        The ``k`` whose percentage is nearest the reported value (lower ``k`` on ties).
    nearest_percent : float
        ``100 * nearest_k / n``.
    message : str
        A plain-language reading.
    """

    consistent: bool
    reported: ReportedPercentage
    n: int
    candidates: tuple
    by_rounding: tuple
    by_truncation: tuple
    nearest_k: int
    nearest_percent: float
    message: str


_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PERCENT_RE = re.compile(rf"^\s*([+-]?)\s*({_NUMBER})\s*%?\s*$")


def _decimal_from_real(value, name) -> Decimal:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a string such as '28%' or a number, got {_show(value)} "
                        f"of type {type(value).__name__}")
    value = real_scalar(name, value)  # numpy scalars -> int/float; float32(28.6) -> 28.6
    if isinstance(value, int):
        return Decimal(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    dec = Decimal(repr(value))  # shortest repr: 28.6 -> Decimal('28.6')
    return dec.normalize() if dec == dec.to_integral_value() else dec


def _decimals(dec: Decimal) -> int:
    exponent = dec.as_tuple().exponent
    return max(0, -int(exponent))


def _parse_percentage(value, name) -> tuple[ReportedPercentage, Decimal]:
    if isinstance(value, ReportedPercentage):
        value = value.text
    if isinstance(value, str):
        match = _PERCENT_RE.match(value)
        if not match:
            raise ValueError(f"{name} must be a percentage such as '28%' or '28.6', got {value!r}")
        sign, number = match.groups()
        dec = Decimal(sign + number)
        text = value.strip()
    else:
        dec = _decimal_from_real(value, name)
        text = f"{real_scalar(name, value)}%"
    if dec < 0 or dec > 100:
        raise ValueError(f"{name} must be between 0 and 100 (a percentage), got {value!r}")
    return ReportedPercentage(float(dec), _decimals(dec), text), dec


def parse_percentage(text):
    """Read a printed percentage.

    Parameters
    ----------
    text : str, int or float
        ``"28%"``, ``"28.6"``, ``" 28 % "``, ``28`` or ``28.6``.  Floats are read
        through their shortest representation, so ``28.0`` counts as 0 decimals; pass
        the string ``"28.0%"`` when one decimal was printed.

    Returns
    -------
    ReportedPercentage

    Raises
    ------
    TypeError
        For ``None``, ``bool`` and other non-numbers.
    ValueError
        For text that is not a number, ``nan``/``inf``, or values outside 0..100.

    Examples
    --------
    >>> parse_percentage("28%")
    ReportedPercentage(value=28.0, decimals=0, text='28%')
    >>> parse_percentage(" 28.6 % ").decimals
    1
    """
    return _parse_percentage(text, "text")[0]


def _fits(n: int, low: Fraction, high: Fraction) -> tuple:
    """All k in 0..n with low <= 100 k / n < high, by exact arithmetic on the bounds of k."""
    first = max(0, math.ceil(low * n / 100))
    last = min(n, math.ceil(high * n / 100) - 1)  # largest k with 100 k / n < high
    return tuple(range(first, last + 1))


def _nearest(n: int, v: Fraction) -> int:
    """The k in 0..n whose 100 k / n is nearest v (the lower k on ties)."""
    exact = v * n / 100
    below = min(n, max(0, math.floor(exact)))
    above = min(n, below + 1)
    return above if abs(Fraction(100 * above, n) - v) < abs(Fraction(100 * below, n) - v) else below


def _list_k(ks, show) -> str:
    """The fitting k, written out (at most four, else the first and last)."""
    return ("every k from " if len(ks) > 4 else "") + format_values(ks, show)


def check_percentage(reported, n, *, rounding="round", events=None):
    """Which numbers of patients out of ``n`` give the reported percentage?

    A GRIM-style check (Brown & Heathers, Soc Psychol Personal Sci 2017;8:363-369)
    applied to percentages: ``k/n * 100`` must round to the printed value at the
    printed number of decimals.

    Parameters
    ----------
    reported : str, int, float or ReportedPercentage
        The printed percentage, e.g. ``"28%"``.
    n : int
        The denominator (>= 1; at most 10,000,000, the largest count a card holds:
        beyond it the list of fitting ``k`` itself grows too long to be useful).
    rounding : {"round", "truncate", "either"}
        ``"round"``: half-up rounding at the printed decimals (28.5 -> 29);
        ``"truncate"``: the digits after the printed ones were dropped (28.57 -> 28);
        ``"either"``: accept both.
    events : int, optional
        The number of patients the paper gives with the percentage; the check is then
        whether *this* ``k`` fits.

    Returns
    -------
    PercentageCheck

    Examples
    --------
    Survival in the seed trial's control arm, "28%": no ``k`` of 14 or 15 rounds to it.

    >>> check_percentage("28%", 14).consistent
    False
    >>> check_percentage("28%", 14).by_truncation   # 4/14 = 28.57%, truncated
    (4,)
    >>> check_percentage("28%", 15).nearest_k, round(check_percentage("28%", 15).nearest_percent, 1)
    (4, 26.7)
    >>> check_percentage("57%", 14).candidates      # 8/14 = 57.14%
    (8,)
    """
    rep, value = _parse_percentage(reported, "reported")
    n = check_int("n", n, minimum=1)
    check_limit("n", n, MAX_CARD_COUNT, "the fitting numbers of patients are listed one by one, and no "
                "trial card holds a larger count")
    rounding = check_choice("rounding", rounding, ("round", "truncate", "either"))
    if events is not None:
        events = check_int("events", events, minimum=0, maximum=n)
    v = Fraction(value)
    unit = Fraction(Decimal(1).scaleb(-rep.decimals))
    by_rounding = _fits(n, v - unit / 2, v + unit / 2)
    by_truncation = _fits(n, v, v + unit)
    if rounding == "round":
        candidates = by_rounding
    elif rounding == "truncate":
        candidates = by_truncation
    else:
        candidates = tuple(sorted(set(by_rounding) | set(by_truncation)))
    consistent = bool(candidates) if events is None else events in candidates
    nearest_k = _nearest(n, v)
    nearest_percent = 100 * nearest_k / n

    def show(k):
        return f"{k}/{n} = {float(Fraction(100 * k, n)):.{rep.decimals + 1}f}%"

    rule = {"round": "rounded", "truncate": "truncated", "either": "rounded or truncated"}[rounding]
    if events is not None:
        if consistent:
            message = f"{rep.text} of {n} fits the stated {events} patients ({show(events)})."
        else:
            fit = _list_k(candidates, show) or "no whole number of patients"
            message = (f"{rep.text} of {n} does not fit the stated {events} patients "
                       f"({show(events)}); {rule}, it fits {fit}.")
    elif consistent:
        message = f"{rep.text} of {n} fits " + _list_k(candidates, show) + f" ({rule})."
    else:
        message = (f"{rep.text} fits no whole number of patients out of {n} when {rule}; "
                   f"the nearest is {show(nearest_k)}.")
        if rounding == "round" and by_truncation:
            message += (" It fits " + _list_k(by_truncation, show)
                        + " only if the percentage was truncated instead of rounded.")
    return PercentageCheck(consistent, rep, n, candidates, by_rounding, by_truncation,
                           nearest_k, nearest_percent, message)
