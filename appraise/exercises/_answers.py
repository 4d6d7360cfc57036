"""How an exercise answer is read and compared with the expected one.

The one rule for every lesson (:func:`read_number`, described in :mod:`appraise.exercises`):
numbers typed as numbers or strings, percentages for proportions, the stated precision,
choices, phrases and true/false answers.  :mod:`appraise.exercises` re-exports the names.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Question

__all__ = ["ReadNumber", "read_number"]


_NUMBER = re.compile(r"^\s*([-+−]?\s*(?:\d+(?:[.,](\d*))?|[.,](\d+))(?:[eE]([-+]?\d+))?)\s*(%?)\s*$")


class _Unparseable(Exception):
    """An answer that cannot be read as the question's kind (message is for the learner)."""


@dataclass(frozen=True)
class ReadNumber:
    """A number answer as read by :func:`read_number`.

    Attributes
    ----------
    value : float
        The number, a percentage divided by 100.
    was_percent : bool
        Typed with a ``%`` sign.
    decimals : int
        Decimal places given, on the scale of ``value`` (``"12.8%"`` -> 3).
    """

    value: float
    was_percent: bool
    decimals: int


def _float_decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, _, exponent = text.lower().partition("e")
        places = len(mantissa.partition(".")[2].rstrip("0"))
        return max(0, places - int(exponent))
    return len(text.partition(".")[2].rstrip("0"))


def read_number(answer) -> ReadNumber:
    """Read a number answer the same way in every lesson.

    Parameters
    ----------
    answer : int, float or str
        ``0.128``, ``"0.128"``, ``"12.8%"``, ``"12.8 %"``, ``"0,128"``, ``"−0.3"``.

    Returns
    -------
    ReadNumber

    Raises
    ------
    ValueError
        ``answer`` is not a finite number or a string holding one (the message is meant
        for the learner and repeats the answer).

    Examples
    --------
    >>> read_number("12.8%")
    ReadNumber(value=0.128, was_percent=True, decimals=3)
    >>> read_number(-30).value, read_number("−0.30").decimals
    (-30.0, 2)
    """
    try:
        return _read_number(answer)
    except _Unparseable as exc:
        raise ValueError(str(exc)) from None


def _read_number(answer) -> ReadNumber:
    if isinstance(answer, bool):
        raise _Unparseable(f"this question wants a number, and {answer!r} is a yes/no value")
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if not math.isfinite(value):
            raise _Unparseable(f"{answer!r} is not a finite number")
        places = 0 if isinstance(answer, numbers.Integral) else _float_decimals(value)
        return ReadNumber(value, False, places)
    if isinstance(answer, str):
        match = _NUMBER.match(answer)
        if not match:
            raise _Unparseable(f"this question wants a number such as 0.13 or 13%, and {answer!r} is not one")
        text = match.group(1).replace("−", "-").replace(" ", "").replace(",", ".")
        value = float(text)
        if not math.isfinite(value):
            raise _Unparseable(f"{answer!r} is not a finite number")
        places = len(match.group(2) or match.group(3) or "") - int(match.group(4) or 0)
        if match.group(5):
            return ReadNumber(round(value / 100.0, 15), True, max(0, places + 2))
        return ReadNumber(value, False, max(0, places))
    raise _Unparseable(f"this question wants a number such as 0.13 or 13%, not a {type(answer).__name__}")


def _default_tolerance(expected: float) -> float:
    if float(expected).is_integer():
        return 0.0
    return 0.005 if abs(expected) <= 1 else 0.005 * abs(expected)


def _close(value: float, expected: float, tol: float) -> bool:
    return abs(value - expected) <= tol + 1e-9 * max(1.0, abs(expected))


def _fmt(value: float, decimals: int | None) -> str:
    if decimals is None:
        return f"{value:.4g}"
    return f"{value:.{decimals}f}"


def _places_word(n: int) -> str:
    if n == 0:
        return "a whole number"
    return "one decimal" if n == 1 else f"{n} decimals"


_TRUE = {"true", "yes", "y", "t", "1"}
_FALSE = {"false", "no", "n", "f", "0"}


def _parse_bool(answer) -> bool:
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, str) and answer.strip().lower() in _TRUE | _FALSE:
        return answer.strip().lower() in _TRUE
    if isinstance(answer, numbers.Integral) and answer in (0, 1):
        return bool(answer)
    raise _Unparseable(f"this question wants True or False (or \"yes\"/\"no\"), not {answer!r}")


def _norm_text(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


@dataclass(frozen=True)
class _Verdict:
    correct: bool
    note: str = ""          # added to a right answer ("read 13 as 13%")
    reason: str = ""        # why a wrong answer is wrong, when known


def _number_verdict(question: Question, answer, expected, mistakes) -> _Verdict:
    read = _read_number(answer)
    exp = float(expected)
    value, note = read.value, ""
    if question.percent and not read.was_percent and abs(exp) <= 1 < abs(value) <= 100:
        value, note = value / 100.0, f" (read {read.value:g} as {read.value:g}%)"
    if question.decimals == 0 and exp.is_integer():
        tol = 0.0                      # a count: exact
        if not value.is_integer():
            return _Verdict(False, reason=f"{read.value:g} is not a whole number, and the answer is a count")
    elif question.decimals is not None:
        tol = 0.5 * 10.0 ** -question.decimals
    else:
        tol = question.tolerance if question.tolerance is not None else _default_tolerance(exp)
    shown = f"{read.value:g}%" if note else (answer if isinstance(answer, str) else f"{read.value:g}")
    if _close(value, exp, tol):
        return _Verdict(True, note)
    numeric = [(float(w), r) for w, r in mistakes if isinstance(w, numbers.Real) and not isinstance(w, bool)]
    for wrong, reason in numeric:
        if _close(value, wrong, tol):
            return _Verdict(False, reason=f"{shown} — {reason}")
    given = read.decimals + (2 if note else 0)
    asked = question.decimals
    if asked is not None and given < asked:
        coarse = 0.5 * 10.0 ** -given
        # a whole number for an answer below 1 is not a rounding of it (1 for 0.63)
        if (given > 0 or abs(exp) >= 1) and _close(value, exp, coarse):
            return _Verdict(False, reason=(
                f"{shown} is the right value rounded to {_places_word(given)}, but the question asks for "
                f"{_places_word(asked)}; give it as {_fmt(exp, asked)}"
                + (f" or {exp * 100:.{max(asked - 2, 0)}f}%" if question.percent else "")))
        if given >= 1 or asked == 0:
            for wrong, reason in numeric:
                if _close(value, wrong, coarse):
                    return _Verdict(False, reason=f"{shown} — {reason}")
    if question.percent and exp != 0 and _close(-value, exp, tol):
        return _Verdict(False, reason=f"{shown} has the wrong sign: check which arm is subtracted from which")
    return _Verdict(False)


def _compare(question: Question, answer, expected, mistakes=()) -> _Verdict:
    """Judge one answer; raise _Unparseable when it cannot be read as the question's kind."""
    kind = question.kind
    if kind == "number":
        return _number_verdict(question, answer, expected, mistakes)
    if kind == "bool":
        given = _parse_bool(answer)
        if given == bool(expected):
            return _Verdict(True)
        reason = next((r for w, r in mistakes if isinstance(w, bool) and w == given), "")
        return _Verdict(False, reason=reason)
    if kind == "choice":
        if not isinstance(answer, str):
            raise _Unparseable(f"this question wants one of {', '.join(map(repr, question.choices))}, not {answer!r}")
        normalised = {_norm_text(c): c for c in question.choices}
        if _norm_text(answer) not in normalised:
            raise _Unparseable(f"{answer!r} is not one of the options: {', '.join(map(repr, question.choices))}")
        if _norm_text(answer) == _norm_text(expected):
            return _Verdict(True)
        reason = next((r for w, r in mistakes if isinstance(w, str) and _norm_text(w) == _norm_text(answer)), "")
        return _Verdict(False, reason=f"{answer!r} — {reason}" if reason else "")
    # text
    if not isinstance(answer, str):
        raise _Unparseable(f"this question wants a word or phrase in quotes, not {answer!r}")
    accepted = expected if isinstance(expected, (tuple, list, set, frozenset)) else (expected,)
    if _norm_text(answer) in {_norm_text(a) for a in accepted}:
        return _Verdict(True)
    reason = next((r for w, r in mistakes if isinstance(w, str) and _norm_text(w) == _norm_text(answer)), "")
    return _Verdict(False, reason=f"{answer!r} — {reason}" if reason else "")
