"""Which deaths and censorings give a printed Kaplan–Meier survival percentage?

With ``n`` at risk at the start, the Kaplan–Meier estimate after the ``k``-th death is
``prod (1 - 1/r_m)`` over the numbers at risk ``r_1 > r_2 > ... > r_k`` just before
each death; ``n - r_1`` patients were censored before the first death and
``r_(m-1) - 1 - r_m`` between deaths ``m - 1`` and ``m`` (ties change nothing:
``d`` deaths among ``r`` give ``(r - d) / r``, the same product).  Every strictly
decreasing sequence of at-risk numbers is a possible pattern, so a figure that is no
``k/n`` may well be a Kaplan–Meier estimate after censoring.  Public names are
re-exported by :mod:`appraise.survival`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ._limits import MAX_KM_PATTERNS
from ._validate import check_choice, check_int, check_limit


@dataclass(frozen=True)
class KMPattern:
    """One pattern: deaths, censoring before each death, and the estimate it gives."""

    events: int
    censored_before: tuple  # patients censored just before each death
    at_risk: tuple          # at risk just before each death
    survival: float         # Kaplan–Meier estimate after the last of these deaths

    @property
    def censored(self) -> int:
        return sum(self.censored_before)


@dataclass(frozen=True)
class KMPercentageCheck:
    """Result of :func:`check_km_percentage`.

    Attributes
    ----------
    consistent : bool
        Some pattern (within the limits asked for) gives an estimate that prints as
        the reported percentage.
    reported : ReportedPercentage
    n, events, max_censored : int or None
        The arguments (``max_censored`` as used).
    without_censoring : tuple of int
        Survivors ``s`` with ``s/n`` printing as reported (no one censored).
    patterns_checked, matching : int
        How many patterns were examined and how many fit.
    fewest_censored : int or None
        The fewest patients censored before the last death in a fitting pattern.
    examples : tuple of KMPattern
        Fitting patterns, fewest censored first, then fewest deaths.
    message : str
    """

    consistent: bool
    reported: object
    n: int
    events: int | None
    max_censored: int
    without_censoring: tuple
    patterns_checked: int
    matching: int
    fewest_censored: int | None
    examples: tuple
    message: str


def count_patterns(n: int, max_censored: int, events: int | None = None) -> int:
    """Number of patterns with at most ``max_censored`` censored before the last death."""
    total = 1 if events in (None, 0) else 0
    for k in range(1, n + 1):
        if events is not None and k != events:
            continue
        # at risk at the last death r_k: censored = n - (k - 1) - r_k <= max_censored
        for r_last in range(max(1, n - k + 1 - max_censored), n - k + 2):
            total += math.comb(n - r_last, k - 1)
    return total


def check_km_percentage(reported, n, *, events=None, max_censored=None, rounding="round",
                        max_examples=5):
    """Which patterns of deaths and censoring give a printed survival percentage?

    Parameters
    ----------
    reported : str, int or float
        The printed survival, e.g. ``"28%"`` (decimals read from the text).
    n : int
        Patients at risk at the start.
    events : int, optional
        Deaths up to the time of the figure, when known; otherwise any number.
    max_censored : int, optional
        Most patients censored before the last of those deaths (default: any).  The
        patterns are examined one by one, at most :data:`MAX_KM_PATTERNS`.
    rounding : {"round", "truncate"}
        How the figure was printed (half-up rounding or dropped digits).
    max_examples : int
        How many fitting patterns to return.

    Returns
    -------
    KMPercentageCheck

    Examples
    --------
    The seed trial's control arm: survival "28%" of 15 patients.  No ``s`` of 15 gives
    28% (4/15 = 26.7%, 5/15 = 33.3%), but a Kaplan–Meier estimate can, once two
    patients are censored; with the 11 deaths the paper reports, no pattern does:

    >>> check = check_km_percentage("28%", 15, max_censored=2)
    >>> check.without_censoring, check.consistent, check.fewest_censored
    ((), True, 2)
    >>> p = check.examples[0]
    >>> p.events, p.censored_before, round(100 * p.survival, 1)
    (10, (0, 0, 0, 0, 1, 0, 0, 0, 0, 1), 27.5)
    >>> check_km_percentage("28%", 15, events=11).consistent
    False
    """
    from .consistency import _parse_percentage

    rep, value = _parse_percentage(reported, "reported")
    n = check_int("n", n, minimum=1)
    if events is not None:
        events = check_int("events", events, minimum=0, maximum=n)
    max_censored = n if max_censored is None else check_int("max_censored", max_censored, minimum=0)
    max_censored = min(max_censored, n)
    rounding = check_choice("rounding", rounding, ("round", "truncate"))
    max_examples = check_int("max_examples", max_examples, minimum=0, maximum=1000)
    count = count_patterns(n, max_censored, events)
    check_limit("patterns for n and max_censored", count, MAX_KM_PATTERNS,
                "each pattern is examined one by one; pass a smaller max_censored")
    v = Fraction(value) / 100
    unit = Fraction(Decimal(1).scaleb(-rep.decimals)) / 100
    lo, hi = (v - unit / 2, v + unit / 2) if rounding == "round" else (v, v + unit)
    lo_f, hi_f, eps = float(lo), float(hi), 1e-9

    def fits(at_risk, approx):
        if lo_f + eps <= approx < hi_f - eps:
            return True
        if approx < lo_f - eps or approx >= hi_f + eps:
            return False
        exact = math.prod((Fraction(r - 1, r) for r in at_risk), start=Fraction(1))
        return lo <= exact < hi

    matches, checked = [], 0
    stack = [((), 1.0, 0)]  # (at risk before each death, estimate, censored so far)
    while stack:
        at_risk, surv, censored = stack.pop()
        checked += 1
        k = len(at_risk)
        if (events is None or k == events) and fits(at_risk, surv):
            matches.append((censored, k, at_risk, surv))
        if surv < lo_f - eps or (events is not None and k >= events):
            continue  # later deaths only lower the estimate
        top = n if not at_risk else at_risk[-1] - 1
        for r in range(top, max(0, top - (max_censored - censored) - 1), -1):
            stack.append((at_risk + (r,), surv * (1 - 1 / r), censored + top - r))
    matches.sort()
    examples = []
    for censored, k, at_risk, surv in matches[:max_examples]:
        before = tuple((n if m == 0 else at_risk[m - 1] - 1) - r for m, r in enumerate(at_risk))
        examples.append(KMPattern(k, before, at_risk, surv))
    without = tuple(sorted(n - k for c, k, _, _ in matches if c == 0))
    fewest = matches[0][0] if matches else None
    scope = f"{'any number of' if events is None else events} deaths, at most {max_censored} censored before the last"
    if not matches:
        message = f"No pattern ({scope}) among {n} patients gives a Kaplan–Meier estimate printing as {rep.text}."
    elif fewest == 0:
        message = (f"{rep.text} is {', '.join(f'{s}/{n}' for s in without)} survivors with no one censored; "
                   f"{len(matches):,} patterns ({scope}) fit.")
    else:
        first = examples[0] if examples else None
        example = (f" e.g. {first.events} deaths with {first.censored} censored "
                   f"(estimate {100 * first.survival:.2f}%)") if first else ""
        message = (f"No s/{n} prints as {rep.text}, but a Kaplan–Meier estimate does once patients are "
                   f"censored: at least {fewest} censored before the last death,{example}; "
                   f"{len(matches):,} patterns ({scope}) fit.")
    return KMPercentageCheck(bool(matches), rep, n, events, max_censored, without, checked,
                             len(matches), fewest, tuple(examples), message)
