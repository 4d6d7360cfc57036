"""Survival forensics: what a log-rank p, a hazard-ratio interval and a Kaplan–Meier
percentage can and cannot be, given the counts a paper prints.

* :func:`logrank_pvalue_range`: the smallest and largest log-rank p over every order in
  which the deaths could have happened, exactly and without listing the orders.
* :func:`pvalue_from_ci`, :func:`ci_from_pvalue`, :func:`check_ci_p`: the normal-theory
  links between an estimate, its interval and its p (Altman & Bland, BMJ
  2011;343:d2304 and d2090).
* :func:`check_km_percentage`: which patterns of deaths and censoring give a printed
  survival percentage; a figure that is no ``k/n`` can still be a Kaplan–Meier estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import _logrank_paths as paths
from ._limits import (MAX_LISTED_CELLS, MAX_LOGRANK_NODES, MAX_MIDDLE_CELLS, MAX_MIDDLE_PAIRS,  # noqa: F401
                      MAX_TANGENT_VISITS)
from ._validate import check_counts, check_int, check_limit, check_str
from ._km_patterns import KMPattern, KMPercentageCheck, check_km_percentage
from ._ci_pvalue import CIPCheck, check_ci_p, ci_from_pvalue, pvalue_from_ci

__all__ = ["LogrankRange", "logrank_pvalue_range", "logrank_test_ordering", "logrank_pvalues_over_orderings",
           "pvalue_from_ci", "ci_from_pvalue", "check_ci_p", "CIPCheck",
           "check_km_percentage", "KMPercentageCheck", "KMPattern"]

# The search limits live with the package's other limits (docs/limits.md); they are
# module globals here so that tests can lower them.


@dataclass(frozen=True)
class LogrankRange:
    """Result of :func:`logrank_pvalue_range`.

    Attributes
    ----------
    low, high : float
        Smallest and largest two-sided log-rank p over every ordering of the deaths.
    statistic_low, statistic_high : float
        The chi-square statistics (1 df) giving ``low`` (the largest) and ``high``.
    ordering_low, ordering_high : str
        An ordering attaining each, as arm labels in time order: ``"T"`` a treated
        death, ``"C"`` a control death.
    high_exact : bool
        ``True`` when ``high`` is proved to be the largest p.  ``False`` when the deaths
        can be ordered so that ``E`` passes ``O`` and there are too many orderings to
        list even half of them (``high`` is then the p of the ordering found with ``E`` nearest ``O``,
        already within a hair of 1), or, in rare cases, when the tangent search would
        list more than :data:`MAX_TANGENT_VISITS` partial orderings (``high`` is the
        best found); the largest p lies between ``high`` and 1.
    orderings : int
        How many orderings there are, ``comb(events_treat + events_ctrl, events_treat)``.
    method : str
        How ``high`` was found: ``"single ordering"``, ``"listed"``, ``"tangent"``,
        ``"meet in the middle"``, ``"exchange search"`` or ``"no events"``.
    """

    low: float
    high: float
    statistic_low: float
    statistic_high: float
    ordering_low: str
    ordering_high: str
    high_exact: bool
    orderings: int
    method: str
    events_treat: int
    n_treat: int
    events_ctrl: int
    n_ctrl: int


def _validate(events_treat, n_treat, events_ctrl, n_ctrl):
    events_treat, n_treat = check_counts("events_treat", events_treat, "n_treat", n_treat)
    events_ctrl, n_ctrl = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    return events_treat, n_treat, events_ctrl, n_ctrl


def logrank_test_ordering(ordering, n_treat, n_ctrl):
    """Log-rank test for one ordering of deaths at distinct times.

    Parameters
    ----------
    ordering : str
        Arm of each death in time order, ``"T"`` (treated) or ``"C"`` (control); every
        patient not listed is censored after the last death.
    n_treat, n_ctrl : int
        Patients at risk at the start in each arm.

    Returns
    -------
    appraise.TestResult
        ``statistic`` = ``(O - E)**2 / V`` (chi-square, 1 df) and its two-sided
        ``pvalue``; with no deaths the statistic is 0 and p is 1.

    Examples
    --------
    The seed trial's deaths, 6 of 14 treated and 11 of 15 controls, all treated deaths
    first:

    >>> result = logrank_test_ordering("T" * 6 + "C" * 11, 14, 15)
    >>> round(result.statistic, 3), round(result.pvalue, 3)
    (0.652, 0.42)
    """
    from ._results import TestResult

    check_str("ordering", ordering, allow_empty=True)
    if set(ordering) - {paths.TREAT, paths.CTRL}:
        raise ValueError(f"ordering must contain only 'T' and 'C', got {ordering!r}")
    n_treat = check_int("n_treat", n_treat, minimum=1)
    n_ctrl = check_int("n_ctrl", n_ctrl, minimum=1)
    d1, d0 = ordering.count(paths.TREAT), ordering.count(paths.CTRL)
    check_counts("treated deaths in ordering", d1, "n_treat", n_treat)
    check_counts("control deaths in ordering", d0, "n_ctrl", n_ctrl)
    if not ordering:
        return TestResult(0.0, 1.0, method="log-rank")
    big_e, big_v = paths.path_ev(ordering, n_treat, n_ctrl)
    z2 = (d1 - big_e) ** 2 / big_v
    return TestResult(float(z2), float(stats.chi2.sf(z2, 1)), method="log-rank")


def _min_statistic(n1, n0, d1, d0, count):
    """Smallest ``Z**2`` and an ordering attaining it, with how and whether exactly."""
    observed = float(d1)

    def z2(ordering):
        big_e, big_v = paths.path_ev(ordering, n1, n0)
        return (observed - big_e) ** 2 / big_v

    if count * (d1 + d0) <= MAX_LISTED_CELLS:
        big_e, big_v, positions = paths.all_orderings(n1, n0, d1, d0)
        k = int(((observed - big_e) ** 2 / big_v).argmin())
        ordering = paths.ordering_from_positions(positions[k], d1 + d0)
        return z2(ordering), ordering, "listed", True
    first, last = paths.extreme_orderings(d1, d0)
    e_first, e_last = paths.path_ev(first, n1, n0)[0], paths.path_ev(last, n1, n0)[0]
    if e_first >= observed or e_last <= observed:
        value, ordering, proved = paths.tangent_search(n1, n0, d1, d0, observed,
                                                       max_visits=MAX_TANGENT_VISITS)
        return value, ordering, "tangent", proved
    if paths.meet_in_middle_cells(d1, d0) <= MAX_MIDDLE_CELLS:
        found = paths.meet_in_middle(n1, n0, d1, d0, observed, max_pairs=MAX_MIDDLE_PAIRS)
        if found is not None:
            return z2(found[1]), found[1], "meet in the middle", True
    ordering = paths.exchange_search(n1, n0, d1, d0, observed)
    value = z2(ordering)
    return value, ordering, "exchange search", bool(stats.chi2.sf(value, 1) == 1.0)


def logrank_pvalue_range(events_treat, n_treat, events_ctrl, n_ctrl):
    """Smallest and largest log-rank p over every order in which the deaths happened.

    Deaths are at distinct times and everyone alive is censored after the last death
    (complete follow-up), so the two-sided log-rank p depends only on the order of the
    treated and control deaths.  A paper that prints the deaths per arm fixes the range
    of p it can report from a log-rank test; a printed p outside it cannot come from
    that test on those counts.

    Parameters
    ----------
    events_treat, n_treat, events_ctrl, n_ctrl : int
        Deaths and patients per arm (``0 <= events <= n``, ``n >= 1``).

    Returns
    -------
    LogrankRange

    Raises
    ------
    ValueError
        If ``(events_treat + 1) * (events_ctrl + 1)`` exceeds
        :data:`MAX_LOGRANK_NODES` (the work grows with it).

    Notes
    -----
    An ordering is a lattice path from ``(0, 0)`` to ``(events_treat, events_ctrl)``;
    leaving node ``(i, j)`` adds ``a / (a + b)`` to the expected treated deaths ``E``
    and ``a b / (a + b)**2`` to the variance ``V`` (``a``, ``b`` at risk), whichever arm
    dies.  ``O = events_treat`` is fixed and ``Z**2 = (O - E)**2 / V``.

    *Smallest p* (largest ``Z**2``): ``x**2 / V = max over lambda of (2 lambda x -
    lambda**2 V)``, and for fixed ``lambda`` the best ordering is one dynamic programme
    over the lattice; a branch and bound over ``lambda`` with a bound from the
    concavity of each ordering's curve finds the largest ``Z**2`` to a relative
    ``1e-10`` (see :func:`appraise._logrank_paths.max_statistic`).

    *Largest p* (smallest ``Z**2``): orderings are listed when
    ``orderings * deaths <= MAX_LISTED_CELLS``.  Beyond, when every ordering has ``E``
    on the same side of ``O``, write ``x = |O - E|``; for the best ordering known ``(x0, V0)`` and
    ``mu = x0 / (2 V0)``, any ordering with ``x**2 / V < x0**2 / V0`` has
    ``x - mu V < x0 - mu V0`` (the curve ``x = sqrt(c V)`` lies below its tangent), a
    linear score one dynamic programme minimises: when no ordering scores below the
    incumbent it is proved best, otherwise the better ordering replaces it or the few
    orderings scoring below it are searched ("tangent"; see
    :func:`appraise._logrank_paths.tangent_search`).  When ``E`` can pass ``O``, the
    first and second halves of the orderings are listed and paired near ``E = O``
    ("meet in the middle", while the halves number at most :data:`MAX_MIDDLE_CELLS`
    cells); beyond, exchanges of treated-death positions bring ``E``
    as near ``O`` as they can ("exchange search"); ``high_exact`` says whether the
    result is proved (the largest p then lies between ``high`` and 1, and ``high`` is
    already within a hair of 1).

    Degenerate cases: no deaths at all gives ``low = high = 1`` (nothing to compare;
    statistic 0).  Deaths in one arm only leave a single ordering: ``low = high``.

    Examples
    --------
    The seed trial: 6 of 14 treated and 11 of 15 control patients died, with complete
    28-day follow-up.  Whatever the order of the deaths, the log-rank p lies between:

    >>> r = logrank_pvalue_range(6, 14, 11, 15)
    >>> round(r.low, 4), round(r.high, 3)
    (0.0102, 0.42)
    >>> r.ordering_low
    'CCCCCCCCCCCTTTTTT'
    >>> r.low > 0.0001          # so "P < 0.0001" is no log-rank p on these counts
    True
    """
    d1, n1, d0, n0 = _validate(events_treat, n_treat, events_ctrl, n_ctrl)
    check_limit("(events_treat + 1) * (events_ctrl + 1)", (d1 + 1) * (d0 + 1), MAX_LOGRANK_NODES,
                "the exact search runs dynamic programmes over that many lattice nodes")
    count = paths.count_orderings(d1, d0)
    common = dict(orderings=count, events_treat=d1, n_treat=n1, events_ctrl=d0, n_ctrl=n0)
    if d1 + d0 == 0:
        return LogrankRange(1.0, 1.0, 0.0, 0.0, "", "", True, method="no events", **common)
    z2_max, ordering_low = paths.max_statistic(n1, n0, d1, d0)
    if count == 1:
        p = float(stats.chi2.sf(z2_max, 1))
        return LogrankRange(p, p, z2_max, z2_max, ordering_low, ordering_low, True,
                            method="single ordering", **common)
    z2_min, ordering_high, method, exact = _min_statistic(n1, n0, d1, d0, count)
    return LogrankRange(float(stats.chi2.sf(z2_max, 1)), float(stats.chi2.sf(z2_min, 1)),
                        float(z2_max), float(z2_min), ordering_low, ordering_high, exact,
                        method=method, **common)


def logrank_pvalues_over_orderings(events_treat, n_treat, events_ctrl, n_ctrl):
    """The log-rank p of every ordering of the deaths, most extreme first.

    Lists every ordering (deaths at distinct times, survivors censored after the last
    death), so only for small counts: refused when the number of orderings times the
    number of deaths exceeds :data:`MAX_LISTED_CELLS`.

    Returns
    -------
    numpy.ndarray
        ``comb(events_treat + events_ctrl, events_treat)`` p-values, ascending; with no
        deaths, ``[1.0]``.

    Examples
    --------
    >>> p = logrank_pvalues_over_orderings(6, 14, 11, 15)   # the seed trial's deaths
    >>> len(p), round(float(p[0]), 4), round(float(np.median(p)), 3), round(float(p[-1]), 3)
    (12376, 0.0102, 0.114, 0.42)
    """
    d1, n1, d0, n0 = _validate(events_treat, n_treat, events_ctrl, n_ctrl)
    count = paths.count_orderings(d1, d0)
    check_limit("orderings * deaths", count * (d1 + d0), MAX_LISTED_CELLS,
                "every ordering is listed at once; use logrank_pvalue_range for the extremes")
    if d1 + d0 == 0:
        return np.ones(1)
    big_e, big_v, _ = paths.all_orderings(n1, n0, d1, d0)
    return np.sort(stats.chi2.sf((d1 - big_e) ** 2 / big_v, 1))
