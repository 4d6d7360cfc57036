"""The :class:`Flag` type, the thresholds the checks use, and helpers shared by the checks.

The checks themselves are in :mod:`appraise.flags` (claims) and :mod:`appraise.flags_trial`
(design, registration and outcomes); :func:`appraise.flags.appraise` runs them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from appraise._format import format_p, format_pct, to_jsonable

__all__ = ["Flag", "SEVERITIES", "ALPHA", "TARGET_POWER", "FRAGILE_MAX", "MANY_OUTCOMES",
           "PRIMARY_NEEDED_FROM", "EXACT_N_LIMIT"]

SEVERITIES = ("serious", "caution", "info")
ALPHA = 0.05            # conventional significance level the papers use
TARGET_POWER = 0.80     # conventional design power
FRAGILE_MAX = 2         # a (reverse) fragility index of 0, 1 or 2 is flagged
MANY_OUTCOMES = 5       # this many outcomes or p-values without adjustment is flagged
PRIMARY_NEEDED_FROM = 3  # with this many named outcomes, one must be primary
EXACT_N_LIMIT = 150     # exact sample-size search only up to this many per arm


@dataclass(frozen=True)
class Flag:
    """One thing a careful reader should question, tied to the claim it is about.

    Attributes
    ----------
    code : str
        Stable identifier, e.g. ``"percentage-inconsistent"``.
    severity : str
        ``"serious"``, ``"caution"`` or ``"info"``.
    claim : str
        Id of the claim or outcome it is about, or ``"design"`` / ``"registration"``.
    title : str
        A short heading.
    message : str
        A plain-language explanation a lesson can show.
    evidence : dict
        The recomputed numbers behind it (JSON-serialisable: str, int, float, bool, None,
        lists and dicts of these; no NaN or infinity).
    """

    code: str
    severity: str
    claim: str
    title: str
    message: str
    evidence: dict = field(default_factory=dict, hash=False, compare=True)


def _num(x):
    """A JSON-safe number (the package's one JSON rule: NaN and infinity become None)."""
    return to_jsonable(x)


def _pvalue(x) -> float:
    return float(getattr(x, "pvalue", x))


def _fmt_p(p: float) -> str:
    return format_p(p, digits=4)


def _pct(x: float) -> str:
    return format_pct(x)


_NEGATED = re.compile(r"\b(not|non|in)[- ]?significant|\bno significant", re.I)


def _called_significant(described: str | None) -> bool:
    if not described:
        return False
    return bool(re.search(r"significan", described, re.I)) and not _NEGATED.search(described)


def _claim_results(trial, targets, results):
    """``(target, result)`` pairs, computing the results when a check is called on its own."""
    if results is None:
        from appraise.verdicts import assess

        a = assess(trial)
        targets, results = a.targets, a.results
    return [(t, results[t.claim.id]) for t in targets]
