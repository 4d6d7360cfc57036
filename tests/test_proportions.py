"""Tests of appraise.proportions against published tables and R output."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from appraise.proportions import (
    NNT,
    Comparison,
    compare_proportions,
    comparison_to_dict,
    format_comparison,
    proportion_ci,
)

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of
# seven methods. Stat Med 1998;17:857-872, Table I, method 3 (Wilson score).
NEWCOMBE_1998A_WILSON = [
    ((81, 263), (0.2553, 0.3662)),
    ((15, 148), (0.0624, 0.1605)),
    ((0, 20), (0.0, 0.1611)),
    ((1, 29), (0.0061, 0.1718)),
]


@pytest.mark.parametrize("counts, expected", NEWCOMBE_1998A_WILSON)
def test_wilson_matches_newcombe_table_i(counts, expected):
    low, high = proportion_ci(*counts)
    assert low == pytest.approx(expected[0], abs=5e-5)
    assert high == pytest.approx(expected[1], abs=5e-5)


def test_clopper_pearson_matches_beta_quantiles():
    # Clopper-Pearson by definition: Beta(k, n-k+1) and Beta(k+1, n-k) quantiles
    low, high = proportion_ci(7, 14, method="clopper-pearson")
    assert low == pytest.approx(stats.beta.ppf(0.025, 7, 8), rel=1e-9)
    assert high == pytest.approx(stats.beta.ppf(0.975, 8, 7), rel=1e-9)
    # 0 events: upper bound 1 - (alpha/2)^(1/n) exactly
    low, high = proportion_ci(0, 14, method="clopper-pearson")
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / 14), rel=1e-9)


def test_wald_and_jeffreys_and_agresti_coull_by_formula():
    z = stats.norm.ppf(0.975)
    p = 7 / 14
    half = z * math.sqrt(p * (1 - p) / 14)
    assert proportion_ci(7, 14, method="wald") == pytest.approx((p - half, p + half))
    # Jeffreys: Beta(k + 1/2, n - k + 1/2) equal-tailed quantiles
    assert proportion_ci(7, 14, method="jeffreys") == pytest.approx(
        (stats.beta.ppf(0.025, 7.5, 7.5), stats.beta.ppf(0.975, 7.5, 7.5)))
    # Agresti-Coull: Wald interval around (k + z^2/2) / (n + z^2)
    nt = 14 + z ** 2
    pt = (7 + z ** 2 / 2) / nt
    ht = z * math.sqrt(pt * (1 - pt) / nt)
    assert proportion_ci(7, 14, method="agresti-coull") == pytest.approx((pt - ht, pt + ht))


def test_proportion_ci_confidence_level():
    # 90% Wilson interval by the closed form (Newcombe 1998a, method 3)
    z = stats.norm.ppf(0.95)
    k, n = 12, 15
    p = k / n
    centre = (2 * n * p + z ** 2) / (2 * (n + z ** 2))
    half = z * math.sqrt(z ** 2 + 4 * n * p * (1 - p)) / (2 * (n + z ** 2))
    assert proportion_ci(k, n, confidence_level=0.9) == pytest.approx((centre - half, centre + half))


@pytest.mark.parametrize("kwargs, exc, text", [
    (dict(events=15, n=14), ValueError, "events"),
    (dict(events=0, n=0), ValueError, "n"),
    (dict(events=1.0, n=14), TypeError, "events"),
    (dict(events=1, n=14, method="score"), ValueError, "method"),
    (dict(events=1, n=14, confidence_level=95), ValueError, "confidence_level"),
])
def test_proportion_ci_rejects_bad_input(kwargs, exc, text):
    with pytest.raises(exc, match=text):
        proportion_ci(kwargs.pop("events"), kwargs.pop("n"), **kwargs)


# Newcombe RG. Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Stat Med 1998;17:873-890, Table II, method 10 (hybrid
# score).  The first two rows are also quoted in the tests of the R package propint
# (m-Py/propint, "ci.two.indep.props produces the results reported in Newcombe1998").
NEWCOMBE_1998B_METHOD_10 = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize("counts, expected", NEWCOMBE_1998B_METHOD_10)
def test_risk_difference_matches_newcombe_table_ii(counts, expected):
    rd = compare_proportions(*counts).risk_difference
    assert rd.method == "newcombe-hybrid-score"
    assert rd.estimate == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
    assert rd.low == pytest.approx(expected[0], abs=5e-5)
    assert rd.high == pytest.approx(expected[1], abs=5e-5)


def test_risk_difference_is_newcombe_formula_from_wilson_limits():
    # method 10 built by hand from the two Wilson intervals (Newcombe 1998b eq. for L, U)
    cmp = compare_proportions(7, 14, 12, 15)
    p1, (l1, u1) = 7 / 14, proportion_ci(7, 14)
    p2, (l2, u2) = 12 / 15, proportion_ci(12, 15)
    d = p1 - p2
    assert cmp.risk_difference.low == pytest.approx(d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    assert cmp.risk_difference.high == pytest.approx(d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def test_risk_difference_wald_by_formula():
    z = stats.norm.ppf(0.975)
    se = math.sqrt(0.5 * 0.5 / 14 + 0.8 * 0.2 / 15)
    rd = compare_proportions(7, 14, 12, 15).risk_difference_wald
    assert (rd.low, rd.high) == pytest.approx((-0.3 - z * se, -0.3 + z * se))


def test_risk_ratio_matches_r_epitools():
    # R epitools::riskratio(matrix(c(232, 112, 24, 16), nrow=2)): 1.333333 (0.7347317,
    # 2.419628), quoted in scipy/stats/tests/test_relative_risk.py; counts 16/128 vs 24/256.
    rr = compare_proportions(16, 128, 24, 256).risk_ratio
    assert rr.method == "log"
    assert rr.estimate == pytest.approx(4 / 3)
    assert (rr.low, rr.high) == pytest.approx((0.7347317, 2.419628), rel=5e-7)


def test_odds_ratio_matches_r_epitools():
    # R epitools::oddsratio.wald(matrix(c(10, 20, 41, 93), 2, byrow=TRUE)): 1.134146
    # (0.4879913, 2.635883), quoted in scipy/stats/tests/test_odds_ratio.py.  Rows are
    # exposure levels, columns (no event, event): exposed 93/134 vs unexposed 20/30.
    odds = compare_proportions(93, 134, 20, 30).odds_ratio
    assert odds.method == "logit (Woolf)"
    assert odds.estimate == pytest.approx(1.134146, rel=1e-6)
    assert (odds.low, odds.high) == pytest.approx((0.4879913, 2.635883), rel=1e-6)


def test_seed_trial_ratios_agree_with_scipy():
    # a second implementation: scipy.stats.contingency relative_risk / odds_ratio("sample")
    cmp = compare_proportions(7, 14, 12, 15)
    rr = stats.contingency.relative_risk(7, 14, 12, 15)
    ci = rr.confidence_interval()
    assert tuple(cmp.risk_ratio) == pytest.approx((rr.relative_risk, ci.low, ci.high))
    orr = stats.contingency.odds_ratio([[7, 7], [12, 3]], kind="sample")
    ci = orr.confidence_interval()
    assert tuple(cmp.odds_ratio) == pytest.approx((orr.statistic, ci.low, ci.high))


def test_zero_cell_uses_haldane_correction_by_hand():
    # 0/14 vs 3/15: add 0.5 to every cell; log RR and log OR intervals by hand
    z = stats.norm.ppf(0.975)
    cmp = compare_proportions(0, 14, 3, 15)
    rr = (0.5 / 15) / (3.5 / 16)
    se = math.sqrt(1 / 0.5 - 1 / 15 + 1 / 3.5 - 1 / 16)
    assert "0.5 added" in cmp.risk_ratio.method
    assert tuple(cmp.risk_ratio) == pytest.approx((rr, rr * math.exp(-z * se), rr * math.exp(z * se)))
    odds = (0.5 / 14.5) / (3.5 / 12.5)
    se = math.sqrt(1 / 0.5 + 1 / 14.5 + 1 / 3.5 + 1 / 12.5)
    assert "0.5 added" in cmp.odds_ratio.method
    assert tuple(cmp.odds_ratio) == pytest.approx(
        (odds, odds * math.exp(-z * se), odds * math.exp(z * se)))


def test_no_events_in_either_arm():
    cmp = compare_proportions(0, 14, 0, 15)
    assert cmp.risk_difference.estimate == 0.0
    assert cmp.risk_difference.low < 0 < cmp.risk_difference.high
    assert all(math.isnan(x) for x in cmp.risk_ratio)
    assert all(math.isnan(x) for x in cmp.odds_ratio)
    assert "undefined" in cmp.risk_ratio.method and "undefined" in cmp.odds_ratio.method
    assert cmp.nnt.kind == "none" and math.isinf(cmp.nnt.estimate)
    assert cmp.tests["fisher"].pvalue == 1.0


def test_every_patient_had_the_event():
    cmp = compare_proportions(14, 14, 15, 15)
    assert tuple(cmp.risk_ratio) == (1.0, 1.0, 1.0)  # log method: variance 0
    assert all(math.isnan(x) for x in cmp.odds_ratio)
    assert cmp.risk_treat.high == 1.0 and cmp.risk_ctrl.high == 1.0


def test_nnt_altman_example_text():
    # Altman DG. BMJ 1998;317:1309-12: a risk difference whose interval runs from harm to
    # benefit gives "NNTB x (NNTH a to infinity to NNTB b)".  Seed trial intubation:
    # ARR = 0.30, Newcombe interval for the ARR (-0.042, 0.566) -> NNTH 1/0.042 = 24,
    # NNTB 1/0.566 = 1.8.
    cmp = compare_proportions(7, 14, 12, 15)
    nnt = cmp.nnt
    assert isinstance(nnt, NNT)
    assert nnt.kind == "benefit" and nnt.crosses_zero
    assert nnt.estimate == pytest.approx(1 / 0.3)
    assert nnt.low == pytest.approx(1 / cmp.risk_difference.high)  # NNTH end
    assert nnt.high == pytest.approx(1 / -cmp.risk_difference.low)  # NNTB end
    assert nnt.text == "NNTB 3.3 (95% CI NNTH 24 to infinity to NNTB 1.8)"


def test_nnt_entirely_benefit_and_harm():
    # Newcombe Table II 9/10 vs 3/10: difference 0.6 (0.1705, 0.8090)
    good = compare_proportions(9, 10, 3, 10, event_is_bad=False).nnt
    assert good.kind == "benefit" and not good.crosses_zero
    assert (good.low, good.high) == pytest.approx((1 / 0.8090, 1 / 0.1705), abs=1e-3)
    assert good.text.startswith("NNTB 1.7 (95% CI NNTB 1.2 to 5.9)")
    bad = compare_proportions(9, 10, 3, 10, event_is_bad=True).nnt
    assert bad.kind == "harm" and bad.text.startswith("NNTH 1.7 (95% CI NNTH 1.2 to 5.9)")


def test_table_and_summary():
    cmp = compare_proportions(7, 14, 12, 15)
    table = cmp.table()
    assert isinstance(table, pd.DataFrame)
    assert list(table.index) == ["treatment", "control"]
    assert list(table.columns) == ["events", "no events", "total"]
    assert table.to_numpy().tolist() == [[7, 7, 14], [12, 3, 15]]
    assert cmp.counts == (7, 14, 12, 15)
    text = cmp.summary()
    assert "7/14 = 50.0%" in text and "12/15 = 80.0%" in text and "Fisher p = 0.1281" in text


def test_comparison_is_frozen():
    cmp = compare_proportions(7, 14, 12, 15)
    assert isinstance(cmp, Comparison)
    with pytest.raises(AttributeError):
        cmp.n_treat = 20


def test_clopper_pearson_fields():
    cmp = compare_proportions(0, 14, 12, 15)
    assert cmp.risk_treat_clopper_pearson.method == "clopper-pearson"
    assert cmp.risk_treat_clopper_pearson.high == pytest.approx(1 - 0.025 ** (1 / 14))


def test_format_and_dict_are_complete_and_json_ready():
    cmp = compare_proportions(0, 14, 0, 15)
    text = format_comparison(cmp)
    for word in ("risk difference", "risk ratio", "odds ratio", "fisher", "boschloo", "nan"):
        assert word in text
    d = comparison_to_dict(cmp)
    json.dumps(d, allow_nan=False)  # nan and inf -> None (appraise._format.to_jsonable)
    assert d["risk_ratio"]["estimate"] is None
    assert d["nnt"]["estimate"] is None and d["nnt"]["kind"] == "none"
    d = comparison_to_dict(compare_proportions(7, 14, 12, 15))
    assert d["risk_difference"]["low"] == pytest.approx(-0.566, abs=5e-4)
    assert set(d["tests"]) == {"fisher", "chi2", "chi2_yates", "barnard", "boschloo"}


def test_format_rejects_non_comparison():
    with pytest.raises(TypeError, match="cmp"):
        format_comparison((7, 14, 12, 15))


@pytest.mark.parametrize("args, kwargs, exc, name", [
    ((7, 0, 12, 15), {}, ValueError, "n_treat"),
    ((7, 14, 12, 0), {}, ValueError, "n_ctrl"),
    ((8, 7, 12, 15), {}, ValueError, "events_treat"),
    ((7, 14, True, 15), {}, TypeError, "events_ctrl"),
    ((7, 14, 12, 15), {"confidence_level": 1.0}, ValueError, "confidence_level"),
    ((7, 14, 12, 15), {"event_is_bad": "yes"}, TypeError, "event_is_bad"),
])
def test_compare_rejects_bad_input(args, kwargs, exc, name):
    with pytest.raises(exc, match=name):
        compare_proportions(*args, **kwargs)


def test_confidence_level_propagates():
    cmp = compare_proportions(7, 14, 12, 15, confidence_level=0.9)
    low, high = confint = (cmp.risk_difference.low, cmp.risk_difference.high)
    wide = compare_proportions(7, 14, 12, 15).risk_difference
    assert wide.low < low < high < wide.high
    assert cmp.nnt.text.startswith("NNTB 3.3 (90% CI")
    assert np.isfinite(confint).all()


@pytest.mark.parametrize("events, n", [(0, 14), (7, 14), (12, 15), (15, 15), (3, 29)])
def test_proportion_ci_exact_is_scipys_clopper_pearson(events, n):
    # scipy names Clopper-Pearson "exact": binomtest(k, n).proportion_ci(method="exact")
    ref = stats.binomtest(events, n).proportion_ci(confidence_level=0.95, method="exact")
    assert proportion_ci(events, n, method="exact") == pytest.approx((ref.low, ref.high), abs=1e-12)
    assert proportion_ci(events, n, method="exact") == proportion_ci(events, n, method="clopper-pearson")


# ----------------------------------------------------------------------------- large arms

def test_unconditional_tests_past_their_limit_are_reported_not_computed():
    from appraise._limits import MAX_UNCONDITIONAL_N
    from appraise.proportions import format_comparison

    n = MAX_UNCONDITIONAL_N + 1
    cmp = compare_proportions(100, n, 120, n)
    for name in ("barnard", "boschloo"):
        res = cmp.tests[name]
        assert not res.computed and math.isnan(res.pvalue) and res.note == "not computed (arm too large)"
    # the other tests are computed, and equal scipy's
    assert cmp.tests["fisher"].pvalue == pytest.approx(stats.fisher_exact([[100, n - 100], [120, n - 120]]).pvalue)
    assert "Barnard not computed (arm too large)" in cmp.summary()
    assert "boschloo                not computed (arm too large)" in format_comparison(cmp)
    d = comparison_to_dict(cmp)
    assert d["tests"]["barnard"] == {"statistic": None, "pvalue": None, "method": cmp.tests["barnard"].method,
                                     "alternative": "two-sided", "computed": False,
                                     "note": "not computed (arm too large)"}
    json.dumps(d, allow_nan=False)
    # at the limit they are computed (scipy's barnard_exact on the arms as columns)
    at = compare_proportions(100, MAX_UNCONDITIONAL_N, 120, MAX_UNCONDITIONAL_N)
    ref = stats.barnard_exact([[100, 120], [MAX_UNCONDITIONAL_N - 100, MAX_UNCONDITIONAL_N - 120]]).pvalue
    assert at.tests["barnard"].computed and at.tests["barnard"].pvalue == pytest.approx(ref, rel=1e-9)


def test_compare_hundred_thousand_per_arm_is_quick_and_small():
    import time
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    cmp = compare_proportions(1, 100_000, 2, 100_000)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2.0 and peak < 50e6
    assert cmp.tests["fisher"].pvalue == pytest.approx(1.0)       # scipy: 1/1e5 vs 2/1e5 gives p = 1
