"""Power and sample size for comparing two proportions.

Two tests are covered:

``test="fisher"``
    Two-sided Fisher exact test.  Power is computed *exactly* by enumeration: every
    possible trial result ``(a, c)`` (``a`` events among ``n_treat``, ``c`` among
    ``n_ctrl``) has probability ``binom.pmf(a; n_treat, p_treat) * binom.pmf(c; n_ctrl,
    p_ctrl)``; power is the total probability of the results whose Fisher p-value is
    ``<= alpha``.  The p-values of all tables come from
    :func:`appraise.tests2x2.fisher_pvalue_table`, and the sum is one matrix product
    (outer product of the two binomial pmfs), with no Python loop over tables.

``test="normal"``
    The normal approximation of R's ``stats::power.prop.test`` (two-sided, default
    ``strict = FALSE``): with ``d = |p_treat - p_ctrl|``, ``pbar`` the pooled risk and
    ``z = qnorm(1 - alpha/2)``::

        power = Phi((d - z * sqrt(pbar*(1-pbar)*(1/n_t + 1/n_c)))
                    / sqrt(p_t*(1-p_t)/n_t + p_c*(1-p_c)/n_c))

    For equal arms this is exactly R's formula ``pnorm((sqrt(n)*abs(p1-p2) -
    qnorm(sig.level/2, lower=FALSE)*sqrt((p1+p2)*(1-(p1+p2)/2))) /
    sqrt(p1*(1-p1)+p2*(1-p2)))`` (R source, ``src/library/stats/R/power.R``): the null
    variance uses the pooled risk, the alternative variance the two separate risks, and
    only the tail in the direction of the true difference is counted.  statsmodels'
    ``NormalIndPower`` with ``proportion_effectsize`` (Cohen's arcsine ``h``) is a
    different approximation; the tests compare the two within a tolerance.

Exact power is not monotone in ``n``
------------------------------------
Because the Fisher test is discrete, its exact power goes up and down as the sample size
grows (a "sawtooth"): adding one patient per arm can *lower* the power.  The sample size
returned by :func:`sample_size_two_proportions` is therefore defined as the smallest
``n`` per arm at which the power reaches the target; ``stable=True`` returns instead the
smallest ``n`` from which the power stays at or above the target over the examined range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from ._limits import (MAX_SAMPLE_SIZE_EXACT_N, MAX_SIMULATION_TRIALS, MAX_STABLE_SEARCH_N, MAX_TABLE_N)
from ._results import TestResult
from ._validate import check_alpha, check_choice, check_int, check_limit, check_n, check_probability

__all__ = [
    "PowerSolution",
    "power_two_proportions",
    "pvalue_at_n",
    "sample_size_two_proportions",
    "simulate_pvalues",
    "solve_two_proportions",
]

TESTS = ("fisher", "normal")


def _fisher_table(n_treat: int, n_ctrl: int) -> np.ndarray:
    from .tests2x2 import fisher_pvalue_table

    return fisher_pvalue_table(n_treat, n_ctrl)


def _check_exact_sizes(n_treat: int, n_ctrl: int) -> None:
    from .tests2x2 import check_table_size

    check_table_size(n_treat, n_ctrl)


def _likely(n: int, p: float) -> np.ndarray:
    """Event counts 0..n except those in the binomial tails of mass below 1e-16 each."""
    low = int(stats.binom.ppf(1e-16, n, p))
    high = int(stats.binom.isf(1e-16, n, p))
    return np.arange(max(0, low - 1), min(n, high + 1) + 1)


def _fisher_power(p_treat: float, p_ctrl: float, n_treat: int, n_ctrl: int, alpha: float) -> float:
    table = _fisher_table(n_treat, n_ctrl)
    # only the tables with probability worth adding (tails of mass < 1e-16 left out)
    a, c = _likely(n_treat, p_treat), _likely(n_ctrl, p_ctrl)
    reject = (table[a[0]:a[-1] + 1, c[0]:c[-1] + 1] <= alpha).astype(float)
    pmf_t = stats.binom.pmf(a, n_treat, p_treat)
    pmf_c = stats.binom.pmf(c, n_ctrl, p_ctrl)
    # sum_{a,c} pmf_t[a] * pmf_c[c] * reject[a, c]
    return float(min(1.0, max(0.0, pmf_t @ reject @ pmf_c)))


def _normal_power(p_treat: float, p_ctrl: float, n_treat: float, n_ctrl: float, alpha: float) -> float:
    d = abs(p_treat - p_ctrl)
    sd_alt = math.sqrt(p_treat * (1 - p_treat) / n_treat + p_ctrl * (1 - p_ctrl) / n_ctrl)
    pbar = (n_treat * p_treat + n_ctrl * p_ctrl) / (n_treat + n_ctrl)
    sd_null = math.sqrt(pbar * (1 - pbar) * (1 / n_treat + 1 / n_ctrl))
    z = stats.norm.isf(alpha / 2)
    if sd_alt == 0.0:
        # both risks are 0 or 1: every trial gives the same table
        return 1.0 if d > 0 else 0.0
    return float(stats.norm.cdf((d - z * sd_null) / sd_alt))


def power_two_proportions(p_treat, p_ctrl, *, n_treat, n_ctrl=None, alpha=0.05, test="fisher") -> float:
    """Power of a two-sided test comparing two proportions.

    Parameters
    ----------
    p_treat, p_ctrl : float
        True risks in the treatment and control arms, in [0, 1].
    n_treat : int
        Patients in the treatment arm (>= 1).
    n_ctrl : int, optional
        Patients in the control arm; defaults to ``n_treat``.
    alpha : float
        Two-sided significance level in (0, 1).  A result counts as significant when its
        p-value is ``<= alpha``.
    test : {"fisher", "normal"}
        ``"fisher"``: exact power of Fisher's exact test by enumeration of every table
        (arms of at most :data:`appraise._limits.MAX_TABLE_N` = 2000: the enumeration
        grows with the product of the arm sizes; use ``"normal"`` beyond).
        ``"normal"``: R ``power.prop.test`` normal approximation (see module notes).

    Returns
    -------
    float
        Probability that the trial gives a significant result.  With equal risks the
        Fisher power is the test's actual size (at most ``alpha``); the normal formula
        then gives ``alpha/2`` (one tail, as R).  If both risks are 0 or 1 the normal
        power is 1 when they differ and 0 when they are equal.

    Examples
    --------
    Power of the seed trial (14 vs 15) to detect intubation 50% vs 80%:

    >>> round(power_two_proportions(0.5, 0.8, n_treat=14, n_ctrl=15), 3)
    0.303
    >>> round(power_two_proportions(0.5, 0.8, n_treat=14, n_ctrl=15, test="normal"), 3)
    0.392
    """
    p_treat = check_probability("p_treat", p_treat)
    p_ctrl = check_probability("p_ctrl", p_ctrl)
    n_treat = check_n("n_treat", n_treat)
    n_ctrl = n_treat if n_ctrl is None else check_n("n_ctrl", n_ctrl)
    alpha = check_alpha(alpha)
    test = check_choice("test", test, TESTS)
    if test == "fisher":
        _check_exact_sizes(n_treat, n_ctrl)
        return _fisher_power(p_treat, p_ctrl, n_treat, n_ctrl, alpha)
    return _normal_power(p_treat, p_ctrl, n_treat, n_ctrl, alpha)


def _normal_sample_size_real(p_treat: float, p_ctrl: float, power: float, alpha: float) -> float:
    """Real-valued n per arm solving R's power equation (closed form, equal arms)."""
    d = abs(p_treat - p_ctrl)
    pbar = (p_treat + p_ctrl) / 2
    z_a = stats.norm.isf(alpha / 2)
    z_b = stats.norm.ppf(power)
    num = z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p_treat * (1 - p_treat) + p_ctrl * (1 - p_ctrl))
    return (num / d) ** 2


#: Arm sizes up to which the exact search checks every n of its bracket (tables this
#: small take milliseconds and stay cached); above, bisection locates the crossing.
_SCAN_ALL_UP_TO = 300


def _fisher_search(p_treat, p_ctrl, power, alpha, max_n) -> tuple[int, int]:
    """Bracketing search for the exact (Fisher) sample size; returns ``(n, bracket_low)``."""

    def reaches(n: int) -> bool:
        return _fisher_power(p_treat, p_ctrl, n, n, alpha) >= power

    n0 = min(max_n, max(1, math.ceil(_normal_sample_size_real(p_treat, p_ctrl, power, alpha) - 1e-9)))
    # bracket: low (power below target, 0 = none) < high (power reaches it)
    if reaches(n0):
        low, high = 0, n0
        while high > 1:
            half = high // 2
            if not reaches(half):
                low = half
                break
            high = half
    else:
        low = n0
        while True:
            if low >= max_n:
                raise ValueError(f"power {power!r} is not reached with up to max_n={max_n} patients per arm "
                                 f"(p_treat={p_treat!r}, p_ctrl={p_ctrl!r}); raise max_n (at most "
                                 f"{MAX_SAMPLE_SIZE_EXACT_N}) or use test='normal'")
            step = min(max_n, math.ceil(low * 1.25) + 1)
            if reaches(step):
                high = step
                break
            low = step
    if high <= _SCAN_ALL_UP_TO:
        # small sizes: the first n of the bracket that reaches the target
        return next(n for n in range(low + 1, high + 1) if reaches(n)), low
    while high - low > 1:
        mid = (low + high) // 2
        if reaches(mid):
            high = mid
        else:
            low = mid
    return high, low


def sample_size_two_proportions(p_treat, p_ctrl, *, power=0.8, alpha=0.05, test="fisher",
                                stable=False, max_n=MAX_SAMPLE_SIZE_EXACT_N) -> int:
    """Patients per arm (equal arms) needed to reach a target power.

    Parameters
    ----------
    p_treat, p_ctrl : float
        True risks, in [0, 1]; they must differ.
    power : float
        Target power in (0, 1).
    alpha : float
        Two-sided significance level in (0, 1).
    test : {"fisher", "normal"}
        ``"normal"``: R ``power.prop.test``'s ``n`` (solved in closed form), rounded up.
        ``"fisher"``: a bracketing search on the exact power, started from the normal
        approximation (see Notes).
    stable : bool
        Fisher only.  Exact power is a sawtooth in ``n`` (it can fall when a patient is
        added).  ``False`` (default) returns the first crossing (see Notes).  ``True``
        returns the smallest ``n`` from which the power stays >= target for every n up
        to ``2 * n_first + 10`` (``n_first`` the first crossing), the examined range;
        the sawtooth's dips shrink as n grows, so this is the practical answer.  Only
        for a first crossing of at most :data:`appraise._limits.MAX_STABLE_SEARCH_N`
        (100) per arm: it checks every n of that range.
    max_n : int
        Fisher only: search limit, at most :data:`appraise._limits.MAX_SAMPLE_SIZE_EXACT_N`
        (1000: each step of the search enumerates every table of two arms of that
        size); a :class:`ValueError` is raised if the target is not reached by then.

    Returns
    -------
    int
        Patients in each arm.

    Notes
    -----
    The exact search starts at the normal approximation ``n0``.  If the exact power
    there is below the target, the size grows by a quarter at a time until it is
    reached (``high``; ``low`` is the last size below); otherwise the size is halved
    until the power falls below the target.  Up to 300 per arm every n of the bracket
    ``(low, high]`` is checked and the first reaching the target is returned (the
    smallest n with power >= target above a size whose power is below it); above, the
    bracket is bisected to an n whose power reaches the target while n - 1's does not.
    Each step enumerates every table once, so the search takes well under two seconds
    at any size it accepts.

    Examples
    --------
    Per-arm size to detect intubation 50% vs 80% with 80% power:

    >>> sample_size_two_proportions(0.5, 0.8, test="normal")
    39
    >>> sample_size_two_proportions(0.5, 0.8)
    44
    """
    p_treat = check_probability("p_treat", p_treat)
    p_ctrl = check_probability("p_ctrl", p_ctrl)
    power = check_probability("power", power, open_interval=True)
    alpha = check_alpha(alpha)
    test = check_choice("test", test, TESTS)
    if not isinstance(stable, bool):
        raise TypeError(f"stable must be True or False, got {stable!r}")
    max_n = check_int("max_n", max_n, minimum=1)
    check_limit("max_n", max_n, MAX_SAMPLE_SIZE_EXACT_N,
                "each step of the exact search enumerates every table of two arms of that size; "
                "use test='normal' for larger trials")
    if p_treat == p_ctrl:
        raise ValueError(f"p_treat and p_ctrl must differ to have a sample size, got p_treat={p_treat!r}, "
                         f"p_ctrl={p_ctrl!r}")
    if {p_treat, p_ctrl} == {0.0, 1.0}:
        n_normal = 1
    else:
        n_normal = max(1, math.ceil(_normal_sample_size_real(p_treat, p_ctrl, power, alpha) - 1e-9))
    if test == "normal":
        return n_normal
    if n_normal > max_n:
        raise ValueError(f"power {power!r} needs about {n_normal} patients per arm by the normal approximation "
                         f"(p_treat={p_treat!r}, p_ctrl={p_ctrl!r}), more than max_n={max_n}; the exact "
                         f"search goes up to {MAX_SAMPLE_SIZE_EXACT_N} per arm (each step enumerates every "
                         "table): use test='normal'")
    if stable and n_normal > MAX_STABLE_SEARCH_N:
        raise ValueError(f"stable=True is limited to a first crossing of at most {MAX_STABLE_SEARCH_N} per arm; "
                         f"the normal approximation already needs {n_normal} (p_treat={p_treat!r}, "
                         f"p_ctrl={p_ctrl!r}): it checks the exact power at every n up to twice the first "
                         "crossing; use stable=False for larger trials")
    first, _ = _fisher_search(p_treat, p_ctrl, power, alpha, max_n)
    if not stable:
        return first
    if first > MAX_STABLE_SEARCH_N:
        raise ValueError(f"stable=True is limited to a first crossing of at most {MAX_STABLE_SEARCH_N} per arm, "
                         f"got {first} (p_treat={p_treat!r}, p_ctrl={p_ctrl!r}): it checks the exact power at "
                         "every n up to twice the first crossing; use stable=False for larger trials")
    last_below = None
    for n in range(first + 1, 2 * first + 11):
        if _fisher_power(p_treat, p_ctrl, n, n, alpha) < power:
            last_below = n
    return first if last_below is None else last_below + 1


@dataclass(frozen=True)
class PowerSolution:
    """Result of :func:`solve_two_proportions`: all arguments, with the missing one solved."""

    p_treat: float
    p_ctrl: float
    n_per_arm: int
    power: float
    alpha: float
    test: str
    solved_for: str


def solve_two_proportions(*, p_treat=None, p_ctrl, n_per_arm=None, power=None, alpha=0.05,
                          test="fisher", direction="lower") -> PowerSolution:
    """Solve for whichever of ``n_per_arm``, ``power`` or ``p_treat`` is ``None``.

    Parameters
    ----------
    p_treat : float or None
        Treatment risk; solved when ``None``.
    p_ctrl : float
        Control risk.
    n_per_arm : int or None
        Patients per arm (equal arms); solved when ``None`` (see
        :func:`sample_size_two_proportions`; the power reported is the power at that n).
    power : float or None
        Power; computed when ``None``.
    alpha : float
        Two-sided significance level.
    test : {"fisher", "normal"}
    direction : {"lower", "higher"}
        When solving ``p_treat``: look for a treatment risk below (``"lower"``, the usual
        case when the event is harmful) or above the control risk.

    Returns
    -------
    PowerSolution

    Examples
    --------
    >>> s = solve_two_proportions(p_treat=0.5, p_ctrl=0.8, n_per_arm=14)
    >>> s.solved_for, round(s.power, 3)
    ('power', 0.26)
    >>> s = solve_two_proportions(p_ctrl=0.8, n_per_arm=15, power=0.8)
    >>> round(s.p_treat, 3)
    0.242
    """
    missing = [name for name, value in (("p_treat", p_treat), ("n_per_arm", n_per_arm), ("power", power))
               if value is None]
    if len(missing) != 1:
        raise ValueError(f"exactly one of p_treat, n_per_arm, power must be None, got None for {missing or 'none'}")
    p_ctrl = check_probability("p_ctrl", p_ctrl)
    alpha = check_alpha(alpha)
    test = check_choice("test", test, TESTS)
    direction = check_choice("direction", direction, ("lower", "higher"))
    solved = missing[0]
    if solved == "power":
        p_treat = check_probability("p_treat", p_treat)
        n_per_arm = check_n("n_per_arm", n_per_arm)
        power = power_two_proportions(p_treat, p_ctrl, n_treat=n_per_arm, alpha=alpha, test=test)
    elif solved == "n_per_arm":
        p_treat = check_probability("p_treat", p_treat)
        power = check_probability("power", power, open_interval=True)
        n_per_arm = sample_size_two_proportions(p_treat, p_ctrl, power=power, alpha=alpha, test=test)
        power = power_two_proportions(p_treat, p_ctrl, n_treat=n_per_arm, alpha=alpha, test=test)
    else:
        n_per_arm = check_n("n_per_arm", n_per_arm)
        power = check_probability("power", power, open_interval=True)
        end = 0.0 if direction == "lower" else 1.0

        def gap(p):
            return power_two_proportions(p, p_ctrl, n_treat=n_per_arm, alpha=alpha, test=test) - power

        if gap(end) < 0:
            raise ValueError(f"no p_treat {'below' if end == 0 else 'above'} p_ctrl={p_ctrl!r} reaches power "
                             f"{power!r} with n_per_arm={n_per_arm}")
        # the smallest shift from p_ctrl that reaches the target power
        p_treat = float(optimize.brentq(gap, end, p_ctrl, xtol=1e-10))
    return PowerSolution(p_treat=float(p_treat), p_ctrl=p_ctrl, n_per_arm=int(n_per_arm), power=float(power),
                         alpha=alpha, test=test, solved_for=solved)


def _events(risk: float, n: int) -> int:
    # round half up (not Python's round-half-even): 0.5 * 15 = 7.5 -> 8
    return int(math.floor(risk * n + 0.5))


def _normal_pvalues(a, n_treat, c, n_ctrl):
    """Two-sided pooled z-test (Pearson chi-square without correction), vectorised.

    A table with no events or no non-events at all has statistic 0 and p-value 1.
    """
    a = np.asarray(a, dtype=float)
    c = np.asarray(c, dtype=float)
    pbar = (a + c) / (n_treat + n_ctrl)
    se = np.sqrt(pbar * (1 - pbar) * (1 / n_treat + 1 / n_ctrl))
    diff = a / n_treat - c / n_ctrl
    safe = se > 0
    z = np.divide(diff, se, out=np.zeros_like(diff), where=safe)
    return z, 2 * stats.norm.sf(np.abs(z))


def pvalue_at_n(risk_treat, risk_ctrl, *, n_treat, n_ctrl, test="fisher") -> TestResult:
    """p-value of the trial that would show these observed risks at these sizes.

    The events are ``risk * n`` rounded to the nearest whole patient (halves round up:
    50% of 15 is 8 patients), so the observed risks are only approximately kept.

    Parameters
    ----------
    risk_treat, risk_ctrl : float
        Observed risks in [0, 1].
    n_treat, n_ctrl : int
        Arm sizes (>= 1).
    test : {"fisher", "normal"}
        Two-sided Fisher exact test, or the pooled two-proportion z-test (equal to
        Pearson's chi-square without continuity correction).

    Returns
    -------
    TestResult
        ``statistic`` is the number of treatment events for Fisher (the conditional
        test statistic) and ``z`` for the normal test.

    Examples
    --------
    The seed trial's intubation risks (50% vs 80%) at its own size and at 40 per arm:

    >>> round(pvalue_at_n(0.5, 0.8, n_treat=14, n_ctrl=15).pvalue, 4)
    0.1281
    >>> round(pvalue_at_n(0.5, 0.8, n_treat=40, n_ctrl=40).pvalue, 4)
    0.0093
    """
    risk_treat = check_probability("risk_treat", risk_treat)
    risk_ctrl = check_probability("risk_ctrl", risk_ctrl)
    n_treat = check_n("n_treat", n_treat)
    n_ctrl = check_n("n_ctrl", n_ctrl)
    test = check_choice("test", test, TESTS)
    a, c = _events(risk_treat, n_treat), _events(risk_ctrl, n_ctrl)
    if test == "fisher":
        if max(n_treat, n_ctrl) <= MAX_TABLE_N:
            p = float(_fisher_table(n_treat, n_ctrl)[a, c])  # cached: the explorers sweep n
        else:  # one table: scipy directly (the same value), at any size
            p = float(stats.fisher_exact([[a, n_treat - a], [c, n_ctrl - c]]).pvalue)
        return TestResult(statistic=float(a), pvalue=p, method="Fisher exact (two-sided)")
    z, p = _normal_pvalues(a, n_treat, c, n_ctrl)
    return TestResult(statistic=float(z), pvalue=float(p), method="two-proportion z-test (pooled)")


def simulate_pvalues(p_treat, p_ctrl, *, n_treat, n_ctrl, n_trials=1000, seed=0, test="fisher") -> np.ndarray:
    """Simulate ``n_trials`` trials and return their two-sided p-values.

    Events in each arm are drawn from binomial distributions with
    ``numpy.random.default_rng(seed)`` (treatment first, then control); each table's
    p-value is looked up in :func:`appraise.tests2x2.fisher_pvalue_table` (Fisher) or
    computed by the pooled z-test (normal), without a Python loop.  ``n_trials`` is
    at most 1,000,000 (:data:`appraise._limits.MAX_SIMULATION_TRIALS`); Fisher
    p-values need arms of at most 2000 (:data:`appraise._limits.MAX_TABLE_N`).

    Examples
    --------
    The "dance of the p-values": the share of simulated trials at the seed trial's size
    with p <= 0.05 is close to the exact power (0.303):

    >>> p = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=20000, seed=1)
    >>> p.shape, bool(abs((p <= 0.05).mean() - 0.303) < 0.01)
    ((20000,), True)
    """
    p_treat = check_probability("p_treat", p_treat)
    p_ctrl = check_probability("p_ctrl", p_ctrl)
    n_treat = check_n("n_treat", n_treat)
    n_ctrl = check_n("n_ctrl", n_ctrl)
    n_trials = check_int("n_trials", n_trials, minimum=1)
    check_limit("n_trials", n_trials, MAX_SIMULATION_TRIALS,
                "a million simulated trials already draw a smooth histogram; more only fill memory")
    seed = check_int("seed", seed, minimum=0)
    test = check_choice("test", test, TESTS)
    if test == "fisher":
        _check_exact_sizes(n_treat, n_ctrl)
    rng = np.random.default_rng(seed)
    a = rng.binomial(n_treat, p_treat, size=n_trials)
    c = rng.binomial(n_ctrl, p_ctrl, size=n_trials)
    if test == "fisher":
        return np.array(_fisher_table(n_treat, n_ctrl)[a, c], dtype=float)
    return _normal_pvalues(a, n_treat, c, n_ctrl)[1]
