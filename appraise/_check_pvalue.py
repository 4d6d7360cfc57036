"""Is a printed p-value reproduced by a standard test on the reported counts?

Which standard tests on the reported counts reproduce a printed p-value at its printed
precision, and the smallest p-value any of them could give with these arm sizes.
Public names are re-exported by :mod:`appraise.consistency`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from scipy import stats

from ._check_percentage import _decimal_from_real, _decimals
from ._format import format_p, p_phrase
from ._validate import check_counts, check_int, check_n, check_probability, real_scalar
from .tests2x2 import TEST_NAMES, tests_2x2, unconditional_computed

__all__ = ["ReportedP", "PValueCheck", "parse_reported_p", "check_reported_p",
           "check_reported_p_one_sample", "smallest_attainable_p", "min_attainable_pvalues"]


@dataclass(frozen=True)
class ReportedP:
    """A p-value as printed: relation (``"<"``, ``"<="``, ``"="``, ``">"``, ``">="``),
    value, number of decimals and the text."""

    relation: str
    value: float
    decimals: int
    text: str


@dataclass(frozen=True)
class PValueCheck:
    """Result of :func:`check_reported_p` / :func:`check_reported_p_one_sample`.

    Attributes
    ----------
    consistent : bool
        At least one test reproduces the reported p-value.
    reported : ReportedP
    pvalues : dict of str to float
        Recomputed two-sided p-value of each test.
    matching_tests : tuple of str
        Tests whose p-value reproduces the report (see :func:`check_reported_p`).
    min_attainable_p : float
        The smallest two-sided p-value any of the tests can give with these arm sizes.
    min_attainable_p_test : str
        The test that attains it.
    min_attainable_by_test : dict of str to float
        The same minimum for each test.
    verdict : str
        A plain-language reading.
    """

    consistent: bool
    reported: ReportedP
    pvalues: dict
    matching_tests: tuple
    min_attainable_p: float
    min_attainable_p_test: str
    min_attainable_by_test: dict
    verdict: str


_RELATIONS = {"<": "<", "<=": "<=", "=<": "<=", "\u2264": "<=", "=": "=", "==": "=",
              ">": ">", ">=": ">=", "=>": ">=", "\u2265": ">="}
_P_RE = re.compile(
    r"^\s*(?:p(?:\s*-?\s*value)?)?\s*(<=|=<|>=|=>|==|<|>|=|\u2264|\u2265)?\s*"
    r"((?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*$",
    re.IGNORECASE,
)
_NOT_SIGNIFICANT = re.compile(r"^\s*(?:p\s*)?(?:=\s*)?n\.?\s*s\.?\s*$|not\s+significant", re.IGNORECASE)


def _parse_p(value, name) -> ReportedP:
    if isinstance(value, ReportedP):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _NOT_SIGNIFICANT.search(value):
            raise ValueError(f"{name} {value!r} ('not significant') gives no number to check; "
                             "record the p-value as printed, e.g. 'P > 0.05', if the paper states one")
        match = _P_RE.match(value.replace("\u00b7", "."))  # "0·06" (Lancet style)
        if not match:
            raise ValueError(f"{name} must be a p-value such as 'P < 0.0001', 'p=0.06' or 0.543, "
                             f"got {value!r}")
        relation = _RELATIONS[match.group(1) or "="]
        try:
            dec = Decimal(match.group(2))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{name} has no readable number: {value!r}") from None
    else:
        dec = _decimal_from_real(value, name)
        relation, text = "=", repr(real_scalar(name, value))
    if dec < 0 or dec > 1:
        raise ValueError(f"{name} must be a p-value between 0 and 1, got {value!r}")
    if dec > 0 and float(dec) == 0.0:
        raise ValueError(f"{name} {value!r} is below the smallest p-value a float can hold (about 5e-324)")
    if (relation == "<" and dec == 0) or (relation == ">" and dec == 1):
        raise ValueError(f"{name} is impossible: no p-value is {relation} {dec} (got {value!r})")
    return ReportedP(relation, float(dec), _decimals(dec), text)


def parse_reported_p(text):
    """Read a printed p-value.

    Parameters
    ----------
    text : str or float
        ``"P < 0.0001"``, ``"p=0.06"``, ``"P<.05"``, ``"p ≤ 0.05"``, ``"P = 1.000"``,
        ``"2.3e-5"`` or a number (taken as ``=``, decimals from its shortest repr).

    Returns
    -------
    ReportedP

    Raises
    ------
    ValueError
        For text without a number (``"NS"`` is rejected: it has nothing to check),
        values outside 0..1 and impossible statements (``"P < 0"``).
    TypeError
        For ``None``, ``bool`` and other non-numbers.

    Examples
    --------
    >>> parse_reported_p("P < 0.0001")
    ReportedP(relation='<', value=0.0001, decimals=4, text='P < 0.0001')
    >>> parse_reported_p("P = 1.000").decimals
    3
    >>> parse_reported_p(0.543)
    ReportedP(relation='=', value=0.543, decimals=3, text='0.543')
    """
    return _parse_p(text, "text")


def _reproduces(p: float, rep: ReportedP) -> bool:
    if rep.relation == "=":
        unit = Decimal(1).scaleb(-rep.decimals)
        with localcontext() as ctx:  # room for every printed decimal of a p-value <= 1
            ctx.prec = rep.decimals + 30
            shown = Decimal(p).quantize(unit, rounding=ROUND_HALF_UP)
            return shown == Decimal(repr(rep.value)).quantize(unit)
    return {"<": p < rep.value, "<=": p <= rep.value,
            ">": p > rep.value, ">=": p >= rep.value}[rep.relation]


def _chi2_min(n1: int, n2: int, correction: bool) -> float:
    """Smallest chi-square p-value over all tables with these arm sizes.

    The statistic ``n (|ad - bc| - c)^2 / (n1 n2 m (n - m))`` (``c = 0``, or ``n / 2``
    with Yates' correction) is largest at the perfect split (all events in one arm,
    none in the other), where it is ``n (n1 n2 - c)^2 / (n1 n2)^2``; the tests check
    this against enumeration of every table.
    """
    n = n1 + n2
    diff = float(n1) * n2
    if correction:
        diff = max(diff - n / 2, 0.0)
    statistic = n * diff ** 2 / (float(n1) * n2) ** 2
    return float(stats.chi2.sf(statistic, 1))


@functools.lru_cache(maxsize=256)  # tuples of five floats
def _min_attainable(n1: int, n2: int) -> tuple:
    # Every test is most extreme at the perfect splits n1/n1 vs 0/n2 and 0/n1 vs n2/n2:
    # Fisher's smallest p is that table's (1 / C(n, n1), doubled when n1 == n2), the
    # chi-square statistics are largest there, and Barnard's and Boschloo's p-values
    # decrease as their statistic grows more extreme.
    out = {
        "fisher": float(stats.fisher_exact([[n1, 0], [0, n2]]).pvalue),
        "chi2": _chi2_min(n1, n2, correction=False),
        "chi2_yates": _chi2_min(n1, n2, correction=True),
    }
    for name in ("barnard", "boschloo"):
        if unconditional_computed(n1, n2):
            out[name] = min(tests_2x2(n1, n1, 0, n2)[name].pvalue, tests_2x2(0, n1, n2, n2)[name].pvalue)
        else:
            out[name] = math.nan
    return tuple(out[name] for name in TEST_NAMES)


def min_attainable_pvalues(n_treat, n_ctrl):
    """Smallest two-sided p-value of each test over all tables with these arm sizes.

    Parameters
    ----------
    n_treat, n_ctrl : int
        Arm sizes (>= 1).

    Returns
    -------
    dict of str to float
        Keys as :func:`appraise.tests2x2.tests_2x2`.  Every test is evaluated at the
        two perfect splits (all events in one arm, none in the other), where each is
        most extreme: Fisher's p-value is ``1 / C(n, n_treat)`` there (doubled for
        equal arms), the chi-square statistics are at their maximum, and Barnard's
        and Boschloo's p-values are monotone in their statistic (the tests check all
        of this against enumeration of every table on small arms).  Barnard's and
        Boschloo's minima are ``nan`` when an arm is larger than
        :data:`appraise._limits.MAX_UNCONDITIONAL_N` (the tests are not computed).

    Examples
    --------
    >>> mins = min_attainable_pvalues(14, 15)
    >>> f"{mins['fisher']:.2e}"        # 2 / C(29, 14)
    '1.29e-08'
    """
    n1 = check_n("n_treat", n_treat)
    n2 = check_n("n_ctrl", n_ctrl)
    return dict(zip(TEST_NAMES, _min_attainable(n1, n2)))


def _fmt_p(p: float) -> str:
    return format_p(p, digits=4)


def _verdict(rep, counts_text, pvalues, matching, min_p, min_test, sizes_text, *, one_test=None):
    ordered = sorted(pvalues.items(), key=lambda kv: kv[1])
    if matching:
        names = ", ".join(f"{name} ({p_phrase(pvalues[name], digits=4)})" for name in matching)
        return f"The reported {rep.text!r} is reproduced on {counts_text} by {names}."
    if one_test:
        spread = f"the {one_test} gives {p_phrase(ordered[0][1], digits=4)}"
    else:
        spread = (f"their p-values run from {_fmt_p(ordered[0][1])} ({ordered[0][0]}) to "
                  f"{_fmt_p(ordered[-1][1])} ({ordered[-1][0]})")
        tests = "five" if len(pvalues) == 5 else f"{len(pvalues)} computed"
        spread = f"none of the {tests} standard two-sided tests reproduces it: " + spread
    text = f"The reported {rep.text!r} does not match {counts_text}: {spread}."
    if rep.relation in ("<", "<=") and min_p > rep.value:
        text += (f" No result with {sizes_text} could give a p-value that small: the smallest "
                 f"attainable is {_fmt_p(min_p)} ({min_test}).")
    elif rep.relation in ("<", "<="):
        text += (f" With {sizes_text} a p-value that small needs a far more extreme split "
                 f"(the smallest attainable is {_fmt_p(min_p)}, {min_test}, when all events fall "
                 "in one arm); check the counts, the test used, or whether it compares something else.")
    return text


def check_reported_p(reported, events_treat, n_treat, events_ctrl, n_ctrl):
    """Is a reported between-arm p-value reproduced by a standard test on the counts?

    Parameters
    ----------
    reported : str, float or ReportedP
        The p-value as printed (see :func:`parse_reported_p`).
    events_treat, n_treat, events_ctrl, n_ctrl : int
        The counts the p-value is said to compare.

    Returns
    -------
    PValueCheck

    Notes
    -----
    Each test of :func:`appraise.tests2x2.tests_2x2` (two-sided) is recomputed.  A
    test *reproduces* the report when

    - ``"P = x"``: its p-value rounded half-up to the printed decimals equals ``x``
      (0.54296 reproduces ``"P = 0.543"``; 1.0 reproduces ``"P = 1.000"``);
    - ``"P < x"``, ``"P <= x"``, ``"P > x"``, ``"P >= x"``: the p-value satisfies the
      inequality.

    Tests not computed for these arm sizes (Barnard's and Boschloo's above
    :data:`appraise._limits.MAX_UNCONDITIONAL_N` per arm) are left out of ``pvalues``.

    ``min_attainable_p`` is the smallest p-value any of the five tests can give over
    all tables with these arm sizes (see :func:`min_attainable_pvalues`).

    Examples
    --------
    Survival in the seed trial, "P < 0.0001" for 8/14 vs 4/15:

    >>> chk = check_reported_p("P < 0.0001", 8, 14, 4, 15)
    >>> chk.consistent, chk.matching_tests
    (False, ())
    >>> round(chk.pvalues["fisher"], 4)
    0.1394

    Capstone trial, day-28 mortality 0/12 vs 3/29 reported as "P = 0.543":

    >>> check_reported_p("P = 0.543", 0, 12, 3, 29).matching_tests
    ('fisher',)
    """
    rep = _parse_p(reported, "reported")
    a, n1 = check_counts("events_treat", events_treat, "n_treat", n_treat)
    c, n2 = check_counts("events_ctrl", events_ctrl, "n_ctrl", n_ctrl)
    pvalues = {name: res.pvalue for name, res in tests_2x2(a, n1, c, n2).items() if res.computed}
    matching = tuple(name for name in TEST_NAMES if name in pvalues and _reproduces(pvalues[name], rep))
    mins = min_attainable_pvalues(n1, n2)
    min_test = min((name for name in TEST_NAMES if not math.isnan(mins[name])), key=lambda name: mins[name])
    verdict = _verdict(rep, f"{a}/{n1} vs {c}/{n2}", pvalues, matching, mins[min_test], min_test,
                       f"arms of {n1} and {n2}")
    return PValueCheck(bool(matching), rep, pvalues, matching, mins[min_test], min_test, mins, verdict)


def check_reported_p_one_sample(reported, events, n, *, null=0.5):
    """Is a reported single-arm p-value reproduced by the exact binomial test?

    Parameters
    ----------
    reported : str, float or ReportedP
        The p-value as printed.
    events, n : int
        Patients with the event, and patients in the arm.
    null : float, optional
        The proportion under the null hypothesis, strictly between 0 and 1.

    Returns
    -------
    PValueCheck
        ``pvalues`` has the single key ``"binomial"``
        (:func:`scipy.stats.binomtest`, two-sided); ``min_attainable_p`` is the
        smallest two-sided p-value over ``k`` in 0..n (attained at ``k = 0`` or
        ``k = n``, the least probable outcomes).

    Examples
    --------
    Seed trial: 9 of 14 (64%) improved oxygen, "P < 0.0001"; against 50%:

    >>> chk = check_reported_p_one_sample("P < 0.0001", 9, 14)
    >>> chk.consistent, round(chk.pvalues["binomial"], 3)
    (False, 0.424)
    >>> round(chk.min_attainable_p, 6)   # 2 * 0.5**14
    0.000122
    """
    rep = _parse_p(reported, "reported")
    k, n = check_counts("events", events, "n", n)
    null = check_probability("null", null, open_interval=True)
    p = float(stats.binomtest(k, n, null).pvalue)
    pvalues = {"binomial": p}
    matching = ("binomial",) if _reproduces(p, rep) else ()
    min_p = min(float(stats.binomtest(0, n, null).pvalue), float(stats.binomtest(n, n, null).pvalue))
    verdict = _verdict(rep, f"{k}/{n} against a null proportion of {null:g}", pvalues, matching,
                       min_p, "binomial", f"{n} patients", one_test="exact binomial test")
    return PValueCheck(bool(matching), rep, pvalues, matching, min_p, "binomial",
                       {"binomial": min_p}, verdict)


def smallest_attainable_p(n_treat, n_ctrl, *, total_events=None):
    """Smallest two-sided Fisher p-value possible with these arm sizes.

    Parameters
    ----------
    n_treat, n_ctrl : int
        Arm sizes (>= 1).
    total_events : int, optional
        If given, only tables with this many events in total (both margins fixed, as
        Fisher's test conditions on them).

    Returns
    -------
    float
        The minimum of :func:`appraise.tests2x2.fisher_pvalue_table` over all tables
        (or over those with ``total_events`` events), found without the table: the
        smallest p-value is at the least probable table, an end of the support of
        each margin (the perfect split when the margin is free).  1.0 when ``total_events`` is 0
        or ``n_treat + n_ctrl``.

    Examples
    --------
    >>> f"{smallest_attainable_p(14, 15):.2e}"
    '1.29e-08'
    >>> f"{smallest_attainable_p(14, 15, total_events=12):.1e}"   # survival: 8 + 4 events
    '1.8e-06'
    """
    n1 = check_n("n_treat", n_treat)
    n2 = check_n("n_ctrl", n_ctrl)
    if total_events is None:
        return _min_attainable(n1, n2)[TEST_NAMES.index("fisher")]
    m = check_int("total_events", total_events, minimum=0, maximum=n1 + n2)
    # the least probable tables of a margin are at the ends of its support (the
    # hypergeometric distribution is unimodal), and they have its smallest p-values
    ends = {max(0, m - n2), min(m, n1)}
    return min(float(stats.fisher_exact([[a, n1 - a], [m - a, n2 - m + a]]).pvalue) for a in ends)
