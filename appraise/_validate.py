"""Shared argument checks.

Every public function validates its arguments with these helpers so that bad input
raises a :class:`TypeError` (wrong kind of value) or :class:`ValueError` (right kind,
impossible value) whose message names the argument and repeats the value.  Nothing is
clamped or coerced silently: ``True`` is not a count, ``3.0`` is not a count, ``nan`` is
not a probability.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Iterable

import numpy as _np

from ._limits import MAX_COUNT

ALTERNATIVES = ("two-sided", "less", "greater")

# Declared date formats a trial card may use, and their strptime equivalents.
DATE_FORMATS = {
    "YYYY-MM-DD": "%Y-%m-%d",
    "DD/MM/YYYY": "%d/%m/%Y",
    "MM/DD/YYYY": "%m/%d/%Y",
    "DD.MM.YYYY": "%d.%m.%Y",
    "YYYY/MM/DD": "%Y/%m/%d",
    "D MONTH YYYY": "%d %B %Y",
    "MONTH D, YYYY": "%B %d, %Y",
}


def _show(value) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int too long to print (Python's digit limit)
        text = f"<{type(value).__name__} too long to print>"
    return text if len(text) <= 80 else text[:77] + "..."


def real_scalar(name: str, value):
    """Normalise a real number to a Python ``int`` or ``float``.

    The one entry point for numbers given to a public function: Python and NumPy
    integers become ``int``; Python and NumPy floats become ``float``.  A NumPy float
    narrower than 64 bits is read through its shortest decimal representation, so
    ``numpy.float32(28.6)`` is ``28.6`` (what was typed), not the binary value
    28.600000381469727.  ``bool`` (Python or NumPy) is not a number here and raises
    :class:`TypeError`, as do strings, ``None`` and complex numbers.

    Examples
    --------
    >>> import numpy as np
    >>> real_scalar("x", np.float32(28.6)), real_scalar("x", np.int64(7)), real_scalar("x", np.float64(0.1281))
    (28.6, 7, 0.1281)
    """
    if isinstance(value, (bool, _np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_show(value)} of type {type(value).__name__}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, _np.floating) and _np.finfo(value.dtype).bits < 64:
        return float(_np.format_float_positional(value, unique=True, trim="-"))
    return float(value)


def check_limit(name: str, value, limit, why: str):
    """Refuse ``value`` above a size limit of :mod:`appraise._limits`, saying why.

    >>> check_limit("grid_size", 10**7, 10_001, "each point is a 200-node quadrature")
    Traceback (most recent call last):
    ...
    ValueError: grid_size must be at most 10,001, got 10000000: each point is a 200-node quadrature
    """
    if value > limit:
        raise ValueError(f"{name} must be at most {limit:,}, got {_show(value)}: {why}")
    return value


def check_int(name: str, value, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is a whole number in range.

    Accepts Python and NumPy integers; rejects ``bool``, floats (even ``3.0``), strings
    and ``None`` with :class:`TypeError`, out-of-range values with :class:`ValueError`.
    """
    if isinstance(value, (bool, _np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (int), got {_show(value)} of type {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_n(name: str, value) -> int:
    """A number of patients: a whole number from 1 to :data:`appraise._limits.MAX_COUNT`."""
    value = check_int(name, value, minimum=1)
    return check_limit(name, value, MAX_COUNT, "larger counts are beyond any trial and lose precision as floats")


def check_counts(events_name: str, events, n_name: str, n, *, allow_empty: bool = False) -> tuple[int, int]:
    """Validate an (events, n) pair: whole numbers, ``0 <= events <= n``.

    ``n = 0`` is rejected unless ``allow_empty`` (an empty arm has no risk to estimate).
    """
    n = check_int(n_name, n, minimum=0 if allow_empty else 1)
    check_limit(n_name, n, MAX_COUNT, "larger counts are beyond any trial and lose precision as floats")
    events = check_int(events_name, events, minimum=0)
    if events > n:
        raise ValueError(f"{events_name} must be <= {n_name} ({n}), got {events}")
    return events, n


def check_real(name: str, value, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a finite float within the stated bounds."""
    try:
        value = float(real_scalar(name, value))
    except OverflowError:
        raise ValueError(f"{name} must be finite, got an integer too large for a float: {_show(value)}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        bracket = "(" if low_open else "["
        close = ")" if high_open else "]"
        raise ValueError(f"{name} must be in {bracket}{low}, {high if high is not None else 'inf'}{close}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        bracket = "(" if low_open else "["
        close = ")" if high_open else "]"
        raise ValueError(f"{name} must be in {bracket}{low if low is not None else '-inf'}, {high}{close}, got {value!r}")
    return value


def check_probability(name: str, value, *, open_interval: bool = False) -> float:
    """A probability in [0, 1], or in (0, 1) when ``open_interval``."""
    return check_real(name, value, low=0.0, high=1.0, low_open=open_interval, high_open=open_interval)


def check_alpha(value, name: str = "alpha") -> float:
    """A significance level strictly between 0 and 1."""
    return check_probability(name, value, open_interval=True)


def check_confidence_level(value, name: str = "confidence_level") -> float:
    """A confidence level strictly between 0 and 1."""
    return check_probability(name, value, open_interval=True)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """One of a fixed set of strings."""
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, choices))}; got {_show(value)} of type {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_alternative(value, name: str = "alternative") -> str:
    return check_choice(name, value, ALTERNATIVES)


def check_str(name: str, value, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {_show(value)} of type {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must not be empty, got {value!r}")
    return value


def parse_date(text, fmt, *, name: str = "date") -> _dt.date:
    """Parse ``text`` with a declared format from :data:`DATE_FORMATS`.

    >>> parse_date("04/01/2021", "DD/MM/YYYY")
    datetime.date(2021, 1, 4)
    >>> parse_date("04/01/2021", "MM/DD/YYYY")
    datetime.date(2021, 4, 1)
    """
    check_str(name, text)
    check_choice(f"{name} format", fmt, DATE_FORMATS)
    try:
        return _dt.datetime.strptime(text.strip(), DATE_FORMATS[fmt]).date()
    except ValueError:
        raise ValueError(f"{name} {text!r} does not match the declared format {fmt!r}") from None
