"""Tests for appraise.bayes.

References:
* Evan Miller, "Formulas for Bayesian A/B testing" (2015): for independent
  p_A ~ Beta(a_A, b_A), p_B ~ Beta(a_B, b_B) with integer a_B,
  P(p_B > p_A) = sum_{i=0}^{a_B-1} B(a_A+i, b_A+b_B) / ((b_B+i) B(1+i, b_B) B(a_A, b_A)).
  Implemented here with log-gamma functions, independently of the package.
* Seeded Monte Carlo with 10**6 draws per arm; tolerances are 4 Monte Carlo standard
  errors (about 0.0009 for a probability near 0.95).
* Conjugacy: Beta(a, b) prior + k events of n -> Beta(a + k, b + n - k) (scipy.stats.beta).
"""

import math

import numpy as np
import pytest

from appraise.bayes import (
    PRIORS,
    Posterior,
    Prior,
    named_prior,
    posterior_density,
    posterior_risk_difference,
    prior_from_slider,
    probability_of_benefit,
)

DRAWS = 1_000_000


def miller(a_a, b_a, a_b, b_b):
    """P(p_B > p_A), Evan Miller's closed form (integer a_b)."""
    lbeta = lambda x, y: math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)  # noqa: E731
    return sum(math.exp(lbeta(a_a + i, b_a + b_b) - math.log(b_b + i) - lbeta(1 + i, b_b) - lbeta(a_a, b_a))
               for i in range(int(a_b)))


def draws(a_t, b_t, a_c, b_c, seed=0):
    rng = np.random.default_rng(seed)
    return rng.beta(a_t, b_t, DRAWS), rng.beta(a_c, b_c, DRAWS)


def test_seed_flat_prior_matches_miller_closed_form():
    # flat prior: treatment Beta(1+7, 1+7), control Beta(1+12, 1+3); benefit = p_t < p_c
    exact = miller(8, 8, 13, 4)
    assert probability_of_benefit(7, 14, 12, 15) == pytest.approx(exact, abs=1e-9)
    assert 0.945 < exact < 0.955  # "P(benefit) ~ 0.95"


def test_sceptical_prior_matches_miller_closed_form():
    # sceptical prior Beta(11, 11) per arm -> Beta(18, 18) vs Beta(23, 14)
    assert PRIORS["sceptical"].a_treat == 11 and PRIORS["sceptical"].b_ctrl == 11
    exact = miller(18, 18, 23, 14)
    assert probability_of_benefit(7, 14, 12, 15, prior="sceptical") == pytest.approx(exact, abs=1e-9)


def test_zero_events_matches_miller():
    # 0/14 vs 0/15, flat prior: Beta(1, 15) vs Beta(1, 16); P(p_t < p_c)
    assert probability_of_benefit(0, 14, 0, 15) == pytest.approx(miller(1, 15, 1, 16), abs=1e-9)


def test_event_is_good_direction_matches_miller():
    # survival 8/14 vs 4/15: benefit = p_t > p_c; treatment Beta(9, 7), control Beta(5, 12)
    assert probability_of_benefit(8, 14, 4, 15, event_is_bad=False) == pytest.approx(miller(5, 12, 9, 7), abs=1e-9)


def test_enthusiastic_prior_favours_benefit_for_a_good_event():
    # survival 8/14 vs 4/15 (event good): the enthusiastic prior expects a HIGHER treated risk,
    # treatment Beta(1 + 20*0.7, 1 + 20*0.3) = Beta(15, 7), control Beta(11, 11); posteriors
    # Beta(23, 13) and Beta(15, 22); P(p_t > p_c) by Evan Miller's closed form
    pr = named_prior("enthusiastic", event_is_bad=False)
    assert (pr.a_treat, pr.b_treat, pr.a_ctrl, pr.b_ctrl) == pytest.approx((15, 7, 11, 11))
    enthusiastic = probability_of_benefit(8, 14, 4, 15, event_is_bad=False, prior="enthusiastic")
    assert enthusiastic == pytest.approx(miller(15, 22, 23, 13), abs=1e-9)
    flat = probability_of_benefit(8, 14, 4, 15, event_is_bad=False)
    sceptical = probability_of_benefit(8, 14, 4, 15, event_is_bad=False, prior="sceptical")
    assert flat == pytest.approx(miller(5, 12, 9, 7), abs=1e-9)   # 0.947
    assert sceptical < flat < enthusiastic                        # 0.856 < 0.947 < 0.979
    # seeded Monte Carlo on the same posteriors
    t, c = draws(23, 13, 15, 22, seed=7)
    mc = np.mean(t > c)
    assert abs(enthusiastic - mc) < 4 * math.sqrt(mc * (1 - mc) / DRAWS)
    # the posterior interval follows the same prior: its mean is the difference of beta means
    post = posterior_risk_difference(8, 14, 4, 15, prior="enthusiastic", event_is_bad=False)
    assert post.mean == pytest.approx(23 / 36 - 15 / 37)


def test_bad_event_named_priors_unchanged():
    for name in PRIORS:
        assert named_prior(name) == PRIORS[name]
    assert probability_of_benefit(7, 14, 12, 15, prior="enthusiastic") == pytest.approx(
        miller(7 + 7, 15 + 7, 11 + 12, 11 + 3), abs=1e-9)


def test_baseline_risk_centres_named_priors():
    # capstone mortality 0/12 vs 3/29 (event bad), priors centred on the control risk of 10%:
    # control Beta(1 + 20*0.1, 1 + 20*0.9) = Beta(3, 19); treatment mode 0.1 - 0.4*0.1 = 0.06,
    # Beta(2.2, 19.8); posteriors treatment Beta(2.2, 31.8), control Beta(6, 45)
    pr = named_prior("enthusiastic", baseline_risk=0.1)
    assert (pr.a_treat, pr.b_treat, pr.a_ctrl, pr.b_ctrl) == pytest.approx((2.2, 19.8, 3, 19))
    value = probability_of_benefit(0, 12, 3, 29, prior="enthusiastic", baseline_risk=0.1)
    assert value == pytest.approx(miller(2.2, 31.8, 6, 45), abs=1e-9)   # P(p_c > p_t), integer a_c
    flat = probability_of_benefit(0, 12, 3, 29)
    assert value > flat
    # centred on 50% the enthusiastic prior pulls a 10% mortality up and gives less than flat
    assert probability_of_benefit(0, 12, 3, 29, prior="enthusiastic") < flat
    # sceptical centred on 10%: Beta(3, 19) per arm; below flat
    sceptical = probability_of_benefit(0, 12, 3, 29, prior="sceptical", baseline_risk=0.1)
    assert sceptical == pytest.approx(miller(3, 31, 6, 45), abs=1e-9) and sceptical < flat
    # a good event at 25%: treatment mode 0.25 + 0.4*0.75 = 0.55, Beta(12, 10); control Beta(6, 16)
    pr = named_prior("enthusiastic", event_is_bad=False, baseline_risk=0.25)
    assert (pr.a_treat, pr.b_treat, pr.a_ctrl, pr.b_ctrl) == pytest.approx((12, 10, 6, 16))
    value = probability_of_benefit(8, 14, 4, 15, event_is_bad=False, prior="enthusiastic", baseline_risk=0.25)
    assert value == pytest.approx(miller(10, 27, 20, 16), abs=1e-9)
    t, c = draws(20, 16, 10, 27, seed=11)
    mc = np.mean(t > c)
    assert abs(value - mc) < 4 * math.sqrt(mc * (1 - mc) / DRAWS)
    # flat and Jeffreys do not depend on the outcome
    assert named_prior("flat", event_is_bad=False, baseline_risk=0.1) == PRIORS["flat"]


def test_baseline_risk_bad_input():
    for bad in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="baseline_risk"):
            named_prior("sceptical", baseline_risk=bad)
    with pytest.raises(ValueError, match="baseline_risk"):
        probability_of_benefit(7, 14, 12, 15, prior=(2.0, 3.0), baseline_risk=0.3)
    with pytest.raises(ValueError, match="'optimistic'"):
        named_prior("optimistic")
    with pytest.raises(TypeError, match="event_is_bad"):
        named_prior("enthusiastic", event_is_bad="no")


@pytest.mark.parametrize("prior", ["flat", "jeffreys", "enthusiastic", (2.0, 3.0)])
@pytest.mark.parametrize("margin", [0.0, 0.1])
def test_probability_of_benefit_matches_monte_carlo(prior, margin):
    pr = {"flat": PRIORS["flat"], "jeffreys": PRIORS["jeffreys"], "enthusiastic": PRIORS["enthusiastic"]}.get(
        prior) if isinstance(prior, str) else Prior("custom", 2.0, 3.0, 2.0, 3.0)
    t, c = draws(pr.a_treat + 7, pr.b_treat + 7, pr.a_ctrl + 12, pr.b_ctrl + 3, seed=42)
    mc = np.mean(t < c - margin)
    se = math.sqrt(mc * (1 - mc) / DRAWS)
    value = probability_of_benefit(7, 14, 12, 15, prior=prior, margin=margin)
    assert abs(value - mc) < 4 * se + 1e-6


def test_posterior_interval_and_mean_match_monte_carlo():
    post = posterior_risk_difference(7, 14, 12, 15)
    assert isinstance(post, Posterior)
    t, c = draws(8, 8, 13, 4, seed=1)
    d = t - c
    assert post.mean == pytest.approx(8 / 16 - 13 / 17, abs=1e-12)  # exact Beta means
    q_low, q_high = np.quantile(d, [0.025, 0.975])
    assert post.low == pytest.approx(q_low, abs=0.003)
    assert post.high == pytest.approx(q_high, abs=0.003)
    mean, low, high = post
    assert low < mean < high


def test_posterior_density_matches_monte_carlo_histogram():
    post = posterior_risk_difference(7, 14, 12, 15)
    assert np.trapezoid(post.y, post.x) == pytest.approx(1.0, abs=1e-6)
    t, c = draws(8, 8, 13, 4, seed=2)
    hist, edges = np.histogram(t - c, bins=40, range=(-0.9, 0.3), density=True)
    mids = (edges[:-1] + edges[1:]) / 2
    np.testing.assert_allclose(np.interp(mids, post.x, post.y), hist, atol=0.05)


def test_credible_level_changes_width():
    narrow = posterior_risk_difference(7, 14, 12, 15, credible_level=0.5)
    wide = posterior_risk_difference(7, 14, 12, 15, credible_level=0.99)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_priors_and_slider():
    assert set(PRIORS) == {"flat", "jeffreys", "sceptical", "enthusiastic"}
    flat = prior_from_slider(0.0)
    assert (flat.a_treat, flat.b_treat, flat.a_ctrl, flat.b_ctrl) == (1, 1, 1, 1)
    sceptical = prior_from_slider(-1.0, centre=0.8, strength=20)
    # Beta(1 + 20*0.8, 1 + 20*0.2) in both arms: mode 0.8
    assert sceptical.a_treat == pytest.approx(17) and sceptical.b_treat == pytest.approx(5)
    assert (sceptical.a_treat, sceptical.b_treat) == (sceptical.a_ctrl, sceptical.b_ctrl)
    mode = lambda a, b: (a - 1) / (a + b - 2)  # noqa: E731
    keen = prior_from_slider(1.0, centre=0.8, shift=0.2)
    assert mode(keen.a_treat, keen.b_treat) == pytest.approx(0.6)
    good = prior_from_slider(1.0, centre=0.3, shift=0.2, event_is_bad=False)
    assert mode(good.a_treat, good.b_treat) == pytest.approx(0.5)
    # moving the slider towards enthusiasm raises P(benefit)
    values = [probability_of_benefit(7, 14, 12, 15, prior=prior_from_slider(s, centre=0.65))
              for s in (0.25, 0.5, 0.75, 1.0)]
    assert values == sorted(values)
    half = prior_from_slider(-0.5, strength=20)
    assert half.a_treat + half.b_treat == pytest.approx(12)  # worth 10 patients + flat


def test_bad_input():
    with pytest.raises(TypeError, match="prior.*5"):
        probability_of_benefit(7, 14, 12, 15, prior=5)
    with pytest.raises(ValueError, match="prior.*'optimistic'"):
        probability_of_benefit(7, 14, 12, 15, prior="optimistic")
    with pytest.raises(TypeError, match="prior"):
        probability_of_benefit(7, 14, 12, 15, prior=(1.0,))
    with pytest.raises(ValueError, match="a_treat.*0.0"):
        Prior("bad", 0.0, 1.0, 1.0, 1.0)
    with pytest.raises(TypeError, match="b_ctrl"):
        Prior("bad", 1.0, 1.0, 1.0, "1")
    with pytest.raises(ValueError, match="margin.*1.0"):
        probability_of_benefit(7, 14, 12, 15, margin=1.0)
    with pytest.raises(TypeError, match="event_is_bad"):
        probability_of_benefit(7, 14, 12, 15, event_is_bad="yes")
    with pytest.raises(ValueError, match="events_ctrl.*16"):
        probability_of_benefit(7, 14, 16, 15)
    with pytest.raises(ValueError, match="position.*1.5"):
        prior_from_slider(1.5)
    with pytest.raises(ValueError, match="treatment mode"):
        prior_from_slider(1.0, centre=0.1, shift=0.2)
    with pytest.raises(ValueError, match="credible_level.*1.0"):
        posterior_risk_difference(7, 14, 12, 15, credible_level=1.0)


# ----------------------------------------------------------------------------- large trials

def test_identical_huge_arms_give_one_half():
    # symmetry: two arms with the same counts and prior have P(p_t < p_c) = 1/2 exactly
    assert probability_of_benefit(10_000_000, 20_000_000, 10_000_000, 20_000_000) == pytest.approx(0.5, abs=1e-9)
    assert probability_of_benefit(5_000_000, 10_000_000, 5_000_000, 10_000_000) == pytest.approx(0.5, abs=1e-9)


def test_interval_of_a_large_trial_contains_its_mean():
    post = posterior_risk_difference(490000, 10**6, 500000, 10**6)
    assert post.low < post.mean < post.high
    # normal approximation of the difference of two betas (exact to ~1e-6 at this size):
    # mean -0.01, sd sqrt(v_t + v_c) with v = a b / ((a + b)^2 (a + b + 1))
    from scipy import stats
    a_t, b_t, a_c, b_c = 490001, 510001, 500001, 500001
    v = (a_t * b_t / ((a_t + b_t) ** 2 * (a_t + b_t + 1)) + a_c * b_c / ((a_c + b_c) ** 2 * (a_c + b_c + 1)))
    z = stats.norm.ppf(0.975)
    assert post.low == pytest.approx(post.mean - z * v ** 0.5, abs=2e-6)
    assert post.high == pytest.approx(post.mean + z * v ** 0.5, abs=2e-6)
    x, y = posterior_density(490000, 10**6, 500000, 10**6)
    assert x[0] < post.low and post.high < x[-1]            # the grid covers the posterior
    assert float(np.trapezoid(y, x)) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("counts", [
    (4_900, 10_000, 5_000, 10_000),
    (120_000, 1_000_000, 121_000, 1_000_000),
    (30, 10**7, 45, 10**7),
    (4_999_000, 10**7, 5_000_000, 10**7),
    (0, 10**8, 2, 10**8),
])
def test_large_trials_against_monte_carlo(counts):
    # independent reference: seeded draws from the two beta posteriors (numpy)
    e_t, n_t, e_c, n_c = counts
    rng = np.random.default_rng(20260412)
    draws = 400_000
    p_t = rng.beta(1 + e_t, 1 + n_t - e_t, draws)
    p_c = rng.beta(1 + e_c, 1 + n_c - e_c, draws)
    mc = float(np.mean(p_t < p_c))
    se = max((mc * (1 - mc) / draws) ** 0.5, 1e-6)
    assert probability_of_benefit(*counts) == pytest.approx(mc, abs=5 * se + 1e-6)
    post = posterior_risk_difference(*counts)
    diff = p_t - p_c
    lo, hi = np.quantile(diff, [0.025, 0.975])
    width = hi - lo
    assert post.low == pytest.approx(lo, abs=0.01 * width)
    assert post.high == pytest.approx(hi, abs=0.01 * width)
    assert post.low < post.mean < post.high


@pytest.mark.parametrize("counts", [(7, 14, 12, 15), (0, 12, 3, 29), (1, 2, 2, 3), (20, 40, 30, 45)])
def test_small_trials_unchanged_against_closed_form(counts):
    # Evan Miller's closed form for P(p_B > p_A) with integer beta parameters
    from scipy.special import betaln
    e_t, n_t, e_c, n_c = counts
    a_b, b_b, a_a, b_a = 1 + e_c, 1 + n_c - e_c, 1 + e_t, 1 + n_t - e_t   # B = control, A = treatment
    total = sum(np.exp(betaln(a_a + i, b_a + b_b) - np.log(b_b + i) - betaln(1 + i, b_b) - betaln(a_a, b_a))
                for i in range(a_b))
    assert probability_of_benefit(*counts) == pytest.approx(total, abs=1e-9)


@pytest.mark.parametrize("counts", [(8, 14, 4, 15), (0, 12, 3, 29), (5, 20, 5, 20), (14, 14, 0, 15)])
@pytest.mark.parametrize("baseline", [None, 0.2, 0.7])
def test_named_priors_mirror_between_directions(counts, baseline):
    # counting non-events instead of events turns a good event into a bad one: the named prior
    # for the good event at baseline r must give what the bad-event prior at 1 - r gives
    a, n1, c, n2 = counts
    mirror = None if baseline is None else 1 - baseline
    for name in ("sceptical", "enthusiastic"):
        good = probability_of_benefit(a, n1, c, n2, event_is_bad=False, prior=name, baseline_risk=baseline)
        bad = probability_of_benefit(n1 - a, n1, n2 - c, n2, event_is_bad=True, prior=name, baseline_risk=mirror)
        assert good == pytest.approx(bad, abs=1e-9)
