"""Checks for the outcome kinds of card format 2: time-to-event and continuous.

Called by :class:`appraise.cards.checker._Checker` after every field has been checked for
its type; each problem is added to the checker's list with its field path.  Printed
percentages and p-values are read with the parsers the checks use; printed numbers of a
continuous summary must be plain decimals (``"12.50"``, ``"-3.1"``), because their
decimals are what the consistency checks reason about.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["check_outcome_kinds", "read_number"]

_NUMBER = re.compile(r"^\s*[+-]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})\s*$")


def read_number(text: str) -> Decimal | None:
    """A printed decimal number as a Decimal, or None when it is not one (at most 12 digits
    before and after the point)."""
    if not isinstance(text, str) or not _NUMBER.match(text):
        return None
    return Decimal(text.strip())


def check_outcome_kinds(checker, outcomes, arms, version) -> None:
    """Check every time-to-event and continuous outcome of a card."""
    for i, item in enumerate(outcomes):
        kind = item.get("kind", "binary")
        path = f"outcomes[{i}]"
        if kind == "binary":
            continue
        if version is not None and version < 2:
            checker.error(f"{path}.kind", f"a {kind} outcome needs schema_version = 2, this card "
                                          f"says schema_version = {version}")
        if kind == "time-to-event":
            _time_to_event(checker, item, path)
        elif kind == "continuous":
            _continuous(checker, item, path, arms)


def _numbers(checker, table: dict, path: str, keys, *, positive=False) -> dict:
    values = {}
    for key in keys:
        text = table.get(key)
        if text is None:
            continue
        value = read_number(text)
        if value is None:
            checker.error(f"{path}.{key}", f"must be a number as printed, such as '12.5' or '0.45', "
                                           f"got {text!r}")
        elif positive and value <= 0:
            checker.error(f"{path}.{key}", f"must be > 0, got {text!r}")
        else:
            values[key] = value
    return values


def _time_to_event(checker, item, path) -> None:
    follow_up = item.get("follow_up_days")
    for j, km in enumerate(item.get("km") or []):
        where = f"{path}.km[{j}]"
        for arm in ("treat", "ctrl"):
            if km.get(arm) is not None:
                checker.printed(f"{where}.{arm}", km[arm], "percentage")
        if km.get("treat") is None and km.get("ctrl") is None:
            checker.error(where, "gives no percentage: add treat, ctrl or both")
        time = km.get("time_days")
        if time is not None and follow_up is not None and time > follow_up:
            checker.error(f"{where}.time_days", f"must be <= {path}.follow_up_days ({follow_up}), "
                                                f"got {time}")
    median = item.get("median")
    if median is not None:
        _numbers(checker, median, f"{path}.median", ("treat", "ctrl"))
    hr = item.get("hazard_ratio")
    if hr is not None:
        where = f"{path}.hazard_ratio"
        values = _numbers(checker, hr, where, ("estimate", "low", "high"), positive=True)
        if ("low" in hr) != ("high" in hr):
            checker.error(where, "an interval needs both low and high")
        est, low, high = values.get("estimate"), values.get("low"), values.get("high")
        if None not in (est, low, high) and not low <= est <= high:
            checker.error(where, f"must satisfy low <= estimate <= high, got estimate {hr['estimate']}, "
                                 f"low {hr['low']}, high {hr['high']}")
        if hr.get("level") is not None:
            _level(checker, f"{where}.level", hr["level"])
    test = item.get("test")
    if test is not None and test.get("p") is not None:
        checker.printed(f"{path}.test.p", test["p"], "p-value")


def _level(checker, path, text) -> None:
    from appraise.consistency import parse_percentage

    try:
        value = parse_percentage(text).value
    except (ValueError, TypeError, ArithmeticError):
        value = None
    if value is None or not 0 < value < 100:
        checker.error(path, f"must be a confidence level such as '95%', got {text!r}")


_ARM_KEYS = ("mean", "sd", "se", "ci_low", "ci_high", "median", "q1", "q3")


def _continuous(checker, item, path, arms) -> None:
    low, high = item.get("scale_min"), item.get("scale_max")
    if low is not None and high is not None and not low < high:
        checker.error(f"{path}.scale_max", f"must be > {path}.scale_min ({low}), got {high}")
    bounded = item.get("timing") in ("baseline", "follow-up")
    for arm, role in (("treatment", "treatment"), ("control", "control")):
        summary = item.get(arm)
        if not isinstance(summary, dict):
            continue
        where = f"{path}.{arm}"
        v = _numbers(checker, summary, where, _ARM_KEYS)
        for key in ("sd", "se"):
            if key in v and v[key] < 0:
                checker.error(f"{where}.{key}", f"must be >= 0, got {summary[key]!r}")
        if "mean" not in summary and "median" not in summary:
            checker.error(where, "needs a mean or a median")
        for key in ("sd", "se", "ci_low", "ci_high"):
            if key in summary and "mean" not in summary:
                checker.error(f"{where}.{key}", "is given without a mean")
        for key in ("q1", "q3"):
            if key in summary and "median" not in summary:
                checker.error(f"{where}.{key}", "is given without a median")
        if ("ci_low" in summary) != ("ci_high" in summary):
            checker.error(where, "an interval needs both ci_low and ci_high")
        if ("q1" in summary) != ("q3" in summary):
            checker.error(where, "an interquartile range needs both q1 and q3")
        if all(k in v for k in ("q1", "median", "q3")) and not v["q1"] <= v["median"] <= v["q3"]:
            checker.error(where, f"must satisfy q1 <= median <= q3, got median {summary['median']}, "
                                 f"q1 {summary['q1']}, q3 {summary['q3']}")
        if all(k in v for k in ("ci_low", "mean", "ci_high")) and not v["ci_low"] <= v["mean"] <= v["ci_high"]:
            checker.error(where, f"must satisfy ci_low <= mean <= ci_high, got mean {summary['mean']}, "
                                 f"ci_low {summary['ci_low']}, ci_high {summary['ci_high']}")
        if bounded and low is not None and high is not None:
            for key in ("mean", "median"):
                if key in v and not Decimal(repr(low)) <= v[key] <= Decimal(repr(high)):
                    checker.error(f"{where}.{key}", f"must lie on the scale ({low} to {high}), "
                                                    f"got {summary[key]}")
        n = summary.get("n")
        if n is not None and role in arms:
            index, arm_table = arms[role]
            size = arm_table.get("n_analysed")
            if size is not None and n > size:
                checker.error(f"{where}.n", f"must be <= arms[{index}].n_analysed ({size}), the "
                                            f"{role} arm's size, got {n}")
    for key in ("p_within_treat", "p_within_ctrl", "p_between"):
        if item.get(key) is not None:
            checker.printed(f"{path}.{key}", item[key], "p-value")
