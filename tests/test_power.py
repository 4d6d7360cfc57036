"""Tests for appraise.power against independent references.

References used:
* brute force: scipy.stats.fisher_exact on every table, summed with binomial weights;
* R stats::power.prop.test help-page examples (R's ?power.prop.test):
      power.prop.test(n = 50, p1 = .50, p2 = .75)      ## => power = 0.740  (0.7401659)
      power.prop.test(p1 = .50, p2 = .75, power = .90) ## =>     n = 76.7
      power.prop.test(n = 50, p1 = .5, power = .90)    ## =>    p2 = 0.8026
* statsmodels NormalIndPower + proportion_effectsize (Cohen's h), a different normal
  approximation: for 0.5 vs 0.75 at power 0.9 it gives n = 76.65294 per arm;
* seeded Monte Carlo, within 4 Monte Carlo standard errors.
"""

import math

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from appraise.power import (
    power_two_proportions,
    pvalue_at_n,
    sample_size_two_proportions,
    simulate_pvalues,
    solve_two_proportions,
)


def brute_force_fisher_power(p_t, p_c, n_t, n_c, alpha=0.05):
    total = 0.0
    for a in range(n_t + 1):
        for c in range(n_c + 1):
            p = stats.fisher_exact([[a, n_t - a], [c, n_c - c]]).pvalue
            if p <= alpha:
                total += stats.binom.pmf(a, n_t, p_t) * stats.binom.pmf(c, n_c, p_c)
    return total


# --- exact Fisher power -------------------------------------------------------------

@pytest.mark.parametrize("p_t, p_c, n_t, n_c", [
    (0.5, 0.8, 14, 15),      # the seed trial's observed intubation risks at its size
    (0.57, 0.27, 14, 15),    # survival
    (0.1, 0.4, 9, 21),       # unequal arms
    (0.3, 0.3, 12, 12),      # no difference: the test's actual size
])
def test_fisher_power_equals_brute_force(p_t, p_c, n_t, n_c):
    expected = brute_force_fisher_power(p_t, p_c, n_t, n_c)
    assert power_two_proportions(p_t, p_c, n_treat=n_t, n_ctrl=n_c) == pytest.approx(expected, abs=1e-12)


def test_seed_trial_power_is_about_thirty_percent():
    # brute force over all 15 x 16 tables with scipy.stats.fisher_exact
    expected = brute_force_fisher_power(0.5, 0.8, 14, 15)
    power = power_two_proportions(0.5, 0.8, n_treat=14, n_ctrl=15)
    assert power == pytest.approx(expected, abs=1e-12)
    assert 0.29 < power < 0.31


def test_fisher_power_matches_seeded_simulation():
    exact = power_two_proportions(0.5, 0.8, n_treat=14, n_ctrl=15)
    n = 40000
    p = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=n, seed=2024)
    mc_se = math.sqrt(exact * (1 - exact) / n)  # about 0.0023
    assert abs((p <= 0.05).mean() - exact) < 4 * mc_se


def test_fisher_power_under_null_is_at_most_alpha():
    for n in (5, 10, 20):
        size = power_two_proportions(0.4, 0.4, n_treat=n, alpha=0.05)
        assert 0 <= size <= 0.05


def test_n_ctrl_defaults_to_n_treat():
    assert power_two_proportions(0.5, 0.8, n_treat=20) == power_two_proportions(0.5, 0.8, n_treat=20, n_ctrl=20)


def test_exact_power_is_a_sawtooth_in_n():
    powers = [power_two_proportions(0.5, 0.8, n_treat=n) for n in range(5, 61)]
    drops = [n for n, (p0, p1) in zip(range(5, 61), zip(powers, powers[1:])) if p1 < p0]
    assert drops, "exact Fisher power should fall at least once as n grows"


# --- normal approximation (R power.prop.test) -------------------------------------

def test_normal_power_matches_r_help_example():
    # R: power.prop.test(n = 50, p1 = .50, p2 = .75) -> power = 0.7401659
    assert power_two_proportions(0.5, 0.75, n_treat=50, test="normal") == pytest.approx(0.7401659, abs=1e-7)


def test_normal_sample_size_matches_r_help_example():
    # R: power.prop.test(p1 = .50, p2 = .75, power = .90) -> n = 76.7 (76.7069 unrounded)
    assert sample_size_two_proportions(0.5, 0.75, power=0.9, test="normal") == 77
    # the same number by inverting the power function numerically, as R's uniroot does
    root = optimize.brentq(lambda n: _r_power(n, 0.5, 0.75) - 0.9, 2, 1000)
    assert root == pytest.approx(76.7, abs=0.05)
    assert math.ceil(root) == 77


def _r_power(n, p1, p2, sig=0.05):
    # transcription of R's power.prop.test p.body (strict = FALSE)
    return stats.norm.cdf((math.sqrt(n) * abs(p1 - p2) - stats.norm.isf(sig / 2) * math.sqrt((p1 + p2) * (1 - (p1 + p2) / 2)))
                          / math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))


def test_normal_solve_p_matches_r_help_example():
    # R: power.prop.test(n = 50, p1 = .5, power = .90) -> p2 = 0.8026
    s = solve_two_proportions(p_ctrl=0.5, n_per_arm=50, power=0.9, test="normal", direction="higher")
    assert s.p_treat == pytest.approx(0.8026, abs=5e-5)
    assert s.solved_for == "p_treat"


def test_normal_power_close_to_statsmodels_cohens_h():
    # statsmodels uses Cohen's arcsine effect size h: a different approximation
    h = proportion_effectsize(0.75, 0.5)
    sm_power = NormalIndPower().power(h, nobs1=50, alpha=0.05, ratio=1)
    assert power_two_proportions(0.5, 0.75, n_treat=50, test="normal") == pytest.approx(sm_power, abs=0.01)
    sm_n = NormalIndPower().solve_power(h, power=0.9, alpha=0.05, ratio=1)
    assert sm_n == pytest.approx(76.65294, abs=1e-4)  # value quoted for statsmodels' answer
    assert sample_size_two_proportions(0.5, 0.75, power=0.9, test="normal") == math.ceil(sm_n)


def test_normal_degenerate_risks():
    assert power_two_proportions(0.0, 1.0, n_treat=3, test="normal") == 1.0
    assert power_two_proportions(0.0, 0.0, n_treat=3, test="normal") == 0.0
    # equal risks: R's formula (one tail) gives alpha / 2
    assert power_two_proportions(0.3, 0.3, n_treat=30, test="normal") == pytest.approx(0.025)


# --- sample size -------------------------------------------------------------------

def test_fisher_sample_size_is_first_n_reaching_target():
    n = sample_size_two_proportions(0.5, 0.8, power=0.8)
    assert power_two_proportions(0.5, 0.8, n_treat=n) >= 0.8
    assert all(power_two_proportions(0.5, 0.8, n_treat=m) < 0.8 for m in range(1, n))


def test_fisher_stable_sample_size():
    first = sample_size_two_proportions(0.2, 0.6, power=0.8)
    stable = sample_size_two_proportions(0.2, 0.6, power=0.8, stable=True)
    assert stable >= first
    assert all(power_two_proportions(0.2, 0.6, n_treat=m) >= 0.8 for m in range(stable, 2 * first + 11))


def test_fisher_needs_more_than_normal():
    # Fisher's exact test is conservative: it needs at least the normal-approximation n here
    assert sample_size_two_proportions(0.5, 0.8) >= sample_size_two_proportions(0.5, 0.8, test="normal")


def test_sample_size_max_n_and_equal_risks():
    with pytest.raises(ValueError, match="max_n=5"):
        sample_size_two_proportions(0.5, 0.8, max_n=5)
    with pytest.raises(ValueError, match="p_treat and p_ctrl must differ"):
        sample_size_two_proportions(0.5, 0.5)


def test_solve_for_each_argument():
    s = solve_two_proportions(p_treat=0.5, p_ctrl=0.8, power=0.8)
    assert s.n_per_arm == sample_size_two_proportions(0.5, 0.8, power=0.8)
    s = solve_two_proportions(p_treat=0.5, p_ctrl=0.8, n_per_arm=14)
    assert s.power == power_two_proportions(0.5, 0.8, n_treat=14)
    s = solve_two_proportions(p_ctrl=0.8, n_per_arm=15, power=0.8)
    assert power_two_proportions(s.p_treat, 0.8, n_treat=15) == pytest.approx(0.8, abs=1e-6)
    assert s.p_treat < 0.8
    with pytest.raises(ValueError, match="exactly one"):
        solve_two_proportions(p_treat=0.5, p_ctrl=0.8, n_per_arm=14, power=0.8)
    with pytest.raises(ValueError, match="no p_treat"):
        solve_two_proportions(p_ctrl=0.1, n_per_arm=3, power=0.99)


# --- p-values at a given n and simulation ------------------------------------------

def test_pvalue_at_n_matches_scipy():
    r = pvalue_at_n(0.5, 0.8, n_treat=14, n_ctrl=15)
    # 50% of 14 = 7 events, 80% of 15 = 12 events
    assert r.pvalue == pytest.approx(stats.fisher_exact([[7, 7], [12, 3]]).pvalue, rel=1e-12)
    assert r.pvalue == pytest.approx(0.1281, abs=5e-5)  # trial-facts.md: Fisher p = 0.1281
    z = pvalue_at_n(0.5, 0.8, n_treat=14, n_ctrl=15, test="normal")
    chi2 = stats.chi2_contingency([[7, 7], [12, 3]], correction=False)
    assert z.pvalue == pytest.approx(chi2.pvalue, rel=1e-10)
    assert z.statistic ** 2 == pytest.approx(chi2.statistic, rel=1e-10)


def test_pvalue_at_n_rounds_half_up():
    # 50% of 5 is 2.5 patients -> 3 (Python's round() would give 2)
    r = pvalue_at_n(0.5, 0.0, n_treat=5, n_ctrl=5)
    assert r.statistic == 3
    assert r.pvalue == pytest.approx(stats.fisher_exact([[3, 2], [0, 5]]).pvalue, rel=1e-12)


def test_pvalue_at_n_normal_degenerate_is_one():
    assert pvalue_at_n(0.0, 0.0, n_treat=5, n_ctrl=5, test="normal").pvalue == 1.0


def test_simulated_pvalues_are_fisher_pvalues_of_simulated_tables():
    p = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=300, seed=7)
    rng = np.random.default_rng(7)
    a = rng.binomial(14, 0.5, size=300)
    c = rng.binomial(15, 0.8, size=300)
    expected = [stats.fisher_exact([[x, 14 - x], [y, 15 - y]]).pvalue for x, y in zip(a, c)]
    np.testing.assert_allclose(p, expected, rtol=1e-10, atol=1e-14)


def test_simulated_normal_pvalues_match_chi_square():
    p = simulate_pvalues(0.3, 0.6, n_treat=30, n_ctrl=30, n_trials=50, seed=3, test="normal")
    rng = np.random.default_rng(3)
    a = rng.binomial(30, 0.3, size=50)
    c = rng.binomial(30, 0.6, size=50)
    expected = [stats.chi2_contingency([[x, 30 - x], [y, 30 - y]], correction=False).pvalue for x, y in zip(a, c)]
    np.testing.assert_allclose(p, expected, rtol=1e-9)


def test_simulation_is_deterministic_per_seed():
    one = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=100, seed=5)
    two = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=100, seed=5)
    other = simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=100, seed=6)
    np.testing.assert_array_equal(one, two)
    assert not np.array_equal(one, other)


# --- bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(alpha=0.0), ValueError, ["alpha", "0.0"]),
    (dict(alpha=1.0), ValueError, ["alpha", "1.0"]),
    (dict(alpha="0.05"), TypeError, ["alpha", "'0.05'"]),
    (dict(n_treat=-3), ValueError, ["n_treat", "-3"]),
    (dict(n_treat=14.0), TypeError, ["n_treat", "14.0"]),
    (dict(n_ctrl=0), ValueError, ["n_ctrl", "0"]),
    (dict(p_treat=1.2), ValueError, ["p_treat", "1.2"]),
    (dict(p_ctrl=-0.1), ValueError, ["p_ctrl", "-0.1"]),
    (dict(test="t"), ValueError, ["test", "'t'"]),
])
def test_power_bad_input(kwargs, exc, words):
    args = dict(p_treat=0.5, p_ctrl=0.8, n_treat=14, n_ctrl=15)
    args.update(kwargs)
    p_t, p_c = args.pop("p_treat"), args.pop("p_ctrl")
    with pytest.raises(exc) as info:
        power_two_proportions(p_t, p_c, **args)
    for word in words:
        assert word in str(info.value)


def test_other_bad_input():
    with pytest.raises(ValueError, match="power.*1.5"):
        sample_size_two_proportions(0.5, 0.8, power=1.5)
    with pytest.raises(TypeError, match="stable"):
        sample_size_two_proportions(0.5, 0.8, stable="yes")
    with pytest.raises(ValueError, match="n_trials.*0"):
        simulate_pvalues(0.5, 0.8, n_treat=14, n_ctrl=15, n_trials=0)
    with pytest.raises(ValueError, match="risk_treat.*2"):
        pvalue_at_n(2, 0.8, n_treat=14, n_ctrl=15)
    with pytest.raises(ValueError, match="direction.*'up'"):
        solve_two_proportions(p_ctrl=0.8, n_per_arm=15, power=0.8, direction="up")


# --- size limits and the bracketing search ------------------------------------------

def _first_n_by_scan(p_t, p_c, power, alpha=0.05):
    # reference: the exact power at n = 1, 2, 3, ... (a linear scan)
    n = 1
    while power_two_proportions(p_t, p_c, n_treat=n, alpha=alpha) < power:
        n += 1
    return n


@pytest.mark.parametrize("p_t,p_c,target", [(0.5, 0.8, 0.8), (0.5, 0.8, 0.9), (0.2, 0.6, 0.8), (0.1, 0.3, 0.9),
                                            (0.05, 0.2, 0.8), (0.9, 0.5, 0.8), (0.4, 0.6, 0.8)])
def test_bracketing_search_equals_linear_scan_below_300(p_t, p_c, target):
    assert sample_size_two_proportions(p_t, p_c, power=target) == _first_n_by_scan(p_t, p_c, target)


def test_bracketing_search_above_300_lands_on_a_crossing():
    n = sample_size_two_proportions(0.4, 0.5, power=0.8, max_n=1000)
    assert power_two_proportions(0.4, 0.5, n_treat=n) >= 0.8 > power_two_proportions(0.4, 0.5, n_treat=n - 1)
    # near the normal approximation (R power.prop.test gives 387.3 for these risks)
    assert 388 <= n <= 1.1 * 388


def test_sample_size_refused_up_front_beyond_the_exact_limit():
    import time

    start = time.perf_counter()
    with pytest.raises(ValueError, match="about 1565 patients per arm"):
        sample_size_two_proportions(0.5, 0.55)
    assert time.perf_counter() - start < 0.5
    assert sample_size_two_proportions(0.5, 0.55, test="normal") == 1565


def test_power_sums_only_likely_tables_without_losing_precision():
    # reference: the full double sum over every table of the exact Fisher p-value table
    from appraise.tests2x2 import fisher_pvalue_table

    for p_t, p_c, n1, n2 in [(0.5, 0.8, 14, 15), (0.02, 0.1, 300, 280), (0.5, 0.55, 800, 800), (0.0, 1.0, 5, 5)]:
        table = fisher_pvalue_table(n1, n2)
        full = stats.binom.pmf(np.arange(n1 + 1), n1, p_t) @ (table <= 0.05) @ stats.binom.pmf(
            np.arange(n2 + 1), n2, p_c)
        assert power_two_proportions(p_t, p_c, n_treat=n1, n_ctrl=n2) == pytest.approx(full, abs=1e-12)


def test_fisher_table_cache_is_bounded_in_bytes():
    from appraise._limits import FISHER_CACHE_BYTES
    from appraise.tests2x2 import _TABLE_CACHE, fisher_pvalue_table

    for n in range(1500, 2001, 100):          # 6 tables of 18-32 MB: more than the cache holds
        fisher_pvalue_table(n, n)
        assert _TABLE_CACHE.nbytes <= FISHER_CACHE_BYTES
    assert fisher_pvalue_table(14, 15)[7, 12] == pytest.approx(stats.fisher_exact([[7, 7], [12, 3]]).pvalue)


def test_pvalue_at_n_beyond_the_table_uses_scipy():
    res = pvalue_at_n(0.5, 0.52, n_treat=10_000, n_ctrl=10_000)
    assert res.pvalue == pytest.approx(stats.fisher_exact([[5000, 5000], [5200, 4800]]).pvalue, rel=1e-12)
