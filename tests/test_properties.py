"""Property tests (hypothesis) for the statistics.

Each property is checked on inputs drawn by hypothesis against an independent computation or an
invariant that any correct implementation must satisfy: scipy's ``fisher_exact`` for the
p-value table and the fragility walk, a seeded simulation for exact power, arm symmetry
for Fisher's test and the posterior, exact fractions for percentage rounding.

Runs are reproducible: ``derandomize=True`` (examples derived from the test itself) and
no example database.  ``MAX_EXAMPLES`` below is the budget of each test; run with
``--hypothesis-show-statistics`` to see how many examples each one actually ran.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import appraise as ap

# examples per test (the total is printed by test_example_budget)
MAX_EXAMPLES = {
    "tests_2x2_pvalues": 40,
    "fisher_swap": 30,
    "single_proportion_intervals": 200,
    "comparison_intervals": 80,
    "fisher_table_vs_scipy": 150,
    "exact_power_vs_simulation": 60,
    "fragility": 80,
    "reverse_fragility": 80,
    "posterior": 15,
    "benefit_complement": 80,
    "benefit_symmetry": 60,
    "percentage_accepts": 300,
    "percentage_rejects": 200,
    "p_round_trip": 300,
    "p_float_round_trip": 150,
}


def cfg(name: str):
    return settings(max_examples=MAX_EXAMPLES[name], deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def tables(draw, max_n: int = 30):
    n_treat = draw(st.integers(1, max_n))
    n_ctrl = draw(st.integers(1, max_n))
    a = draw(st.integers(0, n_treat))
    c = draw(st.integers(0, n_ctrl))
    return a, n_treat, c, n_ctrl


def scipy_fisher(a, n1, c, n2) -> float:
    return float(stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue)


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# ---------------------------------------------------------------------------
# Tests of a 2x2 table
# ---------------------------------------------------------------------------

@cfg("tests_2x2_pvalues")
@given(tables(max_n=20), st.sampled_from(["two-sided", "less", "greater"]))
def test_every_pvalue_is_a_probability(table, alternative):
    results = ap.tests_2x2(*table, alternative=alternative)
    assert set(results) == {"fisher", "chi2", "chi2_yates", "barnard", "boschloo"}
    for name, res in results.items():
        assert 0.0 <= res.pvalue <= 1.0, (name, table, alternative, res)


@cfg("fisher_swap")
@given(tables(max_n=25))
def test_fisher_pvalue_unchanged_when_arms_are_swapped(table):
    a, n1, c, n2 = table
    forward = ap.tests_2x2(a, n1, c, n2)["fisher"].pvalue
    swapped = ap.tests_2x2(c, n2, a, n1)["fisher"].pvalue
    assert forward == pytest.approx(swapped, rel=1e-12, abs=1e-15)
    # the vectorised table agrees, indexed the other way round
    assert ap.fisher_pvalue_table(n1, n2)[a, c] == pytest.approx(ap.fisher_pvalue_table(n2, n1)[c, a],
                                                                 rel=1e-12, abs=1e-15)


@cfg("fisher_table_vs_scipy")
@given(st.integers(1, 60), st.integers(1, 60), st.data())
def test_fisher_pvalue_table_equals_scipy_fisher_exact(n1, n2, data):
    a = data.draw(st.integers(0, n1), label="a")
    c = data.draw(st.integers(0, n2), label="c")
    table = ap.fisher_pvalue_table(n1, n2)
    assert table.shape == (n1 + 1, n2 + 1)
    assert table[a, c] == pytest.approx(scipy_fisher(a, n1, c, n2), rel=1e-9, abs=1e-14)


# ---------------------------------------------------------------------------
# Intervals contain their estimate and stay in range
# ---------------------------------------------------------------------------

@cfg("single_proportion_intervals")
@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from(["wilson", "clopper-pearson"]),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_single_proportion_interval_contains_estimate(counts, method, level):
    k, n = counts
    low, high = ap.proportion_ci(k, n, method=method, confidence_level=level)
    assert 0.0 <= low <= k / n <= high <= 1.0, (k, n, method, level, low, high)
    assert low < high  # never a zero-width interval for these methods


@cfg("comparison_intervals")
@given(tables(max_n=40), st.sampled_from([0.9, 0.95, 0.99]))
def test_comparison_intervals_contain_estimates(table, level):
    cmp = ap.compare_proportions(*table, confidence_level=level)
    a, n1, c, n2 = table
    for risk, k, n in ((cmp.risk_treat, a, n1), (cmp.risk_ctrl, c, n2)):
        assert risk.estimate == pytest.approx(k / n)
        assert 0.0 <= risk.low <= risk.estimate <= risk.high <= 1.0
    rd = cmp.risk_difference
    assert rd.estimate == pytest.approx(a / n1 - c / n2)
    assert -1.0 <= rd.low <= rd.estimate + 1e-12 and rd.estimate - 1e-12 <= rd.high <= 1.0, rd
    for ratio in (cmp.risk_ratio, cmp.odds_ratio):
        if not all(math.isfinite(x) for x in ratio):
            continue  # documented degenerate cases (0/0) give nan/inf
        assert 0.0 <= ratio.low <= ratio.estimate * (1 + 1e-12) + 1e-300, ratio
        assert ratio.estimate <= ratio.high * (1 + 1e-12), ratio


# ---------------------------------------------------------------------------
# Exact power against a seeded simulation
# ---------------------------------------------------------------------------

N_SIM = 4000


@cfg("exact_power_vs_simulation")
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.integers(1, 40), st.integers(1, 40),
       st.sampled_from([0.01, 0.05, 0.1]), st.integers(0, 2**31))
def test_exact_power_matches_simulated_rejection_rate(p_treat, p_ctrl, n1, n2, alpha, seed):
    power = ap.power_two_proportions(p_treat, p_ctrl, n_treat=n1, n_ctrl=n2, alpha=alpha)
    assert 0.0 <= power <= 1.0
    pvalues = ap.simulate_pvalues(p_treat, p_ctrl, n_treat=n1, n_ctrl=n2, n_trials=N_SIM, seed=seed)
    rate = float(np.mean(pvalues <= alpha))  # significant means p <= alpha (power's docstring)
    mcse = math.sqrt(power * (1 - power) / N_SIM)
    # 4 Monte Carlo standard errors, plus 1/N_SIM so a power of exactly 0 or 1 is allowed
    # one stray simulated trial only if the power is not exactly 0 or 1 in floating point
    slack = 4 * mcse + (0.0 if power in (0.0, 1.0) else 1 / N_SIM)
    assert abs(rate - power) <= slack, (power, rate, mcse)


# ---------------------------------------------------------------------------
# Fragility: the stated flips really cross alpha (checked with scipy)
# ---------------------------------------------------------------------------

ALPHA = 0.05


def _far_from_alpha(p: float) -> bool:
    return abs(p - ALPHA) > 1e-9


@cfg("fragility")
@given(tables(max_n=30))
def test_fragility_index_flips_cross_alpha(table):
    a, n1, c, n2 = table
    p0 = scipy_fisher(a, n1, c, n2)
    assume(_far_from_alpha(p0) and p0 < ALPHA)
    res = ap.fragility_index(a, n1, c, n2, alpha=ALPHA)
    assert res.significant and res.index is not None and res.index >= 1
    arm = res.modified_arm
    assert arm in ("treatment", "control")
    # rebuild the walk independently: index unit changes in the stated arm, one direction
    final_a, final_c = res.steps[-1][:2]
    moved = final_a - a if arm == "treatment" else final_c - c
    unchanged = final_c - c if arm == "treatment" else final_a - a
    assert unchanged == 0 and abs(moved) == res.index
    step = 1 if moved > 0 else -1
    for k in range(res.index + 1):
        ta, tc = (a + step * k, c) if arm == "treatment" else (a, c + step * k)
        p = scipy_fisher(ta, n1, tc, n2)
        assume(_far_from_alpha(p))
        if k < res.index:
            assert p < ALPHA, (k, ta, tc, p)          # one fewer flip is still significant
        else:
            assert p >= ALPHA, (k, ta, tc, p)         # this many flips makes it non-significant
            assert res.pvalue_after == pytest.approx(p, rel=1e-9)


def _one_arm_tables(a, n1, c, n2, k):
    """Every table reached by changing k patients' outcome in one arm."""
    out = []
    for ta in (a + k, a - k):
        if 0 <= ta <= n1:
            out.append((ta, c))
    for tc in (c + k, c - k):
        if 0 <= tc <= n2:
            out.append((a, tc))
    return out


@cfg("reverse_fragility")
@given(tables(max_n=25))
def test_reverse_fragility_index_is_the_fewest_one_arm_changes(table):
    a, n1, c, n2 = table
    p0 = scipy_fisher(a, n1, c, n2)
    assume(_far_from_alpha(p0) and p0 >= ALPHA)
    res = ap.reverse_fragility_index(a, n1, c, n2, alpha=ALPHA)
    assert not res.significant
    # brute force with scipy: the smallest k for which some one-arm change is significant
    best = None
    for k in range(1, max(n1, n2) + 1):
        ps = [scipy_fisher(ta, n1, tc, n2) for ta, tc in _one_arm_tables(a, n1, c, n2, k)]
        assume(all(_far_from_alpha(p) for p in ps))
        if any(p < ALPHA for p in ps):
            best = k
            break
    if best is None:
        assert res.index is None
        return
    assert res.index == best
    final_a, final_c = res.steps[-1][:2]
    assert (final_a, final_c) in _one_arm_tables(a, n1, c, n2, best)
    assert scipy_fisher(final_a, n1, final_c, n2) < ALPHA


# ---------------------------------------------------------------------------
# Bayesian reanalysis
# ---------------------------------------------------------------------------

PRIOR_NAMES = ["flat", "jeffreys", "sceptical", "enthusiastic"]


@cfg("posterior")
@given(tables(max_n=20), st.sampled_from(PRIOR_NAMES))
def test_posterior_interval_contains_mean_and_lies_in_range(table, prior):
    post = ap.posterior_risk_difference(*table, prior=prior)
    assert -1.0 <= post.low <= post.mean <= post.high <= 1.0, post
    # exact posterior mean of the difference of two independent betas
    pr = ap.PRIORS[prior]
    a, n1, c, n2 = table
    mean = (pr.a_treat + a) / (pr.a_treat + pr.b_treat + n1) - (pr.a_ctrl + c) / (pr.a_ctrl + pr.b_ctrl + n2)
    assert post.mean == pytest.approx(mean, abs=1e-12)


@cfg("benefit_complement")
@given(tables(max_n=40), st.sampled_from(PRIOR_NAMES))
def test_benefit_probabilities_are_complementary(table, prior):
    # one and the same prior in both directions (a name would follow the outcome's direction)
    prior = ap.PRIORS[prior]
    bad = ap.probability_of_benefit(*table, event_is_bad=True, prior=prior)
    good = ap.probability_of_benefit(*table, event_is_bad=False, prior=prior)
    assert 0.0 <= bad <= 1.0 and 0.0 <= good <= 1.0
    # the posterior of p_treat - p_ctrl is continuous: P(< 0) + P(> 0) = 1
    assert bad + good == pytest.approx(1.0, abs=1e-9)


@cfg("benefit_symmetry")
@given(tables(max_n=40), st.integers(0, 2**31))
def test_benefit_probability_symmetry_and_simulation(table, seed):
    a, n1, c, n2 = table
    p = ap.probability_of_benefit(a, n1, c, n2, event_is_bad=True)
    # swapping the arms and the direction of benefit asks the same question
    assert p == pytest.approx(ap.probability_of_benefit(c, n2, a, n1, event_is_bad=False), abs=1e-8)
    # independent check: Monte Carlo from the flat-prior beta posteriors
    rng = np.random.default_rng(seed)
    m = 20000
    draws = rng.beta(1 + a, 1 + n1 - a, m) < rng.beta(1 + c, 1 + n2 - c, m)
    assert abs(draws.mean() - p) <= 4 * math.sqrt(max(p * (1 - p), 1 / m) / m)


# ---------------------------------------------------------------------------
# Percentages (exact rounding with fractions)
# ---------------------------------------------------------------------------

def _round_half_up(value: Fraction, decimals: int) -> Fraction:
    scale = 10 ** decimals
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


def _fmt(value: Fraction, decimals: int) -> str:
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.{decimals}f}"


@cfg("percentage_accepts")
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([0, 1, 2]), st.sampled_from(["{}%", "{}", " {} % "]))
def test_check_percentage_accepts_every_rounded_k_over_n(counts, decimals, template):
    k, n = counts
    shown = _round_half_up(Fraction(100 * k, n), decimals)
    text = template.format(_fmt(shown, decimals))
    chk = ap.check_percentage(text, n)
    assert chk.consistent, (text, n, chk.message)
    assert k in chk.candidates
    assert ap.check_percentage(text, n, events=k).consistent
    assert ap.parse_percentage(text).decimals == decimals


@cfg("percentage_rejects")
@given(st.integers(1, 150), st.sampled_from([0, 1, 2]), st.data())
def test_check_percentage_rejects_values_no_k_over_n_rounds_to(n, decimals, data):
    scale = 10 ** decimals
    # reported values as whole multiples of 10**-decimals: round half up of 100 k scale / n
    reachable = {(200 * k * scale + n) // (2 * n) for k in range(n + 1)}
    gaps = sorted(set(range(100 * scale + 1)) - reachable)
    assume(gaps)
    value = Fraction(data.draw(st.sampled_from(gaps), label="percentage"), scale)
    # the integer shortcut agrees with exact rounding: no k/n rounds to value
    assert all(_round_half_up(Fraction(100 * k, n), decimals) != value for k in range(n + 1))
    text = _fmt(value, decimals) + "%"
    chk = ap.check_percentage(text, n)
    assert not chk.consistent, (text, n, chk.candidates)
    assert chk.candidates == ()
    # and the nearest k really is nearest (exact fractions)
    dist = [abs(Fraction(100 * k, n) - value) for k in range(n + 1)]
    assert dist[chk.nearest_k] == min(dist)


# ---------------------------------------------------------------------------
# Reported p-values round-trip
# ---------------------------------------------------------------------------

RELATIONS = {"<": "<", "<=": "<=", "=": "=", ">": ">", ">=": ">=", "\u2264": "<=", "\u2265": ">="}


@cfg("p_round_trip")
@given(st.integers(1, 6).flatmap(lambda d: st.tuples(st.just(d), st.integers(0, 10 ** d))),
       st.sampled_from(sorted(RELATIONS)), st.sampled_from(["P {} {}", "p{}{}", "P-value {} {}", "p {}{}"]),
       st.booleans())
def test_parse_reported_p_round_trips(digits, relation, template, drop_zero):
    decimals, mantissa = digits
    value = Decimal(mantissa).scaleb(-decimals)
    assume(not (RELATIONS[relation] == "<" and value == 0) and not (RELATIONS[relation] == ">" and value == 1))
    number = f"{value:.{decimals}f}"
    if drop_zero and number.startswith("0."):
        number = number[1:]  # "P<.05"
    text = template.format(relation, number)
    rep = ap.parse_reported_p(text)
    assert rep.relation == RELATIONS[relation]
    assert rep.value == float(value)
    assert rep.decimals == decimals
    assert rep.text == text.strip()


@cfg("p_float_round_trip")
@given(st.floats(0.0, 1.0, allow_nan=False))
def test_parse_reported_p_round_trips_floats(x):
    rep = ap.parse_reported_p(x)
    assert rep.relation == "=" and rep.value == x
    # decimals of the shortest repr (1e-05 -> 5); a whole number (0.0, 1.0) has 0, as documented
    # for parse_percentage ("28.0 counts as 0 decimals")
    dec = Decimal(repr(x))
    expected = 0 if dec == dec.to_integral_value() else -dec.as_tuple().exponent
    assert rep.decimals == expected


def test_example_budget():
    total = sum(MAX_EXAMPLES.values())
    print(f"hypothesis example budget: {total} over {len(MAX_EXAMPLES)} property tests")
    assert total >= 1000


# ----------------------------------------------------------------------------- large trials

@st.composite
def large_tables(draw):
    """Two arms of 10^4 to 10^8 patients with risks from 0.1% to 99.9%."""
    n_treat = draw(st.integers(10**4, 10**8))
    n_ctrl = draw(st.integers(10**4, 10**8))
    risk = draw(st.floats(0.001, 0.999))
    shift = draw(st.floats(-0.01, 0.01))
    events_ctrl = int(risk * n_ctrl)
    events_treat = min(n_treat, max(0, int((risk + shift * 10**4 / math.sqrt(n_treat) / 100) * n_treat)))
    return events_treat, n_treat, events_ctrl, n_ctrl


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(large_tables())
def test_large_trial_posterior_against_monte_carlo(table):
    # reference: seeded numpy draws from the two beta posteriors (flat prior)
    e_t, n_t, e_c, n_c = table
    rng = np.random.default_rng(e_t + 7 * n_c)
    draws = 200_000
    p_t = rng.beta(1 + e_t, 1 + n_t - e_t, draws)
    p_c = rng.beta(1 + e_c, 1 + n_c - e_c, draws)
    mc = float(np.mean(p_t < p_c))
    se = max(math.sqrt(mc * (1 - mc) / draws), 1.0 / draws)
    assert ap.probability_of_benefit(*table) == pytest.approx(mc, abs=6 * se + 2e-6)
    post = ap.posterior_risk_difference(*table)
    assert post.low < post.mean < post.high
    lo, hi = np.quantile(p_t - p_c, [0.025, 0.975])
    assert post.low == pytest.approx(lo, abs=0.02 * (hi - lo))
    assert post.high == pytest.approx(hi, abs=0.02 * (hi - lo))


@settings(max_examples=20, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 10**7), st.integers(0, 1000), st.integers(0, 2))
def test_percentage_arithmetic_brackets_every_fitting_k(n, tenths, decimals):
    # every k reported fits and its neighbours outside the list do not (exact fractions)
    value = Fraction(tenths, 10) if decimals else Fraction(tenths // 10)
    text = f"{float(value):.{decimals}f}%"
    chk = ap.check_percentage(text, n)
    unit = Fraction(1, 10**decimals)
    v = Fraction(text.rstrip("%"))

    def fits(k):
        return 0 <= k <= n and v - unit / 2 <= Fraction(100 * k, n) < v + unit / 2
    ks = chk.by_rounding
    assert all(fits(k) for k in (ks[:3] + ks[-3:]))
    if ks:
        assert not fits(ks[0] - 1) and not fits(ks[-1] + 1)
        assert list(ks) == list(range(ks[0], ks[-1] + 1))
    else:
        k = math.floor(v * n / 100)
        assert not fits(k) and not fits(k + 1)
