"""Tests for a two-arm trial with a binary outcome, side by side.

Every function takes the counts explicitly, ``events_treat, n_treat, events_ctrl,
n_ctrl``, and lays them out as the 2x2 table

=========  ============  ===========================
arm        events        no events
=========  ============  ===========================
treatment  events_treat  n_treat - events_treat
control    events_ctrl   n_ctrl - events_ctrl
=========  ============  ===========================

The arms are the two independent binomial samples (the row totals are fixed by the
design).  :func:`scipy.stats.barnard_exact` and :func:`scipy.stats.boschloo_exact`
read the *columns* of their table as the two samples, so the table is transposed
before it is handed to them; passing the arms as rows would condition on the wrong
margin and give a different (wrong) p-value.

Reference for the two-sided Fisher p-value: a table is "as or more extreme" than the
observed one when its hypergeometric probability is at most the observed probability
times ``1 + 1e-14``, the relative tolerance used by ``scipy.stats.fisher_exact``
(scipy 1.17, ``scipy/stats/_stats_py.py``: ``epsilon = 1e-14; gamma = 1 + epsilon``).
R's ``fisher.test`` uses ``relErr <- 1 + 10^(-7)``; the two agree unless two tables
have probabilities within a relative 1e-7 of each other without being equal.
"""

from __future__ import annotations

import collections
import functools
import math
import threading

import numpy as np
import pandas as pd
from scipy import stats

from ._limits import FISHER_CACHE_BYTES, MAX_TABLE_N, MAX_UNCONDITIONAL_N, NOT_COMPUTED_ARM_TOO_LARGE
from ._results import TestResult
from ._validate import check_alternative, check_counts, check_int, check_limit

__all__ = ["tests_2x2", "fisher_pvalue_table", "hypergeometric_table", "TEST_NAMES",
           "FISHER_RELATIVE_TOLERANCE", "NUISANCE_POINTS", "MAX_TABLE_N", "MAX_UNCONDITIONAL_N"]

#: Keys of the dictionary returned by :func:`tests_2x2`, in display order.
TEST_NAMES = ("fisher", "chi2", "chi2_yates", "barnard", "boschloo")

#: Relative tolerance for "as or more extreme" in Fisher's two-sided test (scipy's).
FISHER_RELATIVE_TOLERANCE = 1e-14

#: Points of the nuisance-parameter grid for Barnard's and Boschloo's tests.  This is
#: scipy's default (``n=32``, a Sobol sequence refined by a local optimiser); scipy's
#: own tests reproduce R (packages Barnard and Exact) to about 1e-7 with it.
NUISANCE_POINTS = 32

_METHODS = {
    "fisher": "Fisher's exact test",
    "chi2": "Pearson chi-square test (no continuity correction)",
    "chi2_yates": "Pearson chi-square test with Yates' continuity correction",
    "barnard": "Barnard's unconditional exact test (pooled Wald statistic)",
    "boschloo": "Boschloo's unconditional exact test",
}


def _table(events_treat, n_treat, events_ctrl, n_ctrl):
    a, n1 = check_counts("events_treat", events_treat, "n_treat", n_treat)
    c, n2 = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    return a, n1, c, n2


def _chi2(a, n1, c, n2, *, correction, alternative):
    m = a + c
    n = n1 + n2
    if m == 0 or m == n:
        # No events (or only events) in both arms: the expected counts of one column are
        # zero and the statistic is 0/0.  Defined here as "no evidence": 0.0 and 1.0.
        return 0.0, 1.0
    res = stats.chi2_contingency([[a, n1 - a], [c, n2 - c]], correction=correction)
    statistic = float(res.statistic)
    if alternative == "two-sided":
        return statistic, float(res.pvalue)
    # one-sided: the signed square root of the statistic is a standard normal deviate
    z = math.copysign(math.sqrt(statistic), a / n1 - c / n2)
    pvalue = stats.norm.sf(z) if alternative == "greater" else stats.norm.cdf(z)
    return statistic, float(pvalue)


def tests_2x2(events_treat, n_treat, events_ctrl, n_ctrl, *, alternative="two-sided"):
    """Five standard tests of equal risks in two arms, on the same counts.

    Parameters
    ----------
    events_treat, n_treat : int
        Events and patients analysed in the treatment arm (``n_treat >= 1``).
    events_ctrl, n_ctrl : int
        Events and patients analysed in the control arm (``n_ctrl >= 1``).
    alternative : {"two-sided", "less", "greater"}, optional
        ``"greater"``: the risk is higher with treatment; ``"less"``: lower.

    Returns
    -------
    dict of str to TestResult
        Keys :data:`TEST_NAMES`:

        ``"fisher"``
            :func:`scipy.stats.fisher_exact`; ``statistic`` is the sample odds ratio
            (``nan`` when a margin is zero, ``inf`` when a cell of the denominator is).
        ``"chi2"``, ``"chi2_yates"``
            :func:`scipy.stats.chi2_contingency` with ``correction=False`` / ``True``;
            ``statistic`` is the chi-square statistic.  One-sided p-values use its
            signed square root as a normal deviate.
        ``"barnard"``
            :func:`scipy.stats.barnard_exact` (pooled variance); ``statistic`` is the
            Wald statistic, positive when the treatment risk is higher.
        ``"boschloo"``
            :func:`scipy.stats.boschloo_exact`; ``statistic`` is Fisher's one-sided
            p-value.

    Notes
    -----
    Degenerate tables: with no events in either arm, or events in every patient, the
    chi-square statistic is 0/0; it is defined here as ``statistic=0.0, pvalue=1.0``
    (no warning is raised).  Fisher's test gives ``pvalue=1.0`` (odds ratio ``nan``),
    Barnard's ``statistic=0.0, pvalue=1.0`` and Boschloo's ``statistic=1.0,
    pvalue=1.0``, as scipy defines them.

    Barnard's and Boschloo's tests maximise over the common risk (a nuisance
    parameter) on scipy's default grid of :data:`NUISANCE_POINTS` = 32 points; the
    p-value is a lower bound of the exact supremum, reproducing R to about 1e-7 on
    scipy's reference tables.  Their work grows with the square of the arm sizes;
    when either arm is larger than :data:`MAX_UNCONDITIONAL_N` (200) they are not
    computed: their :class:`~appraise._results.TestResult` has ``computed=False``,
    ``statistic`` and ``pvalue`` ``nan`` and ``note`` ``"not computed (arm too
    large)"`` (at such sizes they agree with the chi-square test to printed
    precision).  Results are cached per table (a few hundred entries).

    Examples
    --------
    Intubation in the seed trial, 7/14 with secretome vs 12/15 with placebo:

    >>> res = tests_2x2(7, 14, 12, 15)
    >>> {name: round(r.pvalue, 4) for name, r in res.items()}
    {'fisher': 0.1281, 'chi2': 0.0894, 'chi2_yates': 0.191, 'barnard': 0.1089, 'boschloo': 0.1085}
    """
    a, n1, c, n2 = _table(events_treat, n_treat, events_ctrl, n_ctrl)
    alternative = check_alternative(alternative)
    return dict(zip(TEST_NAMES, _tests(a, n1, c, n2, alternative)))


def unconditional_computed(n_treat: int, n_ctrl: int) -> bool:
    """Whether Barnard's and Boschloo's tests are computed for these arm sizes."""
    return max(n_treat, n_ctrl) <= MAX_UNCONDITIONAL_N


# A few hundred results of five floats each: bounded in bytes by its entry count.
@functools.lru_cache(maxsize=1024)
def _tests(a: int, n1: int, c: int, n2: int, alternative: str) -> tuple:
    out = {}
    fisher = stats.fisher_exact([[a, n1 - a], [c, n2 - c]], alternative=alternative)
    out["fisher"] = TestResult(float(fisher.statistic), float(fisher.pvalue),
                               _METHODS["fisher"], alternative)
    for name, correction in (("chi2", False), ("chi2_yates", True)):
        statistic, pvalue = _chi2(a, n1, c, n2, correction=correction, alternative=alternative)
        out[name] = TestResult(statistic, pvalue, _METHODS[name], alternative)
    if not unconditional_computed(n1, n2):
        for name in ("barnard", "boschloo"):
            out[name] = TestResult(math.nan, math.nan, _METHODS[name], alternative, computed=False,
                                   note=NOT_COMPUTED_ARM_TOO_LARGE)
        return tuple(out[name] for name in TEST_NAMES)
    # columns are the two binomial samples for scipy's unconditional tests
    columns = [[a, c], [n1 - a, n2 - c]]
    barnard = stats.barnard_exact(columns, alternative=alternative, pooled=True, n=NUISANCE_POINTS)
    out["barnard"] = TestResult(float(barnard.statistic), float(barnard.pvalue),
                                _METHODS["barnard"], alternative)
    boschloo = stats.boschloo_exact(columns, alternative=alternative, n=NUISANCE_POINTS)
    out["boschloo"] = TestResult(float(boschloo.statistic), float(boschloo.pvalue),
                                 _METHODS["boschloo"], alternative)
    return tuple(out[name] for name in TEST_NAMES)


tests_2x2.__test__ = False  # a library function, not a pytest test


#: Rows (column margins) handled together by :func:`fisher_pvalue_table`; bounds memory.
_BLOCK_CELLS = 1 << 18

#: Relative difference below which two hypergeometric probabilities of one margin are
#: recomputed with scipy's pmf (far above the ~1e-12 error of the fast computation).
_NEAR_TIE = 1e-9


def _hypergeometric_pmf_block(n1: int, n2: int, m: np.ndarray):
    """Hypergeometric pmf of ``a = 0..n1`` for the margins ``m`` (a column vector).

    Returns ``(pmf, valid, pmode)``: ``pmf[i, a]`` is the probability of ``a`` events
    in the treatment arm given ``m[i]`` events in all (0 outside the support),
    ``valid`` marks the support and ``pmode`` is the pmf at scipy's mode
    ``(m + 1) * (n1 + 1) // (n1 + n2 + 2)``.

    The log-probabilities relative to the mode are sums of logs of the ratios
    ``pmf(a + 1) / pmf(a) = (n1 - a)(m - a) / ((a + 1)(n2 - m + a + 1))``, accumulated
    outward from the mode, then normalised to sum to 1.  The numerator and denominator
    are exact integers, and ``log(num) - log(den)`` is exactly the negative of the
    reverse step, so tables whose probabilities are equal by symmetry (``n1 == n2``, or
    ``m == (n1 + n2) / 2``) get bit-identical probabilities, as ties must be for the
    two-sided comparison.
    """
    n = n1 + n2
    a = np.arange(n1 + 1)[None, :]
    lo = np.maximum(0, m - n2)
    hi = np.minimum(m, n1)
    valid = (a >= lo) & (a <= hi)
    step = (a >= lo) & (a < hi)  # the ratio a -> a + 1 stays in the support
    mode = (m + 1) * (n1 + 1) // (n + 2)
    num = np.where(step, (n1 - a) * (m - a), 1).astype(float)
    den = np.where(step, (a + 1) * (n2 - m + a + 1), 1).astype(float)
    log_ratio = np.log(num) - np.log(den)
    # above the mode: log pmf(a) - log pmf(mode) = sum of log_ratio[mode .. a - 1]
    above = np.zeros(log_ratio.shape)
    above[:, 1:] = np.cumsum(np.where(a >= mode, log_ratio, 0.0), axis=1)[:, :-1]
    # below the mode: minus the sum of log_ratio[a .. mode - 1], added from the mode down
    below = np.cumsum(np.where(a < mode, log_ratio, 0.0)[:, ::-1], axis=1)[:, ::-1]
    weight = np.where(valid, np.exp(above - below), 0.0)  # 1 at the mode
    total = weight.sum(axis=1, keepdims=True)
    return weight / total, valid, 1.0 / total


def _two_sided_block(pmf: np.ndarray, pmode: np.ndarray) -> np.ndarray:
    """Two-sided Fisher p-value of every table in each row (one margin per row).

    ``p = sum of pmf over the tables of the row with pmf <= pmf(table) * (1 + 1e-14)``,
    and exactly 1 when ``|pmf - pmode| / max(pmf, pmode) <= 1e-14`` (scipy's rules).
    """
    gamma = 1.0 + FISHER_RELATIVE_TOLERANCE
    width = pmf.shape[1]
    order = np.argsort(pmf, axis=1, kind="stable")
    ordered = np.take_along_axis(pmf, order, axis=1)
    cumulative = np.cumsum(ordered, axis=1)
    threshold = ordered * gamma
    # count[j] = number of tables in the row with pmf <= threshold[j]: at least j + 1,
    # plus the next ones in sorted order that lie within the tolerance (ties).  Zeros
    # (outside the support) add nothing to the sum, so their count is left alone.
    count = np.broadcast_to(np.arange(1, width + 1), pmf.shape).copy()
    positive = threshold > 0
    for offset in range(1, width):
        tie = (ordered[:, offset:] <= threshold[:, :-offset]) & positive[:, :-offset]
        if not tie.any():
            break
        count[:, :-offset] += tie
    pvalue_sorted = np.take_along_axis(cumulative, count - 1, axis=1)
    pvalue = np.empty_like(pvalue_sorted)
    np.put_along_axis(pvalue, order, pvalue_sorted, axis=1)
    at_mode = np.abs(pmf - pmode) / np.maximum(pmf, pmode) <= FISHER_RELATIVE_TOLERANCE
    return np.where(at_mode, 1.0, np.minimum(pvalue, 1.0))


def _near_ties(pmf: np.ndarray) -> np.ndarray:
    """Rows holding two probabilities that differ, but by less than :data:`_NEAR_TIE`."""
    ordered = np.sort(pmf, axis=1)
    low, high = ordered[:, :-1], ordered[:, 1:]
    return ((high != low) & (high <= low * (1.0 + _NEAR_TIE)) & (low > 0)).any(axis=1)


class _ByteBoundedCache:
    """Least-recently-used cache of read-only arrays, bounded by their total bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: collections.OrderedDict = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value: np.ndarray) -> None:
        with self._lock:
            if key in self._items or value.nbytes > self.max_bytes:
                return
            self._items[key] = value
            self._bytes += value.nbytes
            while self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes

    @property
    def nbytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


#: Fisher tables kept in memory: every equal-arm size the explorers slide over (1..300
#: per arm, 72 MB in all) fits, so a sample-size search does not evict the tables the
#: power curves are using, and the total never exceeds FISHER_CACHE_BYTES.
_TABLE_CACHE = _ByteBoundedCache(FISHER_CACHE_BYTES)


def _fisher_pvalue_table(n1: int, n2: int) -> np.ndarray:
    table = _TABLE_CACHE.get((n1, n2))
    if table is None:
        table = _compute_fisher_pvalue_table(n1, n2)
        _TABLE_CACHE.put((n1, n2), table)
    return table


def _compute_fisher_pvalue_table(n1: int, n2: int) -> np.ndarray:
    n = n1 + n2
    table = np.empty((n1 + 1, n2 + 1))
    rows = max(1, _BLOCK_CELLS // (n1 + 1))
    for start in range(0, n + 1, rows):  # blocks of column margins, each fully vectorised
        m = np.arange(start, min(start + rows, n + 1))[:, None]
        pmf, valid, pmode = _hypergeometric_pmf_block(n1, n2, m)
        # Two different tables can have exactly equal probabilities (by symmetry, or by
        # coincidence of the binomial coefficients).  Symmetric ties are bit-identical
        # here; a margin with two probabilities within a relative 1e-9 of each other
        # that are not identical is recomputed with scipy's own hypergeometric pmf,
        # so the "as or more extreme" comparison is made on the same numbers as
        # scipy.stats.fisher_exact makes it.  Such margins are rare.
        for i in np.flatnonzero(_near_ties(pmf)):
            mi = int(m[i, 0])
            support = np.flatnonzero(valid[i])
            pmf[i, support] = stats.hypergeom.pmf(support, n, n1, mi)
            pmode[i] = stats.hypergeom.pmf((mi + 1) * (n1 + 1) // (n + 2), n, n1, mi)
        pvalue = _two_sided_block(pmf, pmode)
        margin, a = np.nonzero(valid)
        margin += start
        table[a, margin - a] = pvalue[valid]
    table.setflags(write=False)
    return table


_TABLE_WHY = ("the exact Fisher table holds (n_treat + 1) * (n_ctrl + 1) p-values and its time grows "
              "with their number (see appraise._limits.MAX_TABLE_N)")


def check_table_size(n_treat: int, n_ctrl: int, *, names=("n_treat", "n_ctrl")) -> None:
    """Refuse arm sizes whose Fisher table is beyond :data:`MAX_TABLE_N`."""
    check_limit(names[0], n_treat, MAX_TABLE_N, _TABLE_WHY)
    check_limit(names[1], n_ctrl, MAX_TABLE_N, _TABLE_WHY)


def fisher_pvalue_table(n_treat, n_ctrl):
    """Two-sided Fisher p-value of every table with these arm sizes.

    Parameters
    ----------
    n_treat, n_ctrl : int
        Patients in each arm (>= 1).

    Returns
    -------
    numpy.ndarray
        Read-only float array ``P`` of shape ``(n_treat + 1, n_ctrl + 1)``:
        ``P[a, c]`` is the two-sided p-value of :func:`scipy.stats.fisher_exact` for
        ``a/n_treat`` vs ``c/n_ctrl``.  The same (cached) array is returned for the
        same arm sizes; copy it before changing it.

    Notes
    -----
    The hypergeometric probabilities of all tables, for every total number of events
    ``m`` (the column margin) at once, come from the ratios of neighbouring tables
    ``(n_treat - a)(m - a) / ((a + 1)(n_ctrl - m + a + 1))``, accumulated in logs
    outward from the most probable table and normalised per margin (no Python loop
    over margins or tables).  The p-value of a table is the sum of the probabilities
    of its margin not larger than its own times ``1 + 1e-14``
    (:data:`FISHER_RELATIVE_TOLERANCE`, scipy's tolerance), and exactly 1 when the
    table is the most probable one (scipy's rule).  Tables whose probabilities are
    equal by symmetry get identical numbers; a margin holding two probabilities that
    differ by less than a relative 1e-9 (a possible exact tie, e.g. 1/37 vs 43/54 and
    35/37 vs 9/54) is recomputed with :data:`scipy.stats.hypergeom`, so ties are
    decided on the same numbers as in :func:`scipy.stats.fisher_exact`.  Tables with
    ``m = 0`` or ``m = n_treat + n_ctrl`` have p-value 1.  The work and memory grow
    with ``(n_treat + n_ctrl) * n_treat`` (margins are processed in blocks); arms
    larger than :data:`MAX_TABLE_N` (2000) are refused with ``ValueError``.  Results
    are cached per ``(n_treat, n_ctrl)``, at most 96 MB of tables in all (least
    recently used first out).

    Examples
    --------
    >>> P = fisher_pvalue_table(14, 15)
    >>> P.shape
    (15, 16)
    >>> round(float(P[7, 12]), 4)  # intubation 7/14 vs 12/15
    0.1281
    >>> float(P.min()) < 1e-7       # 14/14 vs 0/15 (or 0/14 vs 15/15)
    True
    """
    n1 = check_int("n_treat", n_treat, minimum=1)
    n2 = check_int("n_ctrl", n_ctrl, minimum=1)
    check_table_size(n1, n2)
    return _fisher_pvalue_table(n1, n2)


def hypergeometric_table(events_treat, n_treat, events_ctrl, n_ctrl):
    """Every table with the observed margins, its probability, and whether it is extreme.

    Fisher's test holds both margins fixed: the arm sizes and the total number of
    events ``m = events_treat + events_ctrl``.  Under the null hypothesis the events
    in the treatment arm follow a hypergeometric distribution.

    Parameters
    ----------
    events_treat, n_treat, events_ctrl, n_ctrl : int
        Observed counts.

    Returns
    -------
    pandas.DataFrame
        One row per possible table (``events_treat`` from ``max(0, m - n_ctrl)`` to
        ``min(m, n_treat)``), columns ``events_treat``, ``events_ctrl``,
        ``probability`` (hypergeometric pmf) and ``as_or_more_extreme`` (probability
        at most the observed one times ``1 + 1e-14``).  The sum of ``probability``
        over the extreme rows is Fisher's two-sided p-value.  Arms larger than
        :data:`MAX_TABLE_N` are refused (a listing is for reading, not for big trials).

    Examples
    --------
    >>> df = hypergeometric_table(7, 14, 12, 15)
    >>> len(df)                       # 19 events: 4..14 of them in the treatment arm
    11
    >>> round(float(df.loc[df.as_or_more_extreme, "probability"].sum()), 4)
    0.1281
    """
    a, n1, c, n2 = _table(events_treat, n_treat, events_ctrl, n_ctrl)
    check_table_size(n1, n2)
    m = a + c
    support = np.arange(max(0, m - n2), min(m, n1) + 1)
    pmf = stats.hypergeom.pmf(support, n1 + n2, n1, m)
    observed = pmf[support == a][0]
    extreme = pmf <= observed * (1.0 + FISHER_RELATIVE_TOLERANCE)
    return pd.DataFrame({
        "events_treat": support.astype(int),
        "events_ctrl": (m - support).astype(int),
        "probability": pmf,
        "as_or_more_extreme": extreme,
    })
