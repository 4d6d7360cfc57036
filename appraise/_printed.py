"""Numbers as printed: their value, their decimals, and what they could have been.

A printed mean such as ``"5.20"`` stands for every real number that rounds to it.  Which
numbers those are depends on the rounding rule at an exact tie (a value half-way between
two printed values):

``"half-up"``
    ties go away from zero (2.345 -> 2.35, -2.345 -> -2.35): Python's ``ROUND_HALF_UP``,
    SPSS, Excel.
``"half-down"``
    ties go towards zero (2.345 -> 2.34).
``"half-even"``
    ties go to the even last digit (2.345 -> 2.34, 2.355 -> 2.36): IEEE 754, R's
    ``round()`` and numpy in intent.
``"either"``
    a tie may have gone either way, independently for each printed number: the union of
    the two rules above, and the default of the GRIM/GRIMMER/DEBIT functions (it is
    scrutiny's ``"up_or_down"``, and what Brown & Heathers 2017 allow).

All bounds are exact fractions; nothing here uses binary floating point.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ._limits import MAX_PRINTED_DECIMALS
from ._validate import _show, check_choice

ROUNDING_RULES = ("either", "half-up", "half-down", "half-even")
SINGLE_RULES = ("half-up", "half-down", "half-even")
MAX_DECIMALS = MAX_PRINTED_DECIMALS

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Printed:
    """A number as printed: exact decimal value, number of decimals, and the text."""

    value: Decimal
    decimals: int
    text: str

    @property
    def units(self) -> int:
        """The value in units of its last printed decimal (``"5.20"`` -> 520)."""
        return int(self.value.scaleb(self.decimals))


def printed(name: str, value, decimals=None, *, nonnegative: bool = False) -> Printed:
    """Read a printed number.

    Strings keep their decimals (``"5.20"`` has 2).  Numbers need ``decimals`` or are read
    through their shortest representation (``5.2`` has 1 decimal, ``5`` has 0).
    """
    if decimals is not None:
        if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral):
            raise TypeError(f"decimals must be a whole number (int) or None, got {_show(decimals)} "
                            f"of type {type(decimals).__name__}")
        if not 0 <= decimals <= MAX_DECIMALS:
            raise ValueError(f"decimals must be between 0 and {MAX_DECIMALS}, got {decimals}")
        decimals = int(decimals)
    if isinstance(value, Printed):
        return value
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-").replace("\u00b7", ".")
        if not _NUMBER_RE.match(text):
            raise ValueError(f"{name} must be a number as printed, such as '5.20', got {value!r}")
        dec = Decimal(text)
        own = max(0, -int(dec.as_tuple().exponent))
        if decimals is not None and decimals != own:
            raise ValueError(f"{name} {value!r} is printed with {own} decimals but decimals={decimals} "
                             "was given; pass one or the other")
        decimals = own
        text = value.strip()
    elif isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        raise TypeError(f"{name} must be a string such as '5.20' or a number, got {_show(value)} "
                        f"of type {type(value).__name__}")
    else:
        if isinstance(value, numbers.Integral):
            dec = Decimal(int(value))
        else:
            if not math.isfinite(float(value)):
                raise ValueError(f"{name} must be finite, got {value!r}")
            dec = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
        own = max(0, -int(dec.normalize().as_tuple().exponent)) if dec != 0 else 0
        if decimals is None:
            decimals = own
        elif own > decimals:
            raise ValueError(f"{name} {value!r} has more than decimals={decimals} decimals")
        try:
            dec = dec.quantize(Decimal(1).scaleb(-decimals))
        except InvalidOperation:
            raise ValueError(f"{name} {value!r} is too large") from None
        text = f"{dec}"
    if decimals > MAX_DECIMALS:
        raise ValueError(f"{name} {value!r} has {decimals} decimals; at most {MAX_DECIMALS} are accepted")
    if abs(dec) >= Decimal(10) ** 12:
        raise ValueError(f"{name} must be below 1e12 in size, got {value!r}")
    if nonnegative and dec < 0:
        raise ValueError(f"{name} must be >= 0 (a standard deviation), got {value!r}")
    return Printed(dec, decimals, text)


def check_rule(value, name: str = "rounding") -> str:
    return check_choice(name, value, ROUNDING_RULES)


def interval(p: Printed, rule: str) -> tuple[Fraction, Fraction, bool, bool]:
    """``(low, high, low_closed, high_closed)``: every x that prints as ``p`` under ``rule``."""
    v = Fraction(p.value)
    h = Fraction(1, 2 * 10 ** p.decimals)
    low, high = v - h, v + h
    if rule == "either":
        return low, high, True, True
    if rule == "half-even":
        even = p.units % 2 == 0
        return low, high, even, even
    sign = (v > 0) - (v < 0)
    if rule == "half-up":
        return low, high, sign > 0, sign < 0
    # half-down: ties go towards zero
    return low, high, sign <= 0, sign >= 0


def fmt(units: int, decimals: int) -> str:
    """Print ``units`` (in units of the last decimal) with ``decimals`` decimals."""
    return f"{Decimal(units).scaleb(-decimals):f}"


def round_fraction(x: Fraction, decimals: int, rule: str) -> tuple[int, ...]:
    """The printed value(s) of ``x`` in units of the last decimal (two on a tie under "either")."""
    scaled = x * 10 ** decimals
    low = math.floor(scaled)
    rest = scaled - low
    if rest != Fraction(1, 2):
        return (low + (rest > Fraction(1, 2)),)
    away = low + 1 if scaled > 0 else low
    toward = low if scaled > 0 else low + 1
    if rule == "either":
        return tuple(sorted({low, low + 1}))
    if rule == "half-up":
        return (away,)
    if rule == "half-down":
        return (toward,)
    return (low if low % 2 == 0 else low + 1,)


def round_sqrt(v: Fraction, decimals: int, rule: str) -> tuple[int, ...]:
    """The printed value(s) of ``sqrt(v)`` (``v >= 0``), decided exactly."""
    return round_sqrt_ratio(v.numerator, v.denominator, decimals, rule)


def round_sqrt_ratio(num: int, den: int, decimals: int, rule: str) -> tuple[int, ...]:
    """The printed value(s) of ``sqrt(num / den)`` (``num >= 0``, ``den > 0``), in integers."""
    scale2 = 10 ** (2 * decimals)
    low = math.isqrt(num * scale2 // den)            # floor(sqrt(num / den) * 10**decimals)
    lhs, rhs = 4 * num * scale2, (2 * low + 1) ** 2 * den   # compare with (low + 1/2) ** 2
    if lhs < rhs:
        return (low,)
    if lhs > rhs:
        return (low + 1,)
    return round_fraction(Fraction(2 * low + 1, 2 * 10 ** decimals), decimals, rule)
