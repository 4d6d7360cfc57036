"""Tests for appraise.simulate (baseline / follow-up trials with no treatment effect).

References are independent of the code under test:
* the paired t-test is recomputed by hand from the differences (t = mean / (sd / sqrt(n)),
  two-sided p from scipy.stats.t) and with scipy.stats.ttest_1samp on the differences;
* the ANCOVA coefficient, its SE, t, p and CI are recomputed with numpy least squares and
  the textbook formulas (beta = (X'X)^-1 X'y, var = s^2 (X'X)^-1, df = n - 3);
* the expected within-arm change is checked against scipy.stats.truncnorm's mean and
  against a large seeded simulation (the known truth of the model).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from appraise.simulate import (
    analyse_baseline_followup,
    expected_change,
    simulate_baseline_followup,
    simulate_within_group_trials,
)

MODEL = dict(mean=100.0, sd_between=20.0, sd_within=15.0, enrol_above=110.0, recovery=10.0)
SIZES = dict(n_treat=14, n_ctrl=15)       # the seed trial's arms


def _paired_by_hand(follow, base):
    d = np.asarray(follow) - np.asarray(base)
    n = d.size
    t = d.mean() / (d.std(ddof=1) / math.sqrt(n))
    return t, 2 * stats.t.sf(abs(t), n - 1)


def test_within_arm_test_matches_hand_formula_and_one_sample_t():
    data = simulate_baseline_followup(**SIZES, seed=11, **MODEL)
    result = analyse_baseline_followup(data)
    for arm in ("treatment", "control"):
        rows = data[data["arm"] == arm]
        t, p = _paired_by_hand(rows["follow_up"], rows["baseline"])
        one = stats.ttest_1samp(rows["follow_up"] - rows["baseline"], 0.0)
        assert result.within[arm].statistic == pytest.approx(t, rel=1e-10)
        assert result.within[arm].pvalue == pytest.approx(p, rel=1e-10)
        assert result.within[arm].pvalue == pytest.approx(one.pvalue, rel=1e-10)
        assert result.mean_change[arm] == pytest.approx((rows["follow_up"] - rows["baseline"]).mean())
        expected_pct = 100 * (rows["follow_up"].sum() / rows["baseline"].sum() - 1)
        assert result.percent_change[arm] == pytest.approx(expected_pct)


def test_ancova_matches_normal_equations():
    data = simulate_baseline_followup(**SIZES, seed=5, **MODEL)
    result = analyse_baseline_followup(data, confidence_level=0.9)
    X = np.column_stack([np.ones(len(data)), (data["arm"] == "treatment").astype(float), data["baseline"]])
    y = data["follow_up"].to_numpy()
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ X.T @ y
    resid = y - X @ beta
    df = len(y) - 3
    s2 = resid @ resid / df
    se = math.sqrt(s2 * xtx_inv[1, 1])
    t = beta[1] / se
    p = 2 * stats.t.sf(abs(t), df)
    q = stats.t.ppf(0.95, df)
    assert result.between.estimate == pytest.approx(beta[1], rel=1e-9)
    assert result.between_test.statistic == pytest.approx(t, rel=1e-9)
    assert result.between_test.pvalue == pytest.approx(p, rel=1e-9)
    assert result.between.low == pytest.approx(beta[1] - q * se, rel=1e-9)
    assert result.between.high == pytest.approx(beta[1] + q * se, rel=1e-9)
    assert result.between.confidence_level == 0.9


def test_expected_change_matches_truncated_normal_mean():
    # E[B | B > c] from scipy.stats.truncnorm; regression = (sd_within^2 / s^2) * (E - mean)
    s = math.hypot(20.0, 15.0)
    a = (110.0 - 100.0) / s
    mean_selected = stats.truncnorm.mean(a, np.inf, loc=100.0, scale=s)
    regression = (15.0**2 / s**2) * (mean_selected - 100.0)
    assert expected_change(**MODEL) == pytest.approx(-(10.0 + regression), rel=1e-10)
    # no selection: only recovery and treatment effect
    assert expected_change(recovery=3.0, treatment_effect=2.0) == -5.0


def test_large_simulation_recovers_the_truth():
    # 4,000 trials of 29 patients: the Monte Carlo SE of a mean change is small
    sim = simulate_within_group_trials(**SIZES, n_trials=4000, seed=123, **MODEL)
    data = sim.trials
    # mean percent change per arm agrees with the closed-form expected change (in units)
    s = math.hypot(20.0, 15.0)
    a = (110.0 - 100.0) / s
    mean_baseline = stats.truncnorm.mean(a, np.inf, loc=100.0, scale=s)
    expected_pct = 100 * sim.expected_change_ctrl / mean_baseline
    assert data["percent_change_ctrl"].mean() == pytest.approx(expected_pct, abs=0.3)
    assert data["percent_change_treat"].mean() == pytest.approx(expected_pct, abs=0.3)
    shares = sim.share_significant(0.05)
    # under no treatment effect the ANCOVA test keeps its level: 0.05 +- 3 MC SEs
    se = math.sqrt(0.05 * 0.95 / 4000)
    assert abs(shares["between arms (ANCOVA)"] - 0.05) < 3 * se
    # while most arms "improve significantly" on their own
    assert shares["within treatment arm"] > 0.8
    assert shares["within control arm"] > 0.8
    # the adjusted difference is unbiased for the true effect (0)
    assert abs(data["between"].mean()) < 3 * data["between"].std() / math.sqrt(4000)


def test_no_selection_no_recovery_within_arm_test_keeps_level():
    sim = simulate_within_group_trials(**SIZES, n_trials=4000, seed=9)
    se = math.sqrt(0.05 * 0.95 / 4000)
    assert abs(sim.share_significant()["within treatment arm"] - 0.05) < 3 * se


def test_real_effect_is_found_by_ancova():
    sim = simulate_within_group_trials(**SIZES, n_trials=2000, seed=4, treatment_effect=10.0, **MODEL)
    data = sim.trials
    assert data["between"].mean() == pytest.approx(-10.0, abs=3 * data["between"].std() / math.sqrt(2000))
    assert sim.expected_change_treat - sim.expected_change_ctrl == pytest.approx(-10.0)


def test_seeded_and_deterministic():
    a = simulate_within_group_trials(**SIZES, n_trials=50, seed=3, **MODEL).trials
    b = simulate_within_group_trials(**SIZES, n_trials=50, seed=3, **MODEL).trials
    pd.testing.assert_frame_equal(a, b)
    c = simulate_within_group_trials(**SIZES, n_trials=50, seed=4, **MODEL).trials
    assert not a.equals(c)


@pytest.mark.parametrize(
    "kwargs, error, fragment",
    [
        (dict(n_treat=1), ValueError, "n_treat"),
        (dict(n_ctrl=2.0), TypeError, "n_ctrl"),
        (dict(sd_between=0), ValueError, "sd_between"),
        (dict(sd_within=-1.0), ValueError, "sd_within"),
        (dict(enrol_above=500.0), ValueError, "500.0"),
        (dict(recovery=float("nan")), ValueError, "recovery"),
        (dict(seed=-1), ValueError, "seed"),
    ],
)
def test_bad_input_names_argument(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        simulate_baseline_followup(**{**SIZES, **kwargs})


def test_arm_sizes_are_required():
    # no built-in trial size: a simulation is always of the size the caller states
    with pytest.raises(TypeError, match="n_treat' and 'n_ctrl"):
        simulate_baseline_followup(seed=1)
    with pytest.raises(TypeError, match="n_treat' and 'n_ctrl"):
        simulate_within_group_trials(n_trials=10)


def test_analyse_rejects_bad_frames():
    with pytest.raises(TypeError, match="data"):
        analyse_baseline_followup([1, 2, 3])
    with pytest.raises(ValueError, match="follow_up"):
        analyse_baseline_followup(pd.DataFrame({"arm": ["treatment"], "baseline": [1.0]}))
    frame = pd.DataFrame({"arm": ["treatment", "placebo"], "baseline": [1.0, 2.0], "follow_up": [1.0, 2.0]})
    with pytest.raises(ValueError, match="placebo"):
        analyse_baseline_followup(frame)
    with pytest.raises(ValueError, match="n_trials"):
        simulate_within_group_trials(**SIZES, n_trials=0)


def test_vectorised_ancova_equals_statsmodels_ols():
    # reference: statsmodels OLS fitted trial by trial (the loop the batch replaces)
    import statsmodels.api as sm

    from appraise.simulate import _ancova_batch, _simulate_arrays

    rng = np.random.default_rng(7)
    baseline, follow, treated = _simulate_arrays(rng, 25, 14, 15, (100.0, 20.0, 15.0, 110.0, 10.0, 3.0))
    coef, pvalue = _ancova_batch(baseline, follow, treated)
    for i in range(25):
        design = np.column_stack([np.ones(treated.size), treated.astype(float), baseline[i]])
        fit = sm.OLS(follow[i], design).fit()
        assert coef[i] == pytest.approx(fit.params[1], rel=1e-9, abs=1e-9)
        assert pvalue[i] == pytest.approx(fit.pvalues[1], rel=1e-7, abs=1e-12)


def test_simulation_size_limits():
    from appraise._limits import MAX_SIMULATED_PATIENTS

    with pytest.raises(ValueError, match=r"n_trials \* \(n_treat \+ n_ctrl\) must be at most 1,000,000"):
        simulate_within_group_trials(**SIZES, n_trials=MAX_SIMULATED_PATIENTS // 29 + 1)
    with pytest.raises(ValueError, match="screened"):
        simulate_within_group_trials(**SIZES, n_trials=30_000, enrol_above=170)
    with pytest.raises(ValueError, match=r"n_treat \+ n_ctrl must be at most"):
        simulate_baseline_followup(n_treat=MAX_SIMULATED_PATIENTS, n_ctrl=2)
